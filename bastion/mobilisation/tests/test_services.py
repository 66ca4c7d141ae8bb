import uuid
from datetime import date, timedelta
from decimal import Decimal

import pytest

from bastion.core.errors import ValidationError
from bastion.mobilisation import services
from bastion.mobilisation.models import Application, Team, TeamMembership, WorkLog
from bastion.mobilisation.tests.conftest import NOW, TODAY
from bastion.orgs.models import Kind, OrgUnit


def errors_of(excinfo):
    return {k: v[0] for k, v in excinfo.value.message_dict.items()}


def test_it_registers_a_party_member_with_skills(tree, personas, person_in):
    # given
    person = person_in(tree.yuetang, "刘建国")
    # when
    member = services.member_create(
        actor=personas.township_officer,
        unit=tree.yuetang,
        person=person,
        is_party_member=True,
        party_since_year=1998,
        skills=["driving", "medical"],
        posts="村支书",
        now=NOW,
    )
    # then
    assert member.unit_code == tree.yuetang.code
    assert member.skills == ["medical", "driving"]
    assert member.party_since_year == 1998


@pytest.mark.parametrize("year", [1920, 2021])
def test_rejects_a_party_year_outside_1921_to_this_year(tree, personas, person_in, year):
    # when
    with pytest.raises(ValidationError) as excinfo:
        services.member_create(
            actor=personas.township_officer,
            unit=tree.yuetang,
            person=person_in(tree.yuetang),
            is_party_member=True,
            party_since_year=year,
            now=NOW,
        )
    # then
    assert errors_of(excinfo) == {"party_since_year": "入党年份须在 1921 到 2020 之间。"}


def test_rejects_an_unknown_skill_and_a_second_membership(tree, personas, person_in):
    # given
    person = person_in(tree.yuetang)
    services.member_create(actor=personas.township_officer, unit=tree.yuetang, person=person)
    # when
    with pytest.raises(ValidationError) as excinfo:
        services.member_create(
            actor=personas.township_officer, unit=tree.yuetang, person=person, skills=["cooking"]
        )
    # then
    assert errors_of(excinfo) == {"skills": "请从列表中选择特长。"}
    with pytest.raises(ValidationError) as excinfo:
        services.member_create(actor=personas.township_officer, unit=tree.yuetang, person=person)
    assert errors_of(excinfo) == {"person": "该人员已是本单位的队员。"}


def test_rejects_a_member_added_by_a_village_worker(tree, personas, person_in):
    # when
    with pytest.raises(ValidationError) as excinfo:
        services.member_create(
            actor=personas.village_worker, unit=tree.yuetang, person=person_in(tree.yuetang)
        )
    # then
    assert errors_of(excinfo) == {"unit": "所属单位不存在或不在您的辖区内。"}


def test_it_applies_selects_and_declines(tree, personas, member_in, village_call):
    # given
    first, second = member_in(tree.yuetang), member_in(tree.yuetang, name="李四")
    # when
    a = services.application_create(actor=personas.village_worker, member=first, call=village_call)
    b = services.application_create(actor=personas.village_worker, member=second, call=village_call)
    services.application_decide(actor=personas.township_officer, application=a, select=True)
    services.application_decide(actor=personas.township_officer, application=b, select=False)
    # then
    statuses = dict(Application.objects.values_list("member_id", "status"))
    assert statuses == {first.pk: "selected", second.pk: "declined"}


def test_rejects_a_second_application_and_a_second_decision(
    tree, personas, member_in, village_call
):
    # given
    member = member_in(tree.yuetang)
    a = services.application_create(actor=personas.village_worker, member=member, call=village_call)
    services.application_decide(actor=personas.township_officer, application=a, select=True)
    # when
    with pytest.raises(ValidationError) as twice:
        services.application_create(actor=personas.village_worker, member=member, call=village_call)
    with pytest.raises(ValidationError) as decided:
        services.application_decide(actor=personas.township_officer, application=a, select=False)
    # then
    assert errors_of(twice) == {"member": "该队员已经报名。"}
    assert errors_of(decided) == {"application": "该报名已处理。"}


def test_rejects_a_selection_by_a_village_worker(tree, personas, member_in, village_call):
    # given
    a = services.application_create(
        actor=personas.village_worker, member=member_in(tree.yuetang), call=village_call
    )
    # when
    with pytest.raises(ValidationError) as excinfo:
        services.application_decide(actor=personas.village_worker, application=a, select=True)
    # then
    assert errors_of(excinfo) == {"application": "所属单位不存在或不在您的辖区内。"}


def test_rejects_a_member_from_outside_the_calling_unit(tree, personas, member_in, village_call):
    # when
    with pytest.raises(ValidationError) as excinfo:
        services.application_create(
            actor=personas.commander, member=member_in(tree.liyujuwei), call=village_call
        )
    # then
    assert errors_of(excinfo) == {"member": "该队员不属于发布单位的辖区。"}


def test_rejects_an_application_to_a_closed_call(tree, personas, member_in, village_call):
    # given
    services.call_close(actor=personas.township_officer, call=village_call)
    # when
    with pytest.raises(ValidationError) as excinfo:
        services.application_create(
            actor=personas.village_worker, member=member_in(tree.yuetang), call=village_call
        )
    # then
    assert errors_of(excinfo) == {"call": "该征集已截止。"}


