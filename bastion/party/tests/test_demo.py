"""Acceptance (issue 9): on the demo data, the city's briefing quotes a figure for every kind of
figure the article quotes, each equal to the report (or to the Party selectors)."""

import random
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from bastion.accounts.models import User
from bastion.core.demo import SEED, demo_build
from bastion.mobilisation.models import Member
from bastion.orgs.models import OrgUnit
from bastion.party.demo import demo_party
from bastion.party.engagement import engagement
from bastion.party.figures import _brief_values
from bastion.party.models import Briefing, Deed, PartyOrg, VanguardPost
from bastion.party.selectors import briefing_render, deed_subject_for
from bastion.reports.selectors import situation_report

# The article's kinds of figure, and the placeholder that quotes each in the default draft.
ARTICLE_FIGURES = {
    "基层党组织": "party.orgs",
    "党员": "party.party_members",
    "请战书": "brief.pledges",
    "外派队伍": "brief.teams",
    "外派队员": "brief.team_members",
    "临时党支部": "party.temporary_branches",
    "报名": "brief.volunteers_signed",
    "查控卡点": "brief.checkpoints",
    "高速公路互通口": "brief.interchanges",
    "劝导酒宴": "brief.banquets_persuaded",
    "捐款": "donations.money",
    "捐赠口罩": "brief.masks_donated",
    "物资配送": "brief.deliveries",
    "居家医学观察": "observation.active_home",
}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo, built once for this module inside a transaction that is rolled back after it:
    the other modules start from an empty database."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            demo_build()  # seeds the Party side too (bastion.core.demo._demo_domains)
            counts = {
                "orgs": PartyOrg.objects.count(),
                "posts": VanguardPost.objects.count(),
                "deeds": Deed.objects.count(),
                "briefings": Briefing.objects.count(),
            }
            again = demo_party(random.Random(SEED))  # noqa: S311 - the demo's seed
            yield counts, again
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.mark.django_db
def test_the_citys_briefing_quotes_every_kind_of_figure_of_the_article(demo):
    _, again = demo
    assert again == {"orgs": 0, "posts": 0, "deeds": 0, "briefings": 0, "linked_accounts": 0}
    city = OrgUnit.objects.get(code="430200000000")
    commander = User.objects.get(username="city")
    draft = Briefing.objects.get(unit=city)
    # when
    rendered = briefing_render(user=commander, draft=draft)
    # then: each kind is quoted, non-zero, and equals its source
    report = situation_report(city, draft.start, draft.end)
    e = engagement(user=commander, unit=city, start=draft.start, end=draft.end)
    brief = _brief_values(city, draft.start, draft.end, report)
    used = {f.key: f for f in rendered.used}
    text = "".join(p.plain for p in rendered.paragraphs)
    for kind, key in ARTICLE_FIGURES.items():
        assert key in used, kind
        figure = used[key]
        if key.startswith("party."):
            expected = e.own.values[key.removeprefix("party.")]
        elif key.startswith("brief."):
            expected = brief[key]
        else:
            expected = report.value(key)
        assert figure.value == expected, kind
        assert figure.value, f"{kind}: the demo should give a non-zero figure"
        assert figure.text in text
    assert used["brief.interchanges"].value == 7
    assert used["party.shifts"].value > 0  # the post holders stand shifts at 株洲西
    assert used["brief.team_members"].value == 15
    assert used["brief.banquets_persuaded"].value == sum(
        report.value(k) or 0
        for k in ("gatherings.postponed", "gatherings.cancelled", "gatherings.downsized")
    )
    # and the deeds told are the published ones, the unpublished lab chief's is not
    assert len(rendered.deeds) >= 2
    assert not any("实验室" in line.text for line in rendered.deeds)


@pytest.mark.django_db
def test_the_demo_seeds_orgs_posts_and_deeds_with_consent(demo):
    counts, _ = demo
    assert counts["orgs"] >= 10 and counts["posts"] > 0 and counts["deeds"] == 4
    assert PartyOrg.objects.filter(secretary__isnull=False).count() >= 5
    assert VanguardPost.objects.filter(kind="area").exists()
    chief = Deed.objects.get(title__contains="实验室")
    assert chief.consented_at is None
    # the lab chief's name is masked for 天元区, in full for the city that holds 荷塘区
    name = chief.member.person.name
    assert deed_subject_for(user=User.objects.get(username="city"), deed=chief) == name
    liyu = User.objects.get(username="liyu")
    assert deed_subject_for(user=liyu, deed=chief) == name[0] + "*" * (len(name) - 1)
    yuetang = Deed.objects.get(title__contains="大年三十")
    assert yuetang.holder_code == "430211000000" and yuetang.facts.count() >= 1
    assert timezone.localdate() - yuetang.happened_on == timedelta(days=2)


@pytest.mark.django_db
def test_the_demo_field_workers_serve_through_their_linked_accounts(demo):
    """The grid workers, the township cadre and the checkpoint officer are members linked to
    their logins: their sweeps, follow-up check-ins and disinfection runs count."""
    linked = dict(
        Member.objects.filter(account__isnull=False).values_list("account__username", "unit_code")
    )
    assert set(linked) == {"yuetang", "liyujuwei", "liyu", "checkpoint"}
    liyu = OrgUnit.objects.get(code="430211003000")
    today = timezone.localdate()
    e = engagement(
        user=User.objects.get(username="liyu"),
        unit=liyu,
        start=today - timedelta(days=6),
        end=today,
    )
    # (over the week: how many fall on today depends on the hour the demo was built)
    for key in ("visits", "checkins", "disinfections", "deliveries"):
        assert e.own.values[key] > 0, key
    yuetang = e.value("visits", "430211003016")
    assert yuetang > 0 and yuetang <= e.own.values["visits"]
