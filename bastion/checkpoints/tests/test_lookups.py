"""The roadside lookup (`passage_search`): the earlier passages of a plate, or of a person by ID
number or phone, newest first, inside the jurisdiction, in a fixed number of queries that load
everything the answer shows (issue 8, figure 5: p95 ≤ 5 ms over tier M)."""

import uuid

from bastion.accounts.jurisdiction import active_memberships
from bastion.checkpoints.api.schemas import PassageOut
from bastion.checkpoints.selectors import LookupKind, passage_search
from bastion.checkpoints.services import OccupantIn, passage_register
from bastion.checkpoints.tests.conftest import ID_DRIVER, ID_PASSENGER, NOW, at


def driver(**fields):
    return OccupantIn(
        name="张三", id_number=ID_DRIVER, phone="13800138000", temperature="36.5", **fields
    )


def test_a_person_is_found_in_each_passage_once_newest_first(register):
    # given: 张三 three times at 株洲西, once twice in one car (a typo of the passenger's seat)
    first = register(plate="湘B11111", occurred_at=at(1, 8), occupants=[driver()])
    second = register(plate="湘B22222", occurred_at=at(1, 9), occupants=[driver(), driver()])
    third = register(
        plate="湘B33333",
        occurred_at=at(1, 9, 30),
        occupants=[OccupantIn(name="李四", id_number=ID_PASSENGER, temperature="36.5"), driver()],
    )
    register(plate="湘B44444", occurred_at=at(1, 9, 45))
    officer = first.recorded_by
    # when
    by_id = passage_search(user=officer, kind=LookupKind.ID_NUMBER, value=ID_DRIVER)
    by_phone = passage_search(user=officer, kind=LookupKind.PHONE, value="13800138000")
    # then
    assert by_id == by_phone == [third, second, first]
    assert [o.name for o in by_id[0].occupants.all()] == ["李四", "张三"]


def test_a_passage_of_another_county_stays_hidden(register, hetang_checkpoint, hetang_officer):
    # given: 张三 at 株洲西 (天元区) and at 荷塘's checkpoint
    ours = register(occupants=[driver()])
    passage_register(
        actor=hetang_officer,
        checkpoint=hetang_checkpoint,
        client_uuid=uuid.uuid4(),
        plate="湘B12345",
        occupants=[driver()],
        now=NOW,
    )
    # when
    found = passage_search(user=ours.recorded_by, kind=LookupKind.ID_NUMBER, value=ID_DRIVER)
    plates = passage_search(user=ours.recorded_by, kind=LookupKind.PLATE, value="湘B12345")
    # then
    assert found == plates == [ours]


def test_the_answer_is_loaded_in_two_queries(register, django_assert_num_queries):
    # given
    for hour in range(5, 9):
        register(
            occurred_at=at(1, hour),
            occupants=[driver(), OccupantIn(name="李四", temperature="36.5")],
        )
    officer = register(occurred_at=at(1, 4)).recorded_by
    active_memberships(officer)
    # when: the passage ids, then their occupants with passage, checkpoint and destination
    with django_assert_num_queries(2):
        found = passage_search(user=officer, kind=LookupKind.ID_NUMBER, value=ID_DRIVER)
    # then: what the API and the pages show needs nothing more
    with django_assert_num_queries(0):
        items = [PassageOut.of(p) for p in found]
    assert len(items) == 4 and items[0].destination is not None
    assert [len(i.occupants) for i in items] == [2, 2, 2, 2]
    assert [i.occurred_at for i in items] == sorted((i.occurred_at for i in items), reverse=True)
    with django_assert_num_queries(2):
        assert len(passage_search(user=officer, kind=LookupKind.PLATE, value="湘B12345")) == 5


def test_nobody_found_costs_one_query(register, django_assert_num_queries):
    officer = register().recorded_by
    active_memberships(officer)
    with django_assert_num_queries(1):
        assert passage_search(user=officer, kind=LookupKind.PHONE, value="13900000000") == []


def test_more_passages_than_the_limit_keeps_the_newest(register):
    # given: 张三 in five cars
    passages = [register(occurred_at=at(1, hour), occupants=[driver()]) for hour in range(5, 10)]
    officer = passages[0].recorded_by
    # when
    found = passage_search(user=officer, kind=LookupKind.ID_NUMBER, value=ID_DRIVER, limit=3)
    # then
    assert found == passages[:1:-1]
    assert [o.name for o in found[0].occupants.all()] == ["张三"]
