import uuid
from datetime import timedelta

from django.utils import timezone

from bastion.people.models import Household, Person
from bastion.screening.models import HouseholdVisit, Signal, Sweep, TravelRecord

TODAY = timezone.localdate()


def rows(prefix: str, *lines: dict[str, str], initial: int = 0) -> dict[str, str]:
    """A formset's POST data: the management form and one dict per line."""
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(lines)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "30",
    }
    for i, line in enumerate(lines):
        data.update({f"{prefix}-{i}-{k}": v for k, v in line.items()})
    return data


def returnee_rows(*lines: dict[str, str]) -> dict[str, str]:
    return rows("r", *lines)


def member_rows(*lines: dict[str, str], initial: int = 0) -> dict[str, str]:
    return rows("m", *lines, initial=initial)


EMPTY_MEMBERS = member_rows()


def test_a_township_officer_starts_a_sweep(personas, client_of, tree):
    response = client_of(personas.township_officer).post(
        "/screening/sweeps/new/",
        {"unit": tree.liyu.code, "starts_on": TODAY.isoformat(), "ends_on": TODAY.isoformat()},
    )
    sweep = Sweep.objects.get()
    assert response.status_code == 302 and sweep.unit == tree.liyu


def test_starting_a_sweep_shows_field_errors(personas, client_of, tree):
    response = client_of(personas.township_officer).post(
        "/screening/sweeps/new/",
        {
            "unit": tree.liyu.code,
            "starts_on": TODAY.isoformat(),
            "ends_on": (TODAY - timedelta(days=1)).isoformat(),
        },
    )
    assert "结束日期不能早于开始日期。" in response.content.decode()


def test_the_home_page_leads_to_the_running_sweep(sweep, personas, client_of):
    page = client_of(personas.village_worker).get("/screening/").content.decode()
    assert sweep.name in page and f"/screening/sweeps/{sweep.pk}/todo/" in page


def test_the_worker_records_a_visit_with_a_returnee(sweep, households, personas, client_of):
    # given
    client = client_of(personas.village_worker)
    household = households["a"]
    # when
    response = client.post(
        f"/screening/sweeps/{sweep.pk}/households/{household.pk}/visit/",
        {
            "result": "visited",
            "residents": "3",
            **EMPTY_MEMBERS,
            **returnee_rows(
                {
                    "name": "刘七",
                    "mobile": "13900003333",
                    "origin_province": "湖北",
                    "origin_city": "武汉",
                    "arrived_on": (TODAY - timedelta(days=1)).isoformat(),
                    "transport": "train",
                    "transport_no": "g1234",
                }
            ),
            "client_uuid": str(uuid.uuid4()),
        },
        follow=True,
    )
    # then
    page = response.content.decode()
    assert "已登记走访：月塘路 1 号；1 名返乡人员已生成线索。" in page
    assert HouseholdVisit.objects.get().residents == 3
    assert TravelRecord.objects.get().transport_no == "G1234"
    assert Signal.objects.get().source == "sweep"
    # and the next visit form remembers where returnees came from
    form = client.get(f"/screening/sweeps/{sweep.pk}/households/{households['b'].pk}/visit/")
    assert 'value="湖北"' in form.content.decode()


def test_a_bad_returnee_field_shows_beside_its_field(sweep, households, personas, client_of):
    response = client_of(personas.village_worker).post(
        f"/screening/sweeps/{sweep.pk}/households/{households['a'].pk}/visit/",
        {
            "result": "visited",
            **EMPTY_MEMBERS,
            **returnee_rows(
                {"name": "李四", "origin_province": "湖北", "arrived_on": TODAY.isoformat()},
                {
                    "name": "刘七",
                    "origin_province": "湖北",
                    "arrived_on": TODAY.isoformat(),
                    "transport": "plane",
                    "transport_no": "航班",
                },
            ),
        },
    )
    page = response.content.decode()
    assert 'data-field="r-0-transport">请选择交通方式。' in page
    assert 'data-field="r-1-transport_no">航班号格式不对，例如 CZ3456。' in page
    assert not HouseholdVisit.objects.exists()


def test_the_todo_list_moves_as_visits_are_recorded(sweep, households, personas, client_of):
    client = client_of(personas.village_worker)
    before = client.get(f"/screening/sweeps/{sweep.pk}/todo/").content.decode()
    client.post(
        f"/screening/sweeps/{sweep.pk}/households/{households['a'].pk}/visit/",
        {"result": "visited", **EMPTY_MEMBERS, **returnee_rows()},
    )
    after = client.get(f"/screening/sweeps/{sweep.pk}/todo/").content.decode()
    assert f'data-household="{households["a"].pk}"' in before
    assert f'data-household="{households["a"].pk}"' not in after
    assert "今天已走访 1 户" in after


def test_the_township_sees_coverage_per_village(sweep, households, personas, client_of, tree):
    client_of(personas.village_worker).post(
        f"/screening/sweeps/{sweep.pk}/households/{households['a'].pk}/visit/",
        {"result": "visited", **EMPTY_MEMBERS, **returnee_rows()},
    )
    page = client_of(personas.township_officer).get(f"/screening/sweeps/{sweep.pk}/").content
    assert b"1/5" in page and tree.yuetang.code.encode() in page


