"""Volunteers and cadres of the mobilisation roster (动员队员) are put on checkpoint shifts."""

import pytest
from django.core.exceptions import ValidationError

from bastion.checkpoints.models import DutyAssignment
from bastion.checkpoints.services import assignment_add, shifts_ensure
from bastion.checkpoints.tests.test_rosters import MONDAY
from bastion.mobilisation.models import Member
from bastion.people.models import Person


@pytest.fixture
def volunteer(tree):
    person = Person.objects.create(
        name="罗志愿", mobile="13912345678", unit=tree.yuetang, unit_code=tree.yuetang.code
    )
    return Member.objects.create(person=person, unit=tree.yuetang, unit_code=tree.yuetang.code)


@pytest.fixture
def monday_shift(zhuzhou_west):
    return shifts_ensure(checkpoint=zhuzhou_west, start=MONDAY, days=1)[0]


def test_a_member_stands_a_shift_with_the_registry_name_and_phone(
    personas, monday_shift, volunteer
):
    # when
    assignment = assignment_add(
        actor=personas.county_officer, shift=monday_shift, staff_kind="volunteer", member=volunteer
    )
    # then
    assert (assignment.member, assignment.person_name, assignment.phone) == (
        volunteer,
        "罗志愿",
        "13912345678",
    )
    assert assignment.person_key == f"m:{volunteer.person_id}"


def test_the_same_member_twice_on_one_shift_is_refused(personas, monday_shift, volunteer):
    assignment_add(
        actor=personas.county_officer, shift=monday_shift, staff_kind="volunteer", member=volunteer
    )
    with pytest.raises(ValidationError) as e:
        assignment_add(
            actor=personas.county_officer,
            shift=monday_shift,
            staff_kind="volunteer",
            member=volunteer,
        )
    assert "person_name" in e.value.message_dict


def test_the_planner_picks_a_member_on_the_shift_page(client_of, personas, monday_shift, volunteer):
    # given
    client = client_of(personas.county_officer)
    page = client.get(f"/checkpoints/shifts/{monday_shift.pk}/")
    assert "罗志愿 · 月塘社区" in page.content.decode()
    # when
    response = client.post(
        f"/checkpoints/shifts/{monday_shift.pk}/assign/",
        {"staff_kind": "volunteer", "member_id": volunteer.pk},
    )
    # then
    assert response.status_code == 302
    assert DutyAssignment.objects.get(shift=monday_shift).member == volunteer


def test_the_api_assigns_a_member_and_refuses_one_out_of_jurisdiction(
    client_of, personas, monday_shift, volunteer, tree
):
    # given: a member of another county
    stranger = Member.objects.create(
        person=Person.objects.create(
            name="外区人", unit=tree.wenhualu, unit_code=tree.wenhualu.code
        ),
        unit=tree.wenhualu,
        unit_code=tree.wenhualu.code,
    )
    client = client_of(personas.county_officer)
    url = f"/api/v1/shifts/{monday_shift.pk}/assignments"
    # when
    ok = client.post(
        url, {"staff_kind": "volunteer", "member_id": volunteer.pk}, "application/json"
    )
    refused = client.post(
        url, {"staff_kind": "volunteer", "member_id": stranger.pk}, "application/json"
    )
    # then
    assert ok.status_code == 201 and ok.json()["person_name"] == "罗志愿"
    assert refused.status_code == 422
    assert refused.json()["errors"] == [
        {"field": "member_id", "message": "队员不存在，或不在本卡点周边单元的辖区内。"}
    ]
