"""Signal sources (线索来源): imports and staff entries have their own, and the inbox filters
by source."""

import importlib

from django.apps import apps

from bastion.screening.models import Signal
from bastion.screening.selectors import signal_list


def test_the_inbox_filters_by_source(raise_signal, personas, client_of, tree):
    raise_signal(source="import", subject_name="导入甲")
    raise_signal(source="staff", subject_name="登记乙")
    raise_signal(source="hotline", subject_name="热线丙")
    raise_signal(unit=tree.wenhualu, source="import", subject_name="外村丁")
    client = client_of(personas.village_worker)
    page = client.get("/screening/signals/?source=import").content.decode()
    everything = client.get("/screening/signals/").content.decode()
    assert "导入甲" in page and "登记乙" not in page and "外村丁" not in page
    assert "Excel 导入" in page and '<option value="staff">工作人员登记</option>' in page
    assert all(n in everything for n in ("导入甲", "登记乙", "热线丙"))
    user = personas.village_worker
    assert [s.subject_name for s in signal_list(user=user, source="staff")] == ["登记乙"]


def test_the_api_filters_by_source_and_staff_may_file_one(raise_signal, personas, api, tree):
    raise_signal(source="import", subject_name="导入甲")
    raise_signal(unit=tree.wenhualu, source="import", subject_name="外村丁")
    call = api(personas.village_worker)
    listed = call("get", "/signals?source=import").json()
    filed = call(
        "post",
        "/signals",
        data={
            "unit": tree.yuetang.code,
            "reason": "工作人员走访发现",
            "source": "staff",
            "subject_name": "钱九",
        },
    )
    refused = call(
        "post", "/signals", data={"unit": tree.yuetang.code, "reason": "x", "source": "import"}
    )
    assert [i["subject_name"] for i in listed["items"]] == ["导入甲"]
    assert filed.status_code == 201 and filed.json()["source"] == "staff"
    assert refused.status_code == 422
    outsider = api(personas.outsider)("get", f"/signals?source=import&unit={tree.yuetang.code}")
    assert outsider.status_code == 404


def test_the_hand_entry_form_offers_the_staff_source(personas, client_of, tree):
    client = client_of(personas.village_worker)
    response = client.post(
        "/screening/signals/new/",
        {
            "unit": tree.yuetang.code,
            "reason": "网格员发现",
            "source": "staff",
            "subject_name": "钱九",
        },
    )
    assert response.status_code == 302 and Signal.objects.get().source == "staff"


def test_the_migration_gives_old_signals_their_source(raise_signal):
    old_import = raise_signal(source="other", reason="Excel 导入返乡人员：自湖北")
    old_staff = raise_signal(source="other", reason="登记返乡人员：自湖北")
    other = raise_signal(source="other", reason="群众反映")
    migration = importlib.import_module(
        "bastion.screening.migrations.0003_household_members_signal_sources"
    )
    migration.proper_sources(apps, None)
    sources = dict(Signal.objects.values_list("pk", "source"))
    assert sources == {old_import.pk: "import", old_staff.pk: "staff", other.pk: "other"}
