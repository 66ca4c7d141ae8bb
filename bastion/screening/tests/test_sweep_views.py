import uuid
from datetime import timedelta

from django.utils import timezone

from bastion.people.models import Household
from bastion.screening.models import HouseholdVisit, Signal, Sweep, TravelRecord

TODAY = timezone.localdate()


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
            "r_name": "刘七",
            "r_mobile": "13900003333",
            "r_origin_province": "湖北",
            "r_origin_city": "武汉",
            "r_arrived_on": (TODAY - timedelta(days=1)).isoformat(),
            "r_transport": "train",
            "r_transport_no": "g1234",
            "client_uuid": str(uuid.uuid4()),
        },
        follow=True,
    )
    # then
    page = response.content.decode()
    assert "已登记走访：月塘路 1 号；返乡人员已生成线索。" in page
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
            "r_name": "刘七",
            "r_origin_province": "湖北",
            "r_arrived_on": TODAY.isoformat(),
            "r_transport": "plane",
            "r_transport_no": "航班",
        },
    )
    assert 'data-field="r_transport_no">航班号格式不对，例如 CZ3456。' in response.content.decode()
    assert not HouseholdVisit.objects.exists()


def test_the_todo_list_moves_as_visits_are_recorded(sweep, households, personas, client_of):
    client = client_of(personas.village_worker)
    before = client.get(f"/screening/sweeps/{sweep.pk}/todo/").content.decode()
    client.post(
        f"/screening/sweeps/{sweep.pk}/households/{households['a'].pk}/visit/",
        {"result": "visited"},
    )
    after = client.get(f"/screening/sweeps/{sweep.pk}/todo/").content.decode()
    assert f'data-household="{households["a"].pk}"' in before
    assert f'data-household="{households["a"].pk}"' not in after
    assert "今天已走访 1 户" in after


def test_the_township_sees_coverage_per_village(sweep, households, personas, client_of, tree):
    client_of(personas.village_worker).post(
        f"/screening/sweeps/{sweep.pk}/households/{households['a'].pk}/visit/",
        {"result": "visited"},
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
