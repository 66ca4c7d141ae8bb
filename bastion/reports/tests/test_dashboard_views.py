"""The dashboard pages: who may open which unit, the links behind the figures, the large
screen, and the headline partial of the home page."""

import json
import re
from datetime import timedelta

import pytest
from django.template.loader import render_to_string

from bastion.reports.dashboard.home import headline_for
from bastion.reports.tests import test_dashboard_facts as given
from bastion.reports.tests.test_dashboard_facts import today

facts, scene = given.facts, given.scene  # the fixtures


def test_home_redirects_to_the_users_unit(client_of, personas, tree):
    response = client_of(personas.county_officer).get("/dashboard/")
    assert response.status_code == 302
    assert response["Location"] == f"/dashboard/{tree.tianyuan.code}/"


def test_county_officer_sees_the_county_dashboard(scene, client_of, personas):
    # when
    response = client_of(personas.county_officer).get(f"/dashboard/{scene.tree.tianyuan.code}/")
    # then
    assert response.status_code == 200
    html = response.content.decode()
    assert "天元区" in html
    assert 'data-figure="signals.found"' in html
    # the children, ranked, each opening its own dashboard
    ranked = re.findall(r'data-rank-unit="(\d+)"', html)
    assert ranked == [scene.tree.liyu.code, scene.songshan.code]
    assert f'href="/dashboard/{scene.tree.liyu.code}/"' in html
    # the charts' data, zero-filled
    data = json.loads(
        re.search(r'id="dashboard-data" type="application/json">(.*?)</script>', html).group(1)
    )
    assert data["series"]["signals.found"]["values"][-2:] == [1, 3]
    assert len(data["days"]) == len(data["series"]["checkpoints.vehicles"]["values"])


def test_every_figure_links_to_its_list_filtered_by_unit(scene, client_of, personas):
    code = scene.tree.liyu.code
    html = client_of(personas.township_officer).get(f"/dashboard/{code}/").content.decode()
    assert (
        f'href="/screening/signals/?unit={code}&amp;status=open" data-figure-link="signals.found"'
        in html
    )
    assert (
        f'href="/observation/list/?unit={code}&amp;status=active" '
        'data-figure-link="observation.active"' in html
    )
    assert f'href="/observation/alerts/?unit={code}&amp;kind=fever"' in html
    assert (
        f'href="/checkpoints/units/{code}/report/?from={today():%Y-%m-%d}&amp;to={today():%Y-%m-%d}"'
        in html
    )
    assert (
        f'href="/observation/units/{code}/?date_from={today() - timedelta(days=13):%Y-%m-%d}'
        f'&amp;date_to={today():%Y-%m-%d}" data-latencies-link' in html
    )
    # the ranking's measures lead to the child's list
    yuetang = scene.tree.yuetang.code
    assert f'href="/observation/alerts/?unit={yuetang}&amp;status=open"' in html
    assert f'href="/observation/alerts/?unit={yuetang}&amp;kind=missed"' in html
    liyujuwei = scene.tree.liyujuwei.code
    assert f'href="/community/sites/?unit={liyujuwei}&amp;overdue=1"' in html
    assert f'href="/supplies/units/{liyujuwei}/?all=1"' in html
    assert f'href="/checkpoints/units/{scene.checkpoint.unit_code}/report/"' in html


def test_the_linked_lists_answer_for_the_unit(scene, client_of, personas):
    client = client_of(personas.township_officer)
    code = scene.tree.liyu.code
    html = client.get(f"/dashboard/{code}/").content.decode()
    targets = set(
        re.findall(
            r'href="(/(?:screening|observation|checkpoints|community|supplies)/[^"]+)"', html
        )
    )
    assert len(targets) >= 8
    for url in targets:
        assert client.get(url.replace("&amp;", "&")).status_code == 200, url


def test_auditor_sees_figures_but_no_links_to_pages_beyond_the_role(scene, client_of, personas):
    # The auditor may read reports but not work the alert inbox (MANAGE_OBSERVATIONS).
    response = client_of(personas.auditor).get(f"/dashboard/{scene.tree.tianyuan.code}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-figure="observation.fevers"' in html
    assert "/observation/alerts/" not in html
    assert "/observation/list/?unit=430211000000&amp;status=active" in html


@pytest.mark.parametrize("path", ["/dashboard/{code}/", "/dashboard/{code}/screen/"])
def test_out_of_jurisdiction_is_not_found(scene, client_of, personas, path):
    other_county = scene.tree.hetang.code
    assert client_of(personas.county_officer).get(path.format(code=other_county)).status_code == 404
    # a village worker cannot look up at the township
    worker = client_of(personas.village_worker)
    assert worker.get(path.format(code=scene.tree.liyu.code)).status_code == 404
    assert worker.get(path.format(code=scene.tree.yuetang.code)).status_code == 200
    assert worker.get(path.format(code="999999999999")).status_code == 404


def test_roles_without_reports_have_no_dashboard(client_of, tree):
    from bastion.accounts.roles import Role
    from bastion.testing import person_of

    volunteer = person_of("volunteer", Role.VOLUNTEER, tree.yuetang)
    client = client_of(volunteer)
    assert client.get("/dashboard/").status_code == 404
    assert client.get(f"/dashboard/{tree.yuetang.code}/").status_code == 404
    assert headline_for(volunteer) is None


def test_anonymous_goes_to_login(client, tree):
    response = client.get(f"/dashboard/{tree.city.code}/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_large_screen_is_dark_refreshes_and_names_nobody(scene, client_of, personas):
    client = client_of(personas.county_officer)
    code = scene.tree.tianyuan.code
    html = client.get(f"/dashboard/{code}/screen/").content.decode()
    assert 'class="dash-screen"' in html
    assert f'hx-get="/dashboard/{code}/screen/" hx-trigger="every 60s"' in html
    assert personas.county_officer.username not in html
    assert str(personas.county_officer.display_name) not in html
    assert "测试" not in html  # the persons' names of the scene
    # htmx asks for the figures only
    partial = client.get(
        f"/dashboard/{code}/screen/", headers={"HX-Request": "true"}
    ).content.decode()
    assert "<html" not in partial
    assert 'data-figure="signals.found"' in partial
    assert 'id="dashboard-data"' in partial


def test_headline_partial_for_the_home_page(scene, personas, rf):
    headline = headline_for(personas.township_officer)
    assert headline is not None
    assert headline.unit == scene.tree.liyu
    assert [f.key for f, _url in headline.figures] == [
        "signals.open",
        "observation.active",
        "observation.fevers",
        "five_early.confirmed",
    ]
    html = render_to_string(
        "reports/dashboard/_headline.html", {"headline": headline}, request=rf.get("/")
    )
    assert f'href="/dashboard/{scene.tree.liyu.code}/"' in html
    assert 'data-figure="observation.active"' in html
    assert render_to_string("reports/dashboard/_headline.html", {"headline": None}).strip() == ""


def test_links_to_the_days_report_and_its_excel(scene, client_of, personas):
    client = client_of(personas.township_officer)
    code = scene.tree.liyu.code
    html = client.get(f"/dashboard/{code}/").content.decode()
    day = f"{today():%Y-%m-%d}"
    page = re.search(r'href="([^"]+)" data-report-page', html).group(1)
    xlsx = re.search(r'href="([^"]+)" data-report-xlsx', html).group(1)
    assert page == f"/reports/{code}/?date={day}"
    assert xlsx == f"/reports/{code}/xlsx/?date={day}"
    assert client.get(page).status_code == 200
    download = client.get(xlsx)
    assert download.status_code == 200
    assert download["Content-Disposition"].endswith('.xlsx"')
