"""Who lives there (在住人员): the register taken at the door, linked to the person registry."""

from datetime import timedelta

import pytest
from django.utils import timezone

from bastion.core.errors import ValidationError
from bastion.core.validators import id_check_char
from bastion.people.models import Household, Person
from bastion.screening.models import Signal, TravelRecord, VisitMember
from bastion.screening.selectors import household_known_members
from bastion.screening.services.members import MAX_MEMBERS, Member
from bastion.screening.services.sweeps import Arrival, visit_record
from bastion.screening.tests.conftest import journey

TODAY = timezone.localdate()


def citizen_id(first17: str) -> str:
    return first17 + id_check_char(first17)


ID_A = citizen_id("43021119800101001")
ID_B = citizen_id("43020219900101002")


def visit(sweep, household, actor, **kwargs):
    kwargs.setdefault("result", "visited")
    return visit_record(actor=actor, sweep=sweep, household=household, **kwargs)[0]


def test_members_are_registered_once_and_linked(sweep, households, personas):
    # when
    first = visit(
        sweep,
        households["a"],
        personas.village_worker,
        members=[
            Member(name="张三", relation="head", id_number=ID_A),
            Member(name="李梅", relation="spouse", mobile="13900001111"),
            Member(name="张小", relation="child"),
        ],
    )
    # then
    assert first.residents == 3
    persons = Person.objects.filter(household=households["a"])
    assert {p.name for p in persons} == {"张三", "李梅", "张小"}
    assert Person.objects.get(name="张三").birth_date.year == 1980
    # and a second visit with the same lines, typed again without person ids, adds nobody
    second = visit(
        sweep,
        households["a"],
        personas.village_worker,
        members=[
            Member(name="张三", relation="head", id_number=ID_A),
            Member(name="李梅", relation="spouse", mobile="13900001111"),
            Member(name="张小", relation="child"),
        ],
    )
    assert Person.objects.count() == 3
    assert VisitMember.objects.filter(visit=second).count() == 3


def test_the_next_visit_is_offered_the_latest_register(sweep, households, personas):
    visit(
        sweep,
        households["a"],
        personas.village_worker,
        members=[Member(name="张三", relation="head"), Member(name="张小", relation="child")],
    )
    # a later visit where only the head was met; and someone the registry adds meanwhile
    latest = visit(
        sweep,
        households["a"],
        personas.village_worker,
        members=[Member(name="张三", relation="head")],
    )
    Person.objects.create(
        name="新来",
        unit=households["a"].unit,
        unit_code=households["a"].unit_code,
        household=households["a"],
    )
    known = household_known_members(household=households["a"])
    assert latest.members.count() == 1
    # the latest register first (its relation), then registry members it did not list
    assert [(k.person.name, k.relation) for k in known] == [
        ("张三", "head"),
        ("张小", ""),
        ("新来", ""),
    ]


def test_a_returnee_listed_as_a_member_is_one_person_with_a_journey(sweep, households, personas):
    visit(
        sweep,
        households["a"],
        personas.village_worker,
        members=[Member(name="刘七", relation="child")],
        arrivals=[
            Arrival(name="刘七", id_number=ID_B, journey=journey()),
            Arrival(name="王八", journey=journey(origin_province="广东")),
        ],
    )
    liu = Person.objects.get(name="刘七")
    assert liu.id_number == ID_B  # the returnee's ID number went to the member
    assert Person.objects.count() == 2 and TravelRecord.objects.count() == 2
    lines = {m.person.name: m for m in VisitMember.objects.select_related("person")}
    assert lines["刘七"].arrived_recently and lines["刘七"].relation == "child"
    assert lines["王八"].arrived_recently and lines["王八"].relation == "other"
    assert Signal.objects.filter(source="sweep").count() == 2