def test_a_pledge_needs_a_statement_and_keeps_the_party_application(
    tree, personas, member_in, village_call
):
    # given
    nurse = member_in(tree.yuetang, name="王护士")
    # when
    with pytest.raises(ValidationError) as excinfo:
        services.application_create(
            actor=personas.village_worker, member=nurse, call=village_call, is_pledge=True
        )
    pledge = services.application_create(
        actor=personas.village_worker,
        member=nurse,
        call=village_call,
        is_pledge=True,
        statement="若有战，召必回，战必胜！",
        applies_to_join_party=True,
    )
    # then
    assert errors_of(excinfo) == {"statement": "请填写请战内容。"}
    assert pledge.applies_to_join_party is True


def test_selecting_a_team_pledge_puts_the_member_in_the_team(tree, personas, member_in):
    # given
    team = services.team_create(actor=personas.township_officer, unit=tree.liyu, name="支援队")
    nurse = member_in(tree.yuetang)
    pledge = services.application_create(
        actor=personas.village_worker, member=nurse, team=team, is_pledge=True, statement="请战"
    )
    # when
    services.application_decide(actor=personas.township_officer, application=pledge, select=True)
    # then
    assert list(team.members.all()) == [nurse]


def test_it_forms_a_team_with_its_temporary_branch(tree, personas, member_in):
    # given
    leader, other = member_in(tree.yuetang, party=True), member_in(tree.yuetang, name="李四")
    # when
    team = services.team_create(
        actor=personas.township_officer,
        unit=tree.liyu,
        name="赴湖北医疗支援队",
        members=[leader, other],
        leader=leader,
        with_branch=True,
        branch_name="赴湖北医疗支援临时党支部",
    )
    # then
    branch = team.party_branch
    assert branch is not None
    assert (branch.parent, branch.kind, branch.party_kind) == (
        tree.liyu,
        Kind.PARTY_BRANCH,
        "temporary_branch",
    )
    assert branch.code.startswith(tree.liyu.code)
    assert set(team.members.all()) == {leader, other}


def test_a_failed_team_creates_no_branch(tree, personas, member_in, monkeypatch):
    # given
    member = member_in(tree.yuetang)
    branches = OrgUnit.objects.filter(kind=Kind.PARTY_BRANCH).count()

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(TeamMembership.objects, "bulk_create", boom)
    # when
    with pytest.raises(RuntimeError):
        services.team_create(
            actor=personas.township_officer,
            unit=tree.liyu,
            name="支援队",
            members=[member],
            with_branch=True,
            branch_name="临时党支部",
        )
    # then
    assert OrgUnit.objects.filter(kind=Kind.PARTY_BRANCH).count() == branches
    assert not Team.objects.exists()


def test_rejects_a_leader_outside_the_team_and_a_missing_branch_name(tree, personas, member_in):
    # when
    with pytest.raises(ValidationError) as excinfo:
        services.team_create(
            actor=personas.township_officer,
            unit=tree.liyu,
            name="支援队",
            leader=member_in(tree.yuetang),
            with_branch=True,
        )
    # then
    assert errors_of(excinfo) == {
        "leader": "队长须为本队队员。",
        "branch_name": "请填写临时党支部名称。",
    }


def test_it_records_a_work_log_and_replays_it(tree, personas, member_in):
    # given
    member = member_in(tree.yuetang)
    key = uuid.uuid4()
    # when
    first, created = services.work_log_record(
        actor=personas.village_worker,
        member=member,
        day=TODAY,
        hours="12.5",
        cancelled_leave=True,
        client_uuid=key,
        now=NOW,
    )
    again, created_again = services.work_log_record(
        actor=personas.village_worker, member=member, day=TODAY, hours=3, client_uuid=key, now=NOW
    )
    # then
    assert (created, created_again) == (True, False)
    assert again.pk == first.pk
    assert first.hours == Decimal("12.5")
    assert WorkLog.objects.count() == 1


@pytest.mark.parametrize("hours", [0, "-1", "24.5", "7.3", "abc", "NaN"])
def test_rejects_hours_outside_half_steps_up_to_24(tree, personas, member_in, hours):
    # when
    with pytest.raises(ValidationError) as excinfo:
        services.work_log_record(
            actor=personas.village_worker,
            member=member_in(tree.yuetang),
            day=TODAY,
            hours=hours,
            client_uuid=uuid.uuid4(),
            now=NOW,
        )
    # then
    assert errors_of(excinfo) == {"hours": "工作时长须大于 0、不超过 24 小时，以半小时计。"}


def test_rejects_a_second_log_on_the_same_day_and_a_future_day(tree, personas, member_in):
    # given
    member = member_in(tree.yuetang)
    services.work_log_record(
        actor=personas.village_worker,
        member=member,
        day=TODAY,
        hours=8,
        client_uuid=uuid.uuid4(),
        now=NOW,
    )
    # when
    with pytest.raises(ValidationError) as same_day:
        services.work_log_record(
            actor=personas.village_worker,
            member=member,
            day=TODAY,
            hours=4,
            client_uuid=uuid.uuid4(),
            now=NOW,
        )
    with pytest.raises(ValidationError) as future:
        services.work_log_record(
            actor=personas.village_worker,
            member=member,
            day=TODAY + timedelta(days=1),
            hours=4,
            client_uuid=uuid.uuid4(),
            now=NOW,
        )
    # then
    assert errors_of(same_day) == {"day": "该队员当天已有工作记录。"}
    assert errors_of(future) == {"day": "日期不能晚于今天。"}


def test_rejects_a_work_log_for_a_member_out_of_jurisdiction(tree, personas, member_in):
    # when
    with pytest.raises(ValidationError) as excinfo:
        services.work_log_record(
            actor=personas.village_worker,
            member=member_in(tree.liyujuwei),
            day=date(2020, 1, 30),
            hours=8,
            client_uuid=uuid.uuid4(),
            now=NOW,
        )
    # then
    assert errors_of(excinfo) == {"member": "队员不存在或不在您的辖区内。"}
