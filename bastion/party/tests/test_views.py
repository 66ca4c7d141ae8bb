"""The Party pages: engagement with drill-down, organisations, posts, deeds (record, consent,
nominate, commend, photos) and the briefing editor and exports. Out of jurisdiction is 404."""

import io
import re

import pytest
from django.utils import timezone
from docx import Document
from PIL import Image

from bastion.party import services
from bastion.party.models import Briefing, Deed, VanguardPost
from bastion.party.tests.conftest import TODAY


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def deed(tree, personas, front):
    return services.deed_record(
        actor=personas.village_worker,
        unit=tree.yuetang,
        member=front.long,
        title="从大年三十至今没和家人吃过一顿饭",
        text="得知辖区居民要办宴席，他上户劝说。",
        happened_on=TODAY,
    )


def test_engagement_page_shows_the_children_and_drills_down(tree, personas, front, client_of):
    client = client_of(personas.township_officer)
    # when
    page = client.get(f"/party/units/{tree.liyu.code}/?start={TODAY}&end={TODAY}")
    # then
    assert page.status_code == 200
    html = page.content.decode()
    assert f'href="/party/units/{tree.yuetang.code}/?start={TODAY}' in html
    row = re.search(rf'data-unit="{tree.yuetang.code}">(.*?)</tr>', html, re.S).group(1)
    assert 'data-key="party_on_duty">2<' in row and 'data-key="hours">20' in row
    assert "data-fronts" in html  # the officer also sees the fronts from the report
    leave = re.search(r"data-leave>(.*?)</ul>", html, re.S).group(1)
    assert "龙**" in leave and "1 天 · 12 小时" in leave and "周**" not in leave
    assert client.get(f"/party/units/{tree.yuetang.code}/").status_code == 200


def test_the_period_shows_its_dates_and_refuses_a_reversed_one(tree, personas, front, client_of):
    client = client_of(personas.township_officer)
    today = timezone.localdate().isoformat()
    page = client.get(f"/party/units/{tree.liyu.code}/").content.decode()
    assert f'value="{today}"' in page  # the inputs show the period the figures are for
    page = client.get(
        f"/party/units/{tree.liyu.code}/", {"start": "2020-02-09", "end": "2020-02-01"}
    ).content.decode()
    assert "结束日期不能早于开始日期。" in page


def test_pages_outside_the_jurisdiction_are_404(tree, personas, front, client_of, deed):
    outsider = client_of(personas.outsider)
    neighbour = client_of(personas.neighbour_worker)
    for url in (
        f"/party/units/{tree.liyu.code}/",
        f"/party/units/{tree.yuetang.code}/posts/",
        f"/party/units/{tree.yuetang.code}/deeds/",
        f"/party/deeds/{deed.pk}/",
    ):
        assert outsider.get(url).status_code == 404, url
    assert neighbour.get(f"/party/deeds/{deed.pk}/").status_code == 404
    assert (
        neighbour.post(f"/party/deeds/{deed.pk}/consent/", {"consent_note": "x"}).status_code == 404
    )
    assert (
        client_of(personas.outsider).get(f"/party/units/{tree.wenhualu.code}/").status_code == 200
    )


def test_officer_sets_up_an_org_and_a_responsibility_area(tree, personas, front, client_of):
    from bastion.orgs.services import unit_create

    grid = unit_create(parent=tree.yuetang, name="第1网格", kind="grid")
    client = client_of(personas.township_officer)
    # when
    made = client.post(
        f"/party/units/{tree.liyujuwei.code}/orgs/",
        {"name": "栗雨社区第二党支部", "party_kind": "branch", "secretary": str(front.yan.pk)},
    )
    posted = client.post(
        f"/party/units/{tree.yuetang.code}/posts/",
        {
            "kind": "area",
            "title": "第1网格党员责任区",
            "member": str(front.tan.pk),
            "place": f"a{grid.code}",
            "starts_on": str(TODAY),
        },
    )
    # then
    assert made.status_code == 302 and posted.status_code == 302
    liyu_orgs = client.get(f"/party/units/{tree.liyu.code}/orgs/").content.decode()
    assert "栗雨社区第二党支部" in liyu_orgs
    code = front.yuetang_branch.unit_code
    block = re.search(rf'data-org="{code}">(.*?)</div>\s*</div>', liyu_orgs, re.S).group(1)
    assert "书记：龙建忠" in block and "党员 2 名" in block
    page = client.get(f"/party/units/{tree.yuetang.code}/orgs/").content.decode()
    assert "栗雨社区第二党支部" not in page  # it leads 栗雨居委会, not 月塘
    post = VanguardPost.objects.get()
    assert (post.area, post.member, post.unit_code) == (grid, front.tan, grid.code)
    # and a non-Party member is refused with a message beside the field
    refused = client.post(
        f"/party/units/{tree.yuetang.code}/posts/",
        {
            "kind": "area",
            "title": "x",
            "member": str(front.zhou.pk),
            "place": f"a{grid.code}",
            "starts_on": str(TODAY),
        },
    )
    assert refused.status_code == 200  # 周文勇 is not a Party member: not even a choice
    assert "选择一个有效的选项" in refused.content.decode()
    # a village worker may not set posts up
    assert (
        client_of(personas.village_worker)
        .post(f"/party/units/{tree.yuetang.code}/orgs/", {"name": "x", "party_kind": "branch"})
        .status_code
        == 404
    )


