"""Where members serve through the accounts they sign in with: sweep visits, follow-up
check-ins, disinfection runs and deliveries, against a hand count at two levels.

On top of the front of conftest.py, on TODAY (and YESTERDAY where said):
- 月塘's worker account is 龙建忠's: 2 visits today, 1 yesterday; check-ins today: 1 by phone,
  1 at the door later corrected by a third (the pair counts once), 1 self-report typed in for
  the person (a self-report is not the worker's follow-up);
- 栗雨居委会's worker account is 阙立斌's (otherwise on duty yesterday only): 1 disinfection run
  today, 1 yesterday;
- the township officer's account is 张叶喜's (栗雨街道 itself, otherwise no duty): 1 issue
  (发放) today and 1 receipt (入库, not a delivery);
- the county officer's account is nobody's: its visit and run today count for nobody.
"""

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest

from bastion.core.errors import ValidationError
from bastion.mobilisation import selectors as mob_selectors
from bastion.mobilisation.services import (
    ACCOUNT_NOT_IN_SCOPE,
    ACCOUNT_TAKEN,
    MEMBER_NOT_IN_SCOPE,
    member_link_account,
    member_link_by_mobile,
)
from bastion.observation.models import CheckIn
from bastion.party.engagement import engagement
from bastion.party.figures import briefing_figures
from bastion.party.tests.conftest import TODAY, YESTERDAY
from bastion.reports.tests import facts

SERVE = ("visits", "checkins", "disinfections", "deliveries")


@dataclass
class Served:
    front: Any


def _recorded(checkin: CheckIn, user: Any, **kw: Any) -> CheckIn:
    CheckIn.objects.filter(pk=checkin.pk).update(recorded_by=user, **kw)
    checkin.refresh_from_db()
    return checkin


@pytest.fixture
def served(tree, personas, front):
    officer = personas.township_officer
    member_link_account(actor=officer, member=front.long, account=personas.village_worker)
    member_link_account(actor=officer, member=front.que, account=personas.neighbour_worker)
    member_link_account(actor=officer, member=front.zhang, account=officer)
    at = facts.at
    # sweep visits in 月塘
    sweep = facts.sweep(tree.liyu, YESTERDAY, TODAY)
    for when, user in (
        (at(TODAY, "09:00"), personas.village_worker),
        (at(TODAY, "10:30"), personas.village_worker),
        (at(YESTERDAY, "16:00"), personas.village_worker),
        (at(TODAY, "11:00"), personas.county_officer),
    ):
        visit = facts.visit(sweep, facts.household(tree.yuetang), when)
        visit.visited_by = user
        visit.save(update_fields=["visited_by"])
    # follow-up check-ins of someone under observation in 月塘
    obs = facts.observation(tree.yuetang, at(YESTERDAY))
    worker = personas.village_worker
    _recorded(facts.checkin(obs, TODAY, slot="morning"), worker)
    wrong = _recorded(facts.checkin(obs, TODAY, slot="evening"), worker, source="visit")
    fixed = facts.checkin(obs, TODAY, slot="evening")
    _recorded(fixed, worker, source="visit", corrects=wrong)
    _recorded(facts.checkin(obs, TODAY, slot="noon"), worker, source="self")
    # disinfection runs in 栗雨居委会
    site = facts.site(tree.liyujuwei, 2, YESTERDAY)
    for when, user in (
        (at(TODAY), personas.neighbour_worker),
        (at(YESTERDAY), personas.neighbour_worker),
        (at(TODAY, "15:00"), personas.county_officer),
    ):
        run = facts.run(site, when)
        run.recorded_by = user
        run.save(update_fields=["recorded_by"])
    # supplies of the township
    masks = facts.item("mask", "医用外科口罩")
    facts.movement(tree.liyu, masks, "receipt", 500, at(TODAY, "08:00"), officer)
    facts.movement(tree.liyu, masks, "issue", 100, at(TODAY, "14:00"), officer)
    return Served(front)


def test_township_counts_where_its_members_serve_today(tree, personas, served):
    # when
    e = engagement(user=personas.township_officer, unit=tree.liyu, start=TODAY)
    # then: the township's totals (yesterday's facts and the unlinked account's left out)
    own = e.own.values
    assert {k: own[k] for k in SERVE} == {
        "visits": 2,
        "checkins": 2,  # by phone, and the corrected door check once; not the self-report
        "disinfections": 1,
        "deliveries": 1,  # the issue, not the receipt
    }
    # 阙立斌 (the run) and 张叶喜 (the issue) are now on duty: 4 + 2
    assert own["on_duty"] == 6
    assert own["party_on_duty"] == 4
    assert own["non_party_on_duty"] == 2
    # the committee leads 栗雨街道 itself, where 张叶喜 is now on duty
    assert own["orgs_engaged"] == 3
    # and each village: the facts go to the member's unit
    assert {k: e.value(k, tree.yuetang.code) for k in SERVE} == {
        "visits": 2,
        "checkins": 2,
        "disinfections": 0,
        "deliveries": 0,
    }
    assert {k: e.value(k, tree.liyujuwei.code) for k in SERVE} == {
        "visits": 0,
        "checkins": 0,
        "disinfections": 1,
        "deliveries": 0,
    }
    assert e.value("on_duty", tree.liyujuwei.code) == 2
    # 张叶喜 belongs to 栗雨街道 itself: the township counts the issue, no village does
    assert sum(int(r.values["deliveries"]) for r in e.children) == 0


