from datetime import timedelta

import pytest
from django.utils import timezone

from bastion.community.models import SiteKind
from bastion.community.services import gathering_create, site_create
from bastion.testing import person_of


@pytest.fixture
def activity(tree, personas):
    """月塘: a toilet due at midnight (overdue), two gatherings persuaded and one pending."""
    site_create(
        actor=personas.village_worker,
        unit=tree.yuetang,
        name="月塘公厕",
        kind=SiteKind.PUBLIC_TOILET,
        times=["00:00"],
        now=timezone.now() - timedelta(days=2),
    )
    for outcome in ("postponed", "cancelled", ""):
        gathering_create(
            actor=personas.village_worker,
            unit=tree.yuetang,
            host_name="刘建国",
            kind="wedding",
            planned_date=timezone.localdate() + timedelta(days=5),
            expected_guests=60,
            outcome=outcome,
        )


def test_index_sends_a_user_to_their_unit(tree, personas, client_of):
    response = client_of(personas.township_officer).get("/community/")
    assert response.url == f"/community/units/{tree.liyu.code}/"


def test_unit_page_counts_per_village(tree, personas, client_of, activity):
    # when
    response = client_of(personas.township_officer).get(f"/community/units/{tree.liyu.code}/")
    # then
    assert response.status_code == 200
    total = response.context["counts_total"]
    assert (total.total, total.persuaded, total.pending) == (3, 2, 1)
    assert response.context["compliance_total"].overdue == 1
    assert response.context["today_cell"].due == 1
    html = response.content.decode()
    assert 'data-stat="persuaded">2<' in html and 'data-stat="overdue">1<' in html
    rows = {r.unit.code: r for r in response.context["compliance"]}
    assert rows[tree.yuetang.code].overdue == 1 and rows[tree.liyujuwei.code].sites == 0


def test_unit_page_counts_gatherings_of_a_period(tree, personas, client_of, activity):
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = client_of(personas.township_officer).get(
        f"/community/units/{tree.liyu.code}/?date_to={tomorrow}"
    )
    assert response.context["counts_total"].total == 0


def test_unit_page_out_of_jurisdiction_is_404(tree, personas, client_of, activity):
    client = client_of(personas.village_worker)
    assert client.get(f"/community/units/{tree.liyujuwei.code}/").status_code == 404
    assert client.get(f"/community/units/{tree.liyu.code}/").status_code == 404
    assert client.get("/community/units/nothing/").status_code == 404


def test_a_volunteer_sees_only_the_disinfection_part(tree, client_of, activity):
    volunteer = person_of("volunteer", "volunteer", tree.yuetang)
    response = client_of(volunteer).get(f"/community/units/{tree.yuetang.code}/")
    assert response.status_code == 200
    assert "counts" not in response.context
    assert response.context["compliance_total"].overdue == 1


def test_unit_page_query_count_does_not_grow_with_villages(
    tree, personas, client_of, activity, django_assert_max_num_queries
):
    client = client_of(personas.commander)
    with django_assert_max_num_queries(12):
        assert client.get(f"/community/units/{tree.liyu.code}/").status_code == 200
