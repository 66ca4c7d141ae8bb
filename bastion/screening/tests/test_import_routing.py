"""An import uploaded at a township or county: each row goes to the village of its ID number,
phone or address; rows that go nowhere stay with the uploader, listed. And the apply phase
shows its progress."""

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from python_calamine import CalamineWorkbook

from bastion.core.errors import ValidationError
from bastion.core.validators import id_check_char
from bastion.people.models import Person
from bastion.screening.models import ImportJob, Signal, TravelRecord
from bastion.screening.services.imports import UNROUTED, import_unit_check, returnees_import_file
from bastion.screening.services.imports import flow as service
from bastion.screening.tests.workbooks import workbook

DAY = timezone.localdate() - timedelta(days=2)
HEADER = ["姓名", "身份证号", "手机号", "住址", "从何地返回", "返乡日期", "交通方式"]


def citizen_id(first17: str) -> str:
    return first17 + id_check_char(first17)


KNOWN_ID = citizen_id("43021119800101001")
OUTSIDE_ID = citizen_id("43020219800101003")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def registry(tree):
    """张三 lives in 月塘 (by ID number); 王五 in 栗雨 (by phone); 赵六 in 文化路 (outside)."""

    def person(unit, name, **fields):
        return Person.objects.create(unit=unit, unit_code=unit.code, name=name, **fields)

    return {
        "zhang": person(tree.yuetang, "张三", id_number=KNOWN_ID),
        "wang": person(tree.liyujuwei, "王五", mobile="13900000005"),
        "zhao": person(tree.wenhualu, "赵六", id_number=OUTSIDE_ID),
    }


def township_list():
    day = DAY.isoformat()
    return workbook(
        {
            "名单": [
                HEADER,
                ["张三", KNOWN_ID, "", "某小区 1 栋", "湖北武汉", day, "火车"],
                ["王五", "", "13900000005", "", "湖北武汉", day, "火车"],
                ["孙七", "", "13900000007", "栗雨街道月塘居委会 8 号", "广东深圳", day, "自驾"],
                ["赵六", OUTSIDE_ID, "", "不知道哪里", "湖北", day, "火车"],
                ["钱八", "", "13900000008", "", "湖北", day, "火车"],
            ]
        }
    )


def test_rows_go_to_their_villages_and_the_unroutable_stay_listed(tree, registry, tmp_path):
    # given
    path = tmp_path / "list.xlsx"
    path.write_bytes(township_list())
    # when imported at the township
    result = returnees_import_file(actor=None, unit=tree.liyu, source=str(path), dry_run=False)
    # then
    assert (result.created, result.rejected, result.unrouted) == (3, 2, 2)
    assert result.routed == {tree.yuetang.code: 2, tree.liyujuwei.code: 1}
    assert [(e.row, e.column, e.message) for e in result.errors] == [
        (5, "住址", UNROUTED),
        (6, "住址", UNROUTED),
    ]
    where = dict(TravelRecord.objects.values_list("person__name", "unit_code"))
    assert where == {
        "张三": tree.yuetang.code,
        "王五": tree.liyujuwei.code,
        "孙七": tree.yuetang.code,
    }
    # the person found elsewhere (文化路, outside the township) is neither routed nor touched
    assert not TravelRecord.objects.filter(person=registry["zhao"]).exists()
    assert Person.objects.get(name="孙七").unit_code == tree.yuetang.code
    assert set(Signal.objects.values_list("unit_code", flat=True)) == {
        tree.yuetang.code,
        tree.liyujuwei.code,
    }
    assert set(Signal.objects.values_list("source", flat=True)) == {"import"}
    # and a re-import changes nothing
    again = returnees_import_file(actor=None, unit=tree.liyu, source=str(path), dry_run=False)
    assert (again.created, again.unchanged, again.unrouted) == (0, 3, 2)