def test_a_deed_goes_up_level_by_level_once_consented(tree, personas, front, client_of, deed):
    worker = client_of(personas.village_worker)
    officer = client_of(personas.township_officer)
    # the village records consent, links a work log, uploads a photo, nominates to the township
    log = front.long.work_logs.get()
    worker.post(f"/party/deeds/{deed.pk}/consent/", {"consent_note": "本人签字"})
    worker.post(f"/party/deeds/{deed.pk}/facts/", {"fact": f"work_log:{log.pk}"})
    photo = io.BytesIO(png_bytes())
    photo.name = "龙建忠.png"
    worker.post(f"/party/deeds/{deed.pk}/photos/", {"image": photo, "caption": "劝说"})
    worker.post(f"/party/deeds/{deed.pk}/nominate/", {"note": "推荐"})
    deed.refresh_from_db()
    assert (deed.is_public, deed.status, deed.holder_code) == (True, "nominated", tree.liyu.code)
    assert deed.facts.get().label == f"{TODAY:%Y-%m-%d} 工作 12.0 小时，取消休假"
    stored = deed.photos.get()
    assert stored.content_type == "image/png" and "龙建忠" not in stored.image.name
    assert worker.get(f"/party/photos/{stored.pk}/").status_code == 200
    assert client_of(personas.outsider).get(f"/party/photos/{stored.pk}/").status_code == 404
    # the village can no longer move it: it sits with the township now
    assert worker.post(f"/party/deeds/{deed.pk}/nominate/", {}).status_code == 404
    # the township commends it
    officer.post(f"/party/deeds/{deed.pk}/commend/", {"commendation": "优秀共产党员"})
    deed.refresh_from_db()
    assert (deed.status, deed.commendation) == ("commended", "优秀共产党员")
    page = officer.get(f"/party/deeds/{deed.pk}/").content.decode()
    assert "龙建忠" in page and "栗雨街道" in page


def test_a_photo_that_is_not_an_image_is_refused(personas, client_of, deed):
    fake = io.BytesIO(b"%PDF-1.4 not an image")
    fake.name = "x.jpg"
    answer = client_of(personas.village_worker).post(
        f"/party/deeds/{deed.pk}/photos/", {"image": fake}, follow=True
    )
    assert "请上传 JPEG、PNG 或 WebP 格式的照片。" in answer.content.decode()
    assert not Deed.objects.get().photos.exists()


def test_the_deeds_list_filters_by_period_and_status(tree, personas, front, client_of, deed):
    client = client_of(personas.township_officer)
    html = client.get(f"/party/units/{tree.liyu.code}/deeds/").content.decode()
    assert deed.title in html
    earlier = client.get(
        f"/party/units/{tree.liyu.code}/deeds/?start=2020-01-01&end=2020-01-10"
    ).content.decode()
    assert deed.title not in earlier
    assert (
        deed.title
        not in client.get(f"/party/units/{tree.liyu.code}/deeds/?status=commended").content.decode()
    )


def test_the_briefing_editor_keeps_the_figures_and_exports(tree, personas, front, client_of):
    client = client_of(personas.township_officer)
    # when: a draft for the week is made, and a sentence edited
    made = client.post(
        f"/party/units/{tree.liyu.code}/briefings/", {"start": "2020-01-27", "end": str(TODAY)}
    )
    draft = Briefing.objects.get()
    assert made.url == f"/party/briefings/{draft.pk}/"
    form = {"version": "1", "count": str(len(draft.paragraphs)), "title": draft.title}
    for n, p in enumerate(draft.paragraphs):
        form |= {f"p{n}-id": p["id"], f"p{n}-kind": p["kind"], f"p{n}-text": p["text"]}
    form["p0-text"] = "关键时刻，党组织就是主心骨。"
    saved = client.post(f"/party/briefings/{draft.pk}/", form)
    # then
    assert saved.status_code == 302
    draft.refresh_from_db()
    assert draft.version == 2 and draft.paragraphs[0]["text"] == "关键时刻，党组织就是主心骨。"
    # every figure links to the situation report of the same unit and period
    html = client.get(f"/party/briefings/{draft.pk}/").content.decode()
    link = (
        f'href="/reports/{tree.liyu.code}/?date=2020-01-27&amp;to={TODAY}" data-figure="party.orgs"'
    )
    assert link in html
    # typing a figure over its placeholder is refused beside the paragraph
    form["version"] = "2"
    form["p1-text"] = form["p1-text"].replace("{party.orgs}", "3")
    refused = client.post(f"/party/briefings/{draft.pk}/", form)
    assert refused.status_code == 422
    assert "只能修改数字前后的文字" in refused.content.decode()
    # the Word file holds the figures
    docx = client.get(f"/party/briefings/{draft.pk}/docx/")
    text = "\n".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    assert "3个基层党组织、4名党员" in text
    pdf = client.get(f"/party/briefings/{draft.pk}/pdf/")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert "主心骨" in client.get(f"/party/briefings/{draft.pk}/print/").content.decode()
    # a draft for the next week keeps this one's structure
    copied = client.post(f"/party/briefings/{draft.pk}/copy/")
    nxt = Briefing.objects.exclude(pk=draft.pk).get()
    assert copied.url == f"/party/briefings/{nxt.pk}/"
    assert (str(nxt.start), nxt.paragraphs) == ("2020-01-31", draft.paragraphs)
    # and nobody outside sees it
    assert client_of(personas.outsider).get(f"/party/briefings/{draft.pk}/docx/").status_code == 404
    assert (
        client_of(personas.village_worker).get(f"/party/briefings/{draft.pk}/").status_code == 404
    )
