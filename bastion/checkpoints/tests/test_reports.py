"""Checkpoint, county and city roll-ups: per day, per shift or per checkpoint, fevers,
hand-overs and how fast the villages took them up, high-risk origins, staffing gaps."""

from datetime import date, timedelta

import pytest

from bastion.checkpoints.selectors import report_range, traffic_report
from bastion.checkpoints.services import (
    OccupantIn,
    assignment_add,
    passage_register,
    shifts_ensure,
)
from bastion.checkpoints.tests.conftest import at
from bastion.screening.models import Signal


@pytest.fixture
def traffic(register, wuhan, hetang_checkpoint, hetang_officer, tree):
    """Two days at 株洲西 (one fever, two hand-overs to 月塘 and one to 栗雨, one from 武汉),
    and a car at 荷塘 in another county."""
    register(
        occurred_at=at(1, 9),
        now=at(2, 12),
        origin="湖北省武汉市",
        occupants=[
            OccupantIn(name="张三", temperature="36.6"),
            OccupantIn(name="李四", temperature="37.9", decision="refer_fever_point"),
        ],
    )
    register(
        occurred_at=at(1, 17),
        now=at(2, 12),
        occupants=[OccupantIn(name="王五", temperature="36.5", decision="pass_and_hand_over")],
    )
    register(
        occurred_at=at(2, 10),
        now=at(2, 12),
        destination=tree.liyujuwei,
        occupants=[
            OccupantIn(name="赵六", temperature="36.5", decision="pass_and_hand_over"),
            OccupantIn(name="钱七", temperature="36.4"),
        ],
    )
    passage_register(
        actor=hetang_officer,
        checkpoint=hetang_checkpoint,
        client_uuid="00000000-0000-0000-0000-0000000000aa",
        plate="湘B99999",
        occupants=[OccupantIn(name="孙八", temperature="36.5")],
        occurred_at=at(2, 11),
        now=at(2, 12),
    )
    # 月塘 took 张三 up after 30 minutes; 王五 still waits
    Signal.objects.filter(subject_name="张三").update(
        status="under_observation", handled_at=at(1, 9, 30)
    )


def test_the_county_sees_its_checkpoints_per_day(personas, tree, traffic):
    # when
    report = traffic_report(
        user=personas.county_officer,
        unit=tree.tianyuan,
        start=date(2020, 2, 1),
        end=date(2020, 2, 2),
        now=at(2, 12),
    )
    # then
    t = report.total
    assert (t.vehicles, t.persons, t.fevers, t.hand_overs, t.high_risk) == (3, 5, 1, 3, 1)
    assert [(d.day, c.vehicles, c.persons) for d, c in report.by_day] == [(1, 2, 3), (2, 1, 2)]
    assert report.grouped_by == "checkpoint"
    assert [(label, c.vehicles) for _k, label, c in report.by_group] == [("株洲西收费站卡点", 3)]


def test_the_uptake_of_hand_overs_per_village(personas, tree, traffic):
    report = traffic_report(
        user=personas.county_officer,
        unit=tree.tianyuan,
        start=date(2020, 2, 1),
        end=date(2020, 2, 2),
        now=at(2, 12),
    )
    uptake = {u.name: u for u in report.uptake}
    yuetang, liyu = uptake["月塘居委会"], uptake["栗雨居委会"]
    assert (yuetang.hand_overs, yuetang.taken_up, yuetang.median_minutes) == (2, 1, 30.0)
    assert yuetang.still_open == 1 and yuetang.longest_wait_minutes(at(2, 12)) == 19 * 60
    assert (liyu.hand_overs, liyu.taken_up, liyu.still_open) == (2 - 1, 0, 1)
    assert report.hand_overs_open == 2 and report.median_uptake_minutes == 30.0


def test_the_checkpoint_page_groups_by_shift(personas, zhuzhou_west, traffic):
    report = traffic_report(
        user=personas.county_officer,
        unit=zhuzhou_west.unit,
        start=date(2020, 2, 1),
        end=date(2020, 2, 2),
    )
    assert report.grouped_by == "shift"
    assert [(label, c.vehicles, c.persons) for _k, label, c in report.by_group] == [
        ("02-01 白班", 1, 2),
        ("02-01 晚班", 1, 1),
        ("02-02 白班", 1, 2),
    ]


def test_the_city_sees_both_counties_and_the_county_only_its_own(personas, tree, traffic):
    days = {"start": date(2020, 2, 1), "end": date(2020, 2, 2)}
    city = traffic_report(user=personas.commander, unit=tree.city, **days)
    hetang = traffic_report(user=personas.county_officer, unit=tree.hetang, **days)
    assert city.total.vehicles == 4 and len(city.by_group) == 2
    assert hetang.total.vehicles == 0


def test_staffing_gaps_are_listed(personas, tree, zhuzhou_west):
    shifts = shifts_ensure(checkpoint=zhuzhou_west, start=date(2020, 2, 1), days=1)
    for s in shifts:
        assignment_add(
            actor=personas.county_officer, shift=s, staff_kind="police", person_name="甲"
        )
        assignment_add(
            actor=personas.county_officer, shift=s, staff_kind="health", person_name="乙"
        )
    assignment_add(
        actor=personas.county_officer, shift=shifts[0], staff_kind="volunteer", person_name="丙"
    )
    shifts[1].assignments.filter(staff_kind="health").delete()
    report = traffic_report(
        user=personas.county_officer,
        unit=tree.tianyuan,
        start=date(2020, 2, 1),
        end=date(2020, 2, 1),
    )
    assert [(g.shift.slot, g.missing) for g in report.gaps] == [
        ("day", ["人数不足 1/2", "缺卫健 1 人"])
    ]


def test_a_report_covers_at_most_62_days():
    assert report_range(date(2020, 1, 1), date(2020, 6, 1), today=date(2020, 6, 1)) == (
        date(2020, 6, 1) - timedelta(days=61),
        date(2020, 6, 1),
    )
    assert report_range(None, None, today=date(2020, 2, 7)) == (date(2020, 2, 1), date(2020, 2, 7))


def test_the_report_page_with_few_queries(
    client_of, personas, tree, traffic, django_assert_max_num_queries
):
    client = client_of(personas.county_officer)
    query = {"from": "2020-02-01", "to": "2020-02-02"}
    # the first read of closed days rolls them up (decision 0006: a bounded number of queries
    # of its own, tested in the reports app); the page's own count is that of the next reads
    client.get(f"/checkpoints/units/{tree.tianyuan.code}/report/", query)
    with django_assert_max_num_queries(20):
        response = client.get(f"/checkpoints/units/{tree.tianyuan.code}/report/", query)
    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-stat="vehicles">3<' in page and "株洲西收费站卡点" in page
    assert 'data-village="430211003016"' in page and "张三" not in page


def test_the_report_of_another_county_is_404(client_of, hetang_officer, tree, zhuzhou_west):
    client = client_of(hetang_officer)
    assert client.get(f"/checkpoints/units/{tree.tianyuan.code}/report/").status_code == 404
    assert client.get(f"/checkpoints/units/{zhuzhou_west.unit_code}/report/").status_code == 404
