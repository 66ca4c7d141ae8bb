import uuid
from datetime import timedelta

from bastion.mobilisation import selectors, services
from bastion.mobilisation.tests.conftest import NOW, TODAY


def log(actor, member, day, hours):
    services.work_log_record(
        actor=actor, member=member, day=day, hours=hours, client_uuid=uuid.uuid4(), now=NOW
    )


def test_it_counts_members_on_duty_volunteers_pledges_and_teams_per_unit(
    tree, personas, member_in, village_call
):
    # given
    secretary = member_in(tree.yuetang, party=True, name="刘书记")
    volunteer = member_in(tree.yuetang, name="李四")
    member_in(tree.liyujuwei, party=True)
    log(personas.village_worker, secretary, TODAY, 10)
    services.assignment_create(
        actor=personas.township_officer,
        member=volunteer,
        duty="入口测温",
        starts_on=TODAY - timedelta(days=1),
        ends_on=TODAY,
    )
    services.application_create(
        actor=personas.village_worker,
        member=volunteer,
        call=village_call,
        is_pledge=True,
        statement="请战",
    )
    services.team_create(actor=personas.township_officer, unit=tree.liyu, name="支援队")
    # when
    rows = selectors.unit_counts(user=personas.township_officer, unit=tree.liyu, on=TODAY)
    # then
    by_code = {r.unit.code: r for r in rows}
    total, yuetang = by_code[tree.liyu.code], by_code[tree.yuetang.code]
    assert (total.members, total.party_members, total.on_duty, total.party_on_duty) == (3, 2, 2, 1)
    assert (total.volunteers, total.pledges, total.teams) == (1, 1, 1)
    assert (yuetang.members, yuetang.on_duty, yuetang.volunteers) == (2, 2, 1)
    assert by_code[tree.liyujuwei.code].on_duty == 0


def test_counts_stay_inside_the_jurisdiction(tree, personas, member_in):
    # given
    member_in(tree.yuetang)
    member_in(tree.liyujuwei)
    # when
    rows = selectors.unit_counts(user=personas.village_worker, unit=tree.yuetang, on=TODAY)
    # then
    assert rows[0].members == 1


def test_it_lists_who_worked_too_long(tree, personas, member_in):
    # given
    long_day, long_week, rested = (
        member_in(tree.yuetang, name="甲"),
        member_in(tree.yuetang, name="乙"),
        member_in(tree.yuetang, name="丙"),
    )
    log(personas.village_worker, long_day, TODAY, "12.5")
    for back in range(7):
        log(personas.village_worker, long_week, TODAY - timedelta(days=back), 11)
    log(personas.village_worker, long_week, TODAY - timedelta(days=7), 12)
    log(personas.village_worker, rested, TODAY, 12)
    # when
    rows = selectors.worked_too_long(user=personas.township_officer, unit=tree.liyu, on=TODAY)
    # then
    assert [(r.member, r.total) for r in rows] == [(long_week, 77), (long_day, 12.5)]
