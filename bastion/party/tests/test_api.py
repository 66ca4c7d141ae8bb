"""The Party API: scoped reads (404 outside), idempotent creates, clean 422s, 409 on a stale
briefing edit, masked names of unpublished deeds."""

import io
import json

import pytest
from PIL import Image

from bastion.party.models import Deed, VanguardPost
from bastion.party.tests.conftest import TODAY

API = "/api/v1/party"


def post(client, url, body, **headers):
    return client.post(url, json.dumps(body), content_type="application/json", headers=headers)


def patch(client, url, body):
    return client.patch(url, json.dumps(body), content_type="application/json")


def test_engagement_by_api_and_404_outside(tree, personas, front, client_of):
    client = client_of(personas.township_officer)
    answer = client.get(f"{API}/engagement", {"unit": tree.liyu.code, "start": str(TODAY)})
    assert answer.status_code == 200
    body = answer.json()
    assert body["own"]["values"]["party_on_duty"] == 3
    assert {c["code"]: c["values"]["on_duty"] for c in body["children"]}[tree.yuetang.code] == 3
    assert (
        client_of(personas.outsider).get(f"{API}/engagement", {"unit": tree.liyu.code}).status_code
        == 404
    )
    bad = client.get(
        f"{API}/engagement", {"unit": tree.liyu.code, "start": "2020-02-01", "end": "2020-01-01"}
    )
    assert bad.status_code == 422
    assert bad.json()["errors"] == [{"field": "end", "message": "结束日期不能早于开始日期。"}]


def test_posts_are_idempotent_and_checked(tree, personas, front, client_of):
    from bastion.orgs.services import unit_create

    grid = unit_create(parent=tree.yuetang, name="第1网格", kind="grid")
    client = client_of(personas.township_officer)
    body = {
        "kind": "area",
        "title": "第1网格党员责任区",
        "member_id": front.long.pk,
        "area": grid.code,
        "starts_on": str(TODAY),
    }
    first = post(client, f"{API}/posts", body, **{"Idempotency-Key": "k1"})
    again = post(client, f"{API}/posts", body, **{"Idempotency-Key": "k1"})
    assert first.status_code == 201 and again.status_code == 201
    assert first.json() == again.json() and VanguardPost.objects.count() == 1
    refused = post(client, f"{API}/posts", {**body, "member_id": front.zhou.pk})
    assert refused.status_code == 422
    assert refused.json()["errors"] == [
        {"field": "member", "message": "党员先锋岗、责任区只能由中共党员承担。"}
    ]
    # a member of another county is not found
    assert post(client, f"{API}/posts", {**body, "member_id": front.wei.pk}).status_code == 404
    cover = client.get(f"{API}/coverage", {"unit": tree.yuetang.code, "on": str(TODAY)}).json()
    assert cover[0]["grids"] == 1 and cover[0]["grid_share"] == 100.0


def test_deeds_flow_and_masking(tree, personas, front, client_of):
    worker = client_of(personas.village_worker)
    made = post(
        worker,
        f"{API}/deeds",
        {
            "unit": tree.yuetang.code,
            "member_id": front.long.pk,
            "title": "劝退两场婚宴",
            "text": "上户劝说。",
            "happened_on": str(TODAY),
        },
        **{"Idempotency-Key": "d1"},
    )
    assert made.status_code == 201
    deed_id = made.json()["id"]
    assert made.json()["subject"] == "龙建忠" and made.json()["is_public"] is False
    assert (
        post(
            worker,
            f"{API}/deeds",
            {"unit": tree.yuetang.code, "title": "x", "text": "y", "happened_on": str(TODAY)},
        ).status_code
        == 422
    )
    # consent needs a stated way
    assert post(worker, f"{API}/deeds/{deed_id}/consent", {"note": ""}).status_code == 422
    ok = post(worker, f"{API}/deeds/{deed_id}/consent", {"note": "电话确认"})
    assert ok.json()["is_public"] is True
    nominated = post(worker, f"{API}/deeds/{deed_id}/nominate", {"note": "推荐"})
    assert nominated.json()["holder_code"] == tree.liyu.code
    # the village worker may not commend, the outsider may not even see it
    assert post(worker, f"{API}/deeds/{deed_id}/commend", {"commendation": "x"}).status_code == 404
    assert client_of(personas.outsider).get(f"{API}/deeds/{deed_id}").status_code == 404
    commended = post(
        client_of(personas.township_officer),
        f"{API}/deeds/{deed_id}/commend",
        {"commendation": "优秀共产党员"},
    )
    assert commended.json()["status"] == "commended"
    listed = client_of(personas.commander).get(f"{API}/deeds", {"unit": tree.city.code}).json()
    assert listed["count"] == 1