def test_a_county_routes_too_and_a_village_worker_cannot_import_above_the_village(
    tree, personas, registry
):
    assert import_unit_check(personas.county_officer, tree.tianyuan) == tree.tianyuan
    assert import_unit_check(personas.township_officer, tree.liyu) == tree.liyu
    with pytest.raises(ValidationError) as e:
        import_unit_check(personas.village_worker, tree.liyu)
    assert e.value.message_dict == {
        "unit": ["请选择您辖区内的区县、乡镇（街道）、村（社区）或网格。"]
    }
    with pytest.raises(ValidationError):
        import_unit_check(personas.township_officer, tree.hetang)


def test_the_township_previews_the_villages_and_downloads_the_unrouted(
    tree, personas, registry, client_of
):
    client = client_of(personas.township_officer)
    client.post(
        "/screening/imports/",
        {"unit": tree.liyu.code, "file": SimpleUploadedFile("名单.xlsx", township_list())},
    )
    job = ImportJob.objects.get()
    page = client.get(f"/screening/imports/{job.pk}/").content.decode()
    assert f'data-unit="{tree.yuetang.code}"' in page and "月塘居委会" in page
    assert "data-unrouted" in page and UNROUTED in page
    assert not TravelRecord.objects.exists()
    download = client.get(f"/screening/imports/{job.pk}/rejected.xlsx")
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(download.content)).get_sheet_by_index(0)
    rows = sheet.to_python()
    assert [next(v for v in r if v in ("赵六", "钱八")) for r in rows[1:]] == ["赵六", "钱八"]
    assert all(UNROUTED in str(r) for r in rows[1:])
    client.post(f"/screening/imports/{job.pk}/confirm/")
    job.refresh_from_db()
    assert job.status == "applied" and TravelRecord.objects.count() == 3
    assert job.result["routed"] == {tree.yuetang.code: 2, tree.liyujuwei.code: 1}


def test_the_upload_form_offers_the_township_but_not_outside(tree, personas, client_of):
    page = client_of(personas.township_officer).get("/screening/imports/").content.decode()
    assert f'value="{tree.liyu.code}"' in page and f'value="{tree.yuetang.code}"' in page
    assert f'value="{tree.wenhualu.code}"' not in page
    outsider = client_of(personas.outsider).post(
        "/screening/imports/",
        {"unit": tree.liyu.code, "file": SimpleUploadedFile("名单.xlsx", township_list())},
    )
    assert outsider.status_code == 200 and not ImportJob.objects.exists()


def test_the_api_uploads_at_a_township_and_reports_the_routing(tree, personas, registry, client_of):
    client = client_of(personas.township_officer)
    response = client.post(
        "/api/v1/imports",
        {"unit": tree.liyu.code, "file": SimpleUploadedFile("名单.xlsx", township_list())},
    )
    assert response.status_code == 202
    job = client.get(f"/api/v1/imports/{response.json()['id']}").json()
    assert job["result"]["unrouted"] == 2
    assert job["result"]["routed"] == {tree.yuetang.code: 2, tree.liyujuwei.code: 1}
    outside = client_of(personas.outsider).get(f"/api/v1/imports/{job['id']}")
    assert outside.status_code == 404


def test_the_apply_phase_moves_the_bar(tree, personas, registry, client_of, monkeypatch):
    # given a previewed township import
    client = client_of(personas.township_officer)
    client.post(
        "/screening/imports/",
        {"unit": tree.liyu.code, "file": SimpleUploadedFile("名单.xlsx", township_list())},
    )
    job = ImportJob.objects.get()
    seen = []
    original = service.import_apply

    def spy(*args, **kwargs):
        # what the polling page would read while the write runs
        current = ImportJob.objects.get(pk=job.pk)
        seen.append((current.status, current.stage, current.percent))
        page = client.get(f"/screening/imports/{job.pk}/", HTTP_HX_REQUEST="true")
        seen.append(page.content.decode())
        return original(*args, **kwargs)

    monkeypatch.setattr(service, "import_apply", spy)
    # when confirmed
    client.post(f"/screening/imports/{job.pk}/confirm/")
    # then the bar stood at the writing step, and ends at 100
    assert seen[0] == ("applying", "writing", 75)
    assert 'data-stage="writing"' in seen[1] and "data-percent>75%<" in seen[1]
    assert "正在写入" in seen[1]
    job.refresh_from_db()
    assert (job.status, job.stage, job.percent) == ("applied", "", 100)