def test_a_worker_adds_an_unregistered_household_then_visits_it(
    sweep, households, personas, client_of, tree
):
    response = client_of(personas.village_worker).post(
        f"/screening/sweeps/{sweep.pk}/households/new/",
        {"unit": tree.yuetang.code, "address": "月塘路 9 号"},
    )
    household = Household.objects.get(address="月塘路 9 号")
    assert response.url == f"/screening/sweeps/{sweep.pk}/households/{household.pk}/visit/"


def test_a_household_of_another_village_is_404(sweep, households, personas, client_of):
    response = client_of(personas.village_worker).get(
        f"/screening/sweeps/{sweep.pk}/households/{households['d'].pk}/visit/"
    )
    assert response.status_code == 404


def test_a_sweep_out_of_jurisdiction_is_404(sweep, personas, client_of):
    client = client_of(personas.outsider)
    assert client.get(f"/screening/sweeps/{sweep.pk}/").status_code == 404
    assert client.get(f"/screening/sweeps/{sweep.pk}/todo/").status_code == 404


def test_a_visit_records_two_returnees_and_the_household_register(
    sweep, households, personas, client_of
):
    # given
    client = client_of(personas.village_worker)
    url = f"/screening/sweeps/{sweep.pk}/households/{households['a'].pk}/visit/"
    arrived = (TODAY - timedelta(days=1)).isoformat()
    # when
    response = client.post(
        url,
        {
            "result": "visited",
            **member_rows(
                {"name": "张三", "relation": "head", "mobile": "13900001111"},
                {"name": "刘七", "relation": "child"},
            ),
            **returnee_rows(
                {
                    "name": "刘七",
                    "mobile": "13900003333",
                    "origin_province": "湖北",
                    "arrived_on": arrived,
                    "transport": "train",
                },
                {
                    "name": "王八",
                    "origin_province": "广东",
                    "arrived_on": arrived,
                    "transport": "self_drive",
                    "transport_no": "粤B12345",
                },
            ),
        },
        follow=True,
    )
    # then
    assert "2 名返乡人员已生成线索" in response.content.decode()
    visit = HouseholdVisit.objects.get()
    register = {m.person.name: m for m in visit.members.select_related("person")}
    assert set(register) == {"张三", "刘七", "王八"}
    assert register["刘七"].relation == "child" and register["刘七"].arrived_recently
    assert register["王八"].relation == "other" and not register["张三"].arrived_recently
    assert visit.residents == 2
    assert TravelRecord.objects.count() == 2 and Signal.objects.count() == 2
    assert Person.objects.filter(name="刘七").count() == 1
    # and the next visit offers the register, masked
    page = client.get(url).content.decode()
    assert 'value="张三"' in page and 'placeholder="139****1111"' in page
    assert 'name="m-TOTAL_FORMS" value="4"' in page  # three known + one blank line


def test_a_second_visit_keeps_the_same_persons(sweep, households, personas, client_of):
    # given a first visit that registered the head
    client = client_of(personas.village_worker)
    url = f"/screening/sweeps/{sweep.pk}/households/{households['a'].pk}/visit/"
    client.post(
        url,
        {
            "result": "visited",
            **member_rows({"name": "张三", "relation": "head"}),
            **returnee_rows(),
        },
    )
    head = Person.objects.get(name="张三")
    # when the worker sends the pre-filled line back, with a phone added
    client.post(
        url,
        {
            "result": "visited",
            **member_rows(
                {
                    "person_id": str(head.pk),
                    "name": "张三",
                    "relation": "head",
                    "mobile": "13900001111",
                },
                initial=1,
            ),
            **returnee_rows(),
        },
    )
    # then
    assert Person.objects.filter(name="张三").count() == 1
    head.refresh_from_db()
    assert head.mobile == "13900001111" and head.household == households["a"]
    assert HouseholdVisit.objects.count() == 2


def test_a_bad_member_line_shows_beside_its_field(sweep, households, personas, client_of):
    response = client_of(personas.village_worker).post(
        f"/screening/sweeps/{sweep.pk}/households/{households['a'].pk}/visit/",
        {
            "result": "visited",
            **member_rows(
                {"name": "张三", "relation": "head"},
                {},  # a blank line is no line
                {"name": "李四", "relation": "head", "id_number": "430202199001010012"},
            ),
            **returnee_rows(),
        },
    )
    page = response.content.decode()
    assert 'data-field="m-2-relation">一户只能有一位户主。' in page
    assert 'data-field="m-2-id_number">' in page
    assert not HouseholdVisit.objects.exists() and not Person.objects.exists()


def test_a_member_of_another_household_cannot_be_claimed(sweep, households, personas, client_of):
    other = Person.objects.create(
        name="赵六", unit=households["b"].unit, unit_code="430211003016", household=households["b"]
    )
    response = client_of(personas.village_worker).post(
        f"/screening/sweeps/{sweep.pk}/households/{households['a'].pk}/visit/",
        {
            "result": "visited",
            **member_rows({"person_id": str(other.pk), "name": "赵六", "relation": "head"}),
            **returnee_rows(),
        },
    )
    assert 'data-field="m-0-name">该人员不是本户的成员，请重新填写。' in response.content.decode()
    assert not HouseholdVisit.objects.exists()