def test_village_over_two_days_counts_yesterday_too(tree, personas, served):
    # when: the village's own page, over yesterday and today
    e = engagement(user=personas.village_worker, unit=tree.yuetang, start=YESTERDAY, end=TODAY)
    # then
    assert e.own.values["visits"] == 3
    assert e.own.values["checkins"] == 2
    assert e.own.values["disinfections"] == 0
    # and the county over the same days rolls 栗雨's facts up into 天元区
    county = engagement(user=personas.commander, unit=tree.city, start=YESTERDAY, end=TODAY)
    assert {k: county.value(k, tree.tianyuan.code) for k in SERVE} == {
        "visits": 3,
        "checkins": 2,
        "disinfections": 2,
        "deliveries": 1,
    }
    assert {k: county.value(k, tree.hetang.code) for k in SERVE} == dict.fromkeys(SERVE, 0)


def test_a_fact_outside_the_period_or_by_an_unlinked_account_counts_for_nobody(
    tree, personas, served
):
    # when: the day before yesterday, and today after unlinking 阙立斌
    before = engagement(
        user=personas.township_officer, unit=tree.liyu, start=YESTERDAY - timedelta(days=1)
    )
    member_link_account(actor=personas.township_officer, member=served.front.que, account=None)
    today = engagement(user=personas.township_officer, unit=tree.liyu, start=TODAY)
    # then
    assert {k: before.own.values[k] for k in SERVE} == dict.fromkeys(SERVE, 0)
    assert today.own.values["disinfections"] == 0
    assert today.own.values["on_duty"] == 5


def test_the_briefing_may_quote_where_members_serve(tree, personas, served):
    figures = briefing_figures(
        user=personas.township_officer, unit=tree.liyu, start=TODAY, end=TODAY
    )
    assert figures["party.visits"].value == 2
    assert figures["party.deliveries"].value == 1
    assert figures["party.checkins"].label == "居家观察随访"


# --- linking ------------------------------------------------------------------------------


def test_an_officer_cannot_link_across_jurisdictions(tree, personas, front):
    officer = personas.township_officer
    # an account that works in 荷塘区 is not offered for a 月塘 member, nor accepted
    assert personas.outsider not in mob_selectors.account_choices(user=officer, member=front.long)
    with pytest.raises(ValidationError) as caught:
        member_link_account(actor=officer, member=front.long, account=personas.outsider)
    assert caught.value.message_dict == {"account": [ACCOUNT_NOT_IN_SCOPE]}
    # nor an account of the city above the officer
    with pytest.raises(ValidationError):
        member_link_account(actor=officer, member=front.long, account=personas.commander)
    # a member of 荷塘区 is out of the officer's reach
    with pytest.raises(ValidationError) as member:
        member_link_account(actor=officer, member=front.wei, account=personas.village_worker)
    assert member.value.message_dict == {"member": [MEMBER_NOT_IN_SCOPE]}
    # a field worker may not link at all (no MANAGE_MOBILISATION)
    with pytest.raises(ValidationError):
        member_link_account(
            actor=personas.village_worker, member=front.long, account=personas.village_worker
        )
    # one account serves one member
    member_link_account(actor=officer, member=front.long, account=personas.village_worker)
    with pytest.raises(ValidationError) as taken:
        member_link_account(actor=officer, member=front.tan, account=personas.village_worker)
    assert taken.value.message_dict == {"account": [ACCOUNT_TAKEN]}


def test_a_matching_mobile_is_suggested_and_linked_only_inside_the_jurisdiction(
    tree, personas, front
):
    officer = personas.township_officer
    # given: the 月塘 worker's mobile is 王静思's; the 荷塘区 worker's is 谭巧珍's
    personas.village_worker.mobile = front.wang.person.mobile
    personas.village_worker.save(update_fields=["mobile"])
    personas.outsider.mobile = front.tan.person.mobile
    personas.outsider.save(update_fields=["mobile"])
    wang = mob_selectors.member_get(user=officer, member_id=front.wang.pk)
    tan = mob_selectors.member_get(user=officer, member_id=front.tan.pk)
    # then: a suggestion for 王静思 only
    assert mob_selectors.account_suggestion(user=officer, member=wang) == personas.village_worker
    assert mob_selectors.account_suggestion(user=officer, member=tan) is None
    # when: the officer links by mobile
    linked = member_link_by_mobile(actor=officer, unit=tree.liyu)
    # then
    assert [m.pk for m in linked] == [front.wang.pk]
    front.tan.refresh_from_db()
    assert front.tan.account_id is None
    # and running it again links nothing more
    assert member_link_by_mobile(actor=officer, unit=tree.liyu) == []


def test_engagement_page_shows_where_members_serve_with_drill_down(
    tree, personas, served, client_of
):
    client = client_of(personas.township_officer)
    day = TODAY.isoformat()
    page = client.get(f"/party/units/{tree.liyu.code}/?start={day}&end={day}")
    assert page.status_code == 200
    html = page.content.decode()
    assert "data-serve" in html and "入户排查走访" in html and "消杀作业" in html
    assert f"/party/units/{tree.yuetang.code}/?start={day}" in html
    # and the API carries the same figures
    data = client.get(f"/api/v1/party/engagement?unit={tree.liyu.code}&start={day}&end={day}")
    assert data.status_code == 200
    own = data.json()["own"]["values"]
    assert (own["visits"], own["checkins"], own["disinfections"], own["deliveries"]) == (
        2,
        2,
        1,
        1,
    )
