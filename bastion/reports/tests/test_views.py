"""Report pages: the table page, drill-down, sign-off, print and Excel, and scoping."""

import io
from datetime import timedelta

from django.utils import timezone
from python_calamine import CalamineWorkbook

from bastion.audit.models import AccessLog
from bastion.reports.models import ReportSignOff
from bastion.reports.tests import facts
from bastion.reports.tests.facts import DAY, at
from bastion.testing import Personas, Tree

URL = "/reports/430211003000/"


def test_home_opens_the_users_own_unit(client_of, personas: Personas) -> None:
    response = client_of(personas.township_officer).get("/reports/")
    assert response.status_code == 302
    assert response["Location"] == URL


def test_the_township_sees_its_villages_side_by_side(client_of, personas, tree: Tree) -> None:
    facts.signal(tree.yuetang, at(DAY, "08:00"))
    facts.signal(tree.yuetang, at(DAY, "09:00"))
    response = client_of(personas.township_officer).get(URL, {"date": "2020-02-09"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "月塘居委会" in page and "栗雨居委会" in page
    assert 'href="/reports/430211003016/?date=2020-02-09"' in page  # drill-down
    assert '<td class="text-end" data-figure="signals.found">2</td>' in page  # 月塘 and total
    assert "?date=2020-02-08" in page  # previous day
    assert "data-own-cards" in page


def test_out_of_jurisdiction_is_404(client_of, personas: Personas) -> None:
    outsider = client_of(personas.outsider)
    assert outsider.get(URL).status_code == 404
    assert outsider.get(URL + "xlsx/?date=2020-02-09").status_code == 404
    assert outsider.get(URL + "print/").status_code == 404
    assert outsider.post(URL + "sign/?date=2020-02-09").status_code == 404
    assert client_of(personas.village_worker).get(URL).status_code == 404
    assert client_of(personas.township_officer).get("/reports/999999999999/").status_code == 404


def test_bad_dates_are_explained_not_a_500(client_of, personas: Personas) -> None:
    client = client_of(personas.township_officer)
    response = client.get(URL, {"date": "2020-02-30"})
    assert response.status_code == 400
    assert "日期格式应为 YYYY-MM-DD。" in response.content.decode()
    response = client.get(URL, {"date": "2020-02-09", "to": "2020-02-01"})
    assert response.status_code == 400
    assert "结束日期不能早于开始日期。" in response.content.decode()


def test_sign_then_a_late_fact_shows_as_a_change(client_of, personas, tree: Tree) -> None:
    client = client_of(personas.township_officer)
    facts.signal(tree.yuetang, at(DAY, "08:00"))
    response = client.post(URL + "sign/?date=2020-02-09", {"note": "情况正常"})
    assert response.status_code == 302
    signed = ReportSignOff.objects.get()
    assert (signed.unit_code, signed.day, signed.note) == (tree.liyu.code, DAY, "情况正常")
    page = client.get(URL, {"date": "2020-02-09"}).content.decode()
    assert "此后数据无变化" in page

    facts.signal(tree.liyujuwei, at(DAY, "21:00"))

    page = client.get(URL, {"date": "2020-02-09"}).content.decode()
    assert "data-changes" in page
    assert f'data-change="{tree.liyujuwei.code}:signals.found"' in page
    assert "栗雨街道 · 新发现线索：1 → 2" in page


def test_the_county_reads_but_cannot_sign_a_township(client_of, personas) -> None:
    client = client_of(personas.county_officer)
    page = client.get(URL, {"date": "2020-02-09"}).content.decode()
    assert "data-sign-form" not in page
    response = client.post(URL + "sign/?date=2020-02-09", {"note": "x"})
    assert response.status_code == 400
    assert "只有本单位负责人可以签发本单位的日报。" in response.content.decode()
    assert not ReportSignOff.objects.exists()


def test_a_future_day_offers_no_sign_off(client_of, personas) -> None:
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    page = client_of(personas.township_officer).get(URL, {"date": tomorrow}).content.decode()
    assert "data-sign-form" not in page


def test_print_page(client_of, personas, tree: Tree) -> None:
    facts.signal(tree.yuetang, at(DAY, "08:00"))
    response = client_of(personas.township_officer).get(URL + "print/", {"date": "2020-02-09"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "栗雨街道 疫情防控日报 2020-02-09" in page
    assert "reports/report.css" in page and "reports/print.js" in page
    assert 'href="/reports/4302' not in page  # no drill-down links on paper


def test_the_stylesheet_holds_the_print_rules() -> None:
    from pathlib import Path

    from django.contrib.staticfiles import finders

    stylesheet = finders.find("reports/report.css")
    assert stylesheet and "@media print" in Path(stylesheet).read_text(encoding="utf-8")
    assert finders.find("reports/print.js")


def test_excel_has_a_sheet_per_section_with_totals_and_is_logged(
    client_of, personas, tree: Tree
) -> None:
    facts.signal(tree.yuetang, at(DAY, "08:00"))
    facts.signal(tree.liyujuwei, at(DAY, "08:00"))
    facts.signal(tree.liyujuwei, at(DAY, "09:00"))
    response = client_of(personas.township_officer).get(URL + "xlsx/", {"date": "2020-02-09"})
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="report-430211003000-20200209.xlsx"'
    )
    book = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    assert book.sheet_names[0] == "线索发现与处置"
    assert len(book.sheet_names) == 11
    rows = book.get_sheet_by_name("线索发现与处置").to_python()
    assert rows[0][0] == "栗雨街道 疫情防控日报 2020-02-09 · 线索发现与处置"
    assert rows[1][:3] == ["代码", "单位", "新发现线索（条）"]
    assert rows[2][:3] == ["430211003002", "栗雨居委会", 2]
    assert rows[3][:3] == ["430211003016", "月塘居委会", 1]
    assert rows[4][:3] == ["430211003000", "合计", 3]
    log = AccessLog.objects.get(action="export")
    assert (log.object_type, log.unit_code) == ("situation_report", tree.liyu.code)


def test_links_of_other_apps_reach_the_page(client_of, personas, tree: Tree) -> None:
    from django.urls import reverse

    facts.signal(tree.yuetang, at(DAY, "08:00"))
    client = client_of(personas.township_officer)
    assert reverse("reports:unit", kwargs={"code": tree.liyu.code}) == URL
    page = client.get(URL, {"start": "2020-02-08", "end": "2020-02-09"}).content.decode()
    assert "2020-02-08 — 2020-02-09" in page
    page = client.get(URL, {"day": "2020-02-09"}).content.decode()
    assert '<td class="text-end" data-figure="signals.found">1</td>' in page
