"""The reports API: the daily report as JSON, sign-offs, scoping and bad input."""

import json

from bastion.reports.models import ReportSignOff
from bastion.reports.tests import facts
from bastion.reports.tests.facts import DAY, at
from bastion.testing import Personas, Tree

DAILY = "/api/v1/reports/daily"
SIGNOFFS = "/api/v1/reports/signoffs"


def test_daily_report_has_the_totals_and_one_entry_per_child(client_of, personas, tree) -> None:
    facts.signal(tree.yuetang, at(DAY, "08:00"))
    facts.signal(tree.liyujuwei, at(DAY, "08:00"))
    facts.signal(tree.liyujuwei, at(DAY, "09:00"))
    response = client_of(personas.county_officer).get(
        DAILY, {"unit": tree.tianyuan.code, "date": "2020-02-09"}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["unit"] == {"code": "430211000000", "name": "天元区", "level": "county"}
    assert (body["start"], body["end"]) == ("2020-02-09", "2020-02-09")
    assert body["own"]["values"]["signals.found"] == 3
    assert [c["code"] for c in body["children"]] == [tree.liyu.code]
    assert body["children"][0]["values"]["signals.found"] == 3
    assert body["children"][0]["values"]["observation.checkin_rate"] is None
    assert body["direct"] is None
    keys = [f["key"] for s in body["sections"] for f in s["figures"]]
    assert set(keys) == set(body["own"]["values"])
    assert body["sections"][0]["figures"][0] == {
        "key": "signals.found",
        "label": "新发现线索",
        "unit": "条",
        "additive": True,
    }
    # a range: both days
    two = client_of(personas.county_officer).get(
        DAILY, {"unit": tree.liyu.code, "date": "2020-02-08", "to": "2020-02-09"}
    )
    assert two.json()["own"]["values"]["signals.found"] == 3


def test_out_of_jurisdiction_is_404(client_of, personas: Personas, tree: Tree) -> None:
    params = {"unit": tree.liyu.code, "date": "2020-02-09"}
    assert client_of(personas.outsider).get(DAILY, params).status_code == 404
    assert client_of(personas.village_worker).get(DAILY, params).status_code == 404
    assert client_of(personas.outsider).get(SIGNOFFS, params).status_code == 404
    response = client_of(personas.outsider).post(
        SIGNOFFS, {**params, "note": ""}, content_type="application/json"
    )
    assert response.status_code == 404
    missing = client_of(personas.commander).get(
        DAILY, {"unit": "439999000000", "date": "2020-02-09"}
    )
    assert missing.status_code == 404


def test_bad_dates_are_422(client_of, personas: Personas, tree: Tree) -> None:
    client = client_of(personas.county_officer)
    for params in (
        {"unit": tree.liyu.code, "date": "2020-02-30"},
        {"unit": tree.liyu.code, "date": "yesterday"},
        {"unit": tree.liyu.code},
        {"unit": tree.liyu.code, "date": "1999-12-31"},
        {"unit": "x' or 1=1", "date": "2020-02-09"},
    ):
        assert client.get(DAILY, params).status_code == 422, params
    reversed_ = client.get(
        DAILY, {"unit": tree.liyu.code, "date": "2020-02-09", "to": "2020-02-01"}
    )
    assert reversed_.status_code == 422
    assert reversed_.json()["errors"] == [{"field": "to", "message": "结束日期不能早于开始日期。"}]
    too_long = client.get(DAILY, {"unit": tree.liyu.code, "date": "2019-01-01", "to": "2020-02-09"})
    assert too_long.status_code == 422


def test_sign_off_is_idempotent_and_changes_are_listed(client_of, personas, tree) -> None:
    client = client_of(personas.township_officer)
    facts.signal(tree.yuetang, at(DAY, "08:00"))
    body = json.dumps({"unit": tree.liyu.code, "date": "2020-02-09", "note": "已核"})
    headers = {"HTTP_IDEMPOTENCY_KEY": "sign-liyu-0209"}
    first = client.post(SIGNOFFS, body, content_type="application/json", **headers)
    again = client.post(SIGNOFFS, body, content_type="application/json", **headers)
    assert first.status_code == 201 and again.status_code == 201
    assert first.json() == again.json()
    assert ReportSignOff.objects.count() == 1
    assert first.json()["figures"]["own"]["signals.found"] == 1

    facts.signal(tree.yuetang, at(DAY, "22:00"))

    listed = client.get(SIGNOFFS, {"unit": tree.liyu.code, "date": "2020-02-09"}).json()
    assert [s["note"] for s in listed["items"]] == ["已核"]
    assert {"code": tree.liyu.code, "figure": "signals.found", "old": 1, "new": 2} in listed[
        "changes"
    ]


def test_sign_off_refusals_are_422(client_of, personas, tree) -> None:
    response = client_of(personas.county_officer).post(
        SIGNOFFS,
        {"unit": tree.liyu.code, "date": "2020-02-09"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["detail"] == "只有本单位负责人可以签发本单位的日报。"
    response = client_of(personas.township_officer).post(
        SIGNOFFS,
        {"unit": tree.liyu.code, "date": "2020-02-09", "note": "长" * 501},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert not ReportSignOff.objects.exists()