def test_photo_upload_checks_the_type(tree, personas, front, client_of):
    from bastion.party.services import deed_record

    deed = deed_record(
        actor=personas.village_worker,
        unit=tree.yuetang,
        member=front.long,
        title="t",
        text="x",
        happened_on=TODAY,
    )
    client = client_of(personas.village_worker)
    out = io.BytesIO()
    Image.new("RGB", (3, 3)).save(out, format="JPEG")
    out.seek(0)
    out.name = "a.jpg"
    ok = client.post(f"{API}/deeds/{deed.pk}/photos", {"image": out})
    assert ok.status_code == 201 and len(ok.json()["photos"]) == 1
    bad = io.BytesIO(b"GIF89a nope")
    bad.name = "b.png"
    refused = client.post(f"{API}/deeds/{deed.pk}/photos", {"image": bad})
    assert refused.status_code == 422
    assert Deed.objects.get().photos.count() == 1


@pytest.fixture
def draft_id(tree, personas, front, client_of):
    answer = post(
        client_of(personas.township_officer),
        f"{API}/briefings",
        {"unit": tree.liyu.code, "start": "2020-01-27", "end": str(TODAY)},
        **{"Idempotency-Key": "b1"},
    )
    assert answer.status_code == 201
    return answer.json()["id"]


def test_briefing_by_api_edit_conflict_and_figures(tree, personas, front, client_of, draft_id):
    client = client_of(personas.township_officer)
    body = client.get(f"{API}/briefings/{draft_id}").json()
    figures = {f["key"]: f["value"] for f in body["figures"]}
    assert figures["party.orgs"] == 3 and figures["party.party_members"] == 4
    assert "3个基层党组织" in body["paragraphs"][1]["text"]
    paragraphs = [
        {"id": p["id"], "kind": p["kind"], "text": p["template"]} for p in body["paragraphs"]
    ]
    paragraphs[0]["text"] = "关键时刻，党组织就是主心骨。"
    edited = patch(client, f"{API}/briefings/{draft_id}", {"version": 1, "paragraphs": paragraphs})
    assert edited.status_code == 200 and edited.json()["version"] == 2
    stale = patch(client, f"{API}/briefings/{draft_id}", {"version": 1, "title": "新标题"})
    assert stale.status_code == 409 and stale.json()["current"]["version"] == 2
    paragraphs[1]["text"] = paragraphs[1]["text"].replace("{party.party_members}", "")
    typed = patch(client, f"{API}/briefings/{draft_id}", {"version": 2, "paragraphs": paragraphs})
    assert typed.status_code == 422
    assert typed.json()["errors"][0]["field"] == "paragraphs.2"
    assert client_of(personas.outsider).get(f"{API}/briefings/{draft_id}").status_code == 404
    listed = client.get(f"{API}/briefings", {"unit": tree.liyu.code}).json()
    assert [(b["id"], b["version"]) for b in listed] == [(draft_id, 2)]
    assert (
        patch(
            client_of(personas.village_worker), f"{API}/briefings/{draft_id}", {"version": 2}
        ).status_code
        == 404
    )


def test_public_deeds_are_the_consented_ones_only(tree, personas, front, client_of):
    from bastion.party.services import deed_consent, deed_record

    told = deed_record(
        actor=personas.village_worker,
        unit=tree.yuetang,
        member=front.long,
        title="劝退两场婚宴",
        text="上户劝说。",
        happened_on=TODAY,
    )
    deed_record(
        actor=personas.village_worker,
        unit=tree.yuetang,
        member=front.tan,
        title="病倒后又回到实验室",
        text="吃药休息后又回到实验室。",
        happened_on=TODAY,
    )
    deed_consent(actor=personas.village_worker, deed=told, note="本人签字")
    # when: someone of another county reads the public list
    outsider = client_of(personas.outsider)
    listed = outsider.get(f"{API}/public-deeds").json()
    # then: only the consented deed, with its name; the other one stays out of reach
    assert [(d["title"], d["subject"]) for d in listed] == [("劝退两场婚宴", "龙建忠")]
    page = outsider.get("/party/deeds/public/").content.decode()
    assert "劝退两场婚宴" in page and "实验室" not in page
    assert outsider.get(f"{API}/deeds/{told.pk}").status_code == 404