def test_a_member_marked_as_arrived_without_a_journey_still_raises_a_signal(
    sweep, households, personas
):
    visit(
        sweep,
        households["a"],
        personas.village_worker,
        members=[Member(name="刘七", relation="child", arrived_recently=True)],
    )
    signal = Signal.objects.get()
    assert signal.reason == "入户排查：在住人员近 14 天内自外地返回，行程待登记"
    assert signal.person.name == "刘七" and signal.unit_code == households["a"].unit_code
    assert not TravelRecord.objects.exists()


def test_bad_lines_are_named_by_index_and_nothing_is_written(sweep, households, personas):
    with pytest.raises(ValidationError) as e:
        visit(
            sweep,
            households["a"],
            personas.village_worker,
            members=[
                Member(name="", relation="head"),
                Member(name="李四", relation="boss", id_number="43020219900101001X"),
                Member(name="王五", relation="spouse", mobile="123"),
                Member(name="赵六", relation="head"),
            ],
        )
    assert e.value.message_dict == {
        "members.0.name": ["请填写姓名。"],
        "members.1.relation": ["请选择与户主关系。"],
        "members.1.id_number": [e.value.message_dict["members.1.id_number"][0]],
        "members.2.mobile": [e.value.message_dict["members.2.mobile"][0]],
        "members.3.relation": ["一户只能有一位户主。"],
    }
    assert "校验" in e.value.message_dict["members.1.id_number"][0]
    assert not Person.objects.exists() and not VisitMember.objects.exists()


def test_rejects_members_when_nobody_was_home_and_too_many_lines(sweep, households, personas):
    with pytest.raises(ValidationError) as away:
        visit(
            sweep,
            households["a"],
            personas.village_worker,
            result="not_home",
            members=[Member(name="张三", relation="head")],
        )
    with pytest.raises(ValidationError) as many:
        visit(
            sweep,
            households["a"],
            personas.village_worker,
            members=[Member(name=f"人{i}", relation="other") for i in range(MAX_MEMBERS + 1)],
        )
    assert away.value.message_dict == {"members": ["只有见到住户（已走访）时才能登记在住人员。"]}
    assert many.value.message_dict == {"members": [f"一户最多登记 {MAX_MEMBERS} 名在住人员。"]}


def test_a_member_known_elsewhere_is_linked_not_copied_nor_changed(
    sweep, households, personas, tree
):
    # given a person of 文化路社区 (outside the worker's jurisdiction)
    elsewhere = Household.objects.create(
        unit=tree.wenhualu, unit_code=tree.wenhualu.code, address="文化路 1 号"
    )
    outsider = Person.objects.create(
        name="张三",
        id_number=ID_A,
        mobile="13900009999",
        unit=tree.wenhualu,
        unit_code=tree.wenhualu.code,
        household=elsewhere,
    )
    # when the worker lists them with another phone
    visit(
        sweep,
        households["a"],
        personas.village_worker,
        members=[Member(name="张三", relation="tenant", id_number=ID_A, mobile="13900001111")],
    )
    # then the line points at that person, who is neither duplicated nor edited
    line = VisitMember.objects.get()
    outsider.refresh_from_db()
    assert line.person == outsider and Person.objects.count() == 1
    assert outsider.mobile == "13900009999" and outsider.household == elsewhere


def test_a_person_id_of_another_household_is_refused(sweep, households, personas):
    other = Person.objects.create(
        name="赵六",
        unit=households["b"].unit,
        unit_code=households["b"].unit_code,
        household=households["b"],
    )
    with pytest.raises(ValidationError) as e:
        visit(
            sweep,
            households["a"],
            personas.village_worker,
            members=[Member(name="赵六", relation="head", person_id=other.pk)],
        )
    assert e.value.message_dict == {"members.0.name": ["该人员不是本户的成员，请重新填写。"]}


def test_the_window_comes_from_the_policy(sweep, households, personas):
    from bastion.observation.models import Policy

    Policy.objects.create(
        version=1, name="七天", effective_from=TODAY - timedelta(days=60), arrival_window_days=7
    )
    visit(
        sweep,
        households["a"],
        personas.village_worker,
        members=[Member(name="刘七", relation="child", arrived_recently=True)],
    )
    assert "近 7 天内" in Signal.objects.get().reason
