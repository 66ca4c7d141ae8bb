"""The daily roll-ups (decision 0006) give the figures the facts give: after late entries,
moves and bulk loads, for the report, the dashboard's trends and the checkpoint reports, at two
levels of the tree (the city over its counties, a county over its townships)."""

import uuid
from datetime import date, datetime, timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bastion.checkpoints.models import PassengerCheck, VehiclePassage
from bastion.checkpoints.selectors import traffic_report
from bastion.observation.models import CheckIn, Observation
from bastion.orgs.models import OrgUnit
from bastion.reports import rollups
from bastion.reports.dashboard.trends import trends
from bastion.reports.models import CheckinDay, CheckpointDay, RollupDay
from bastion.reports.selectors import situation_report
from bastion.reports.tests import facts
from bastion.testing import Personas, Tree

PASS, HAND_OVER, REFER = "pass", "pass_and_hand_over", "refer_fever_point"
FIGURES = {
    "checkpoints.vehicles": ("vehicles", Q()),
    "checkpoints.turned_back": ("vehicles", Q(disposition="turned_back")),
    "checkpoints.persons": ("persons", Q()),
    "checkpoints.fevers": ("persons", Q(is_fever=True)),
    "checkpoints.hand_overs": ("persons", Q(decision=HAND_OVER)),
    "checkpoints.to_fever_point": ("persons", Q(decision=REFER)),
}


def today() -> date:
    return timezone.localdate()


def at(day: date, clock: str = "10:00") -> datetime:
    return facts.at(day, clock)


def live(unit: OrgUnit, start: date, end: date, figure: str) -> int:
    """The figure counted straight from the facts (the reference)."""
    table, condition = FIGURES[figure]
    model = VehiclePassage if table == "vehicles" else PassengerCheck
    since, until = rollups.midnight(start), rollups.midnight(end + timedelta(days=1))
    rows = model.objects.filter(
        condition,
        unit_code__startswith=unit.scope_prefix,
        occurred_at__gte=since,
        occurred_at__lt=until,
    )
    return rows.count()


@pytest.fixture
def checkpoints(tree: Tree):
    """A checkpoint in 栗雨街道 (天元区) and one in 月塘街道 (荷塘区), each with traffic on the
    last five days and today."""
    liyu = facts.checkpoint(facts.attached(tree.liyu))
    hetang = facts.checkpoint(facts.attached(tree.yuetang_street))
    t = today()
    for ago in range(6):
        day = t - timedelta(days=ago)
        facts.passage(liyu, at(day, "00:30"), [PASS, HAND_OVER], fevers=1)
        facts.passage(liyu, at(day, "08:00"), [REFER], disposition="turned_back")
        facts.passage(hetang, at(day, "23:30"), [PASS, PASS, PASS])
    return liyu, hetang


def assert_report_equals_facts(unit: OrgUnit, start: date, end: date) -> None:
    report = situation_report(unit, start, end, sections=["checkpoints"])
    for figure in FIGURES:
        assert report.value(figure) == live(unit, start, end, figure), figure
        for child in OrgUnit.objects.filter(parent=unit):
            expected = live(child, start, end, figure)
            assert report.value(figure, code=child.code) == expected, (figure, child.code)


def assert_trends_equal_facts(user, unit: OrgUnit, start: date, end: date) -> None:
    series = trends(user=user, unit=unit, start=start, end=end).series
    days = [start + timedelta(days=i) for i in range((end - start).days + 1)]
    for key in ("checkpoints.vehicles", "checkpoints.persons", "checkpoints.fevers"):
        assert series[key].values == [live(unit, d, d, key) for d in days], key


@pytest.mark.parametrize("level", ["city", "tianyuan"])
def test_figures_equal_the_facts_after_late_writes(
    tree: Tree, personas: Personas, checkpoints, level: str, django_capture_on_commit_callbacks
) -> None:
    unit = getattr(tree, level)
    liyu, hetang = checkpoints
    start, end = today() - timedelta(days=5), today()
    # given the closed days rolled up by a first read
    assert_report_equals_facts(unit, start, end)
    assert CheckpointDay.objects.filter(day=end - timedelta(days=1)).exists()
    assert not CheckpointDay.objects.filter(day=end).exists()  # today is never rolled up

    # when facts of closed days arrive late, and a day's passage is moved to another day
    # (each committed: the days are stamped once the writes commit)
    three_days_ago = today() - timedelta(days=3)
    with django_capture_on_commit_callbacks(execute=True):
        facts.passage(liyu, at(three_days_ago, "21:00"), [REFER, HAND_OVER], fevers=2)
        facts.passage(hetang, at(today() - timedelta(days=4)), [PASS], disposition="turned_back")
        moved = VehiclePassage.objects.get(checkpoint=liyu, occurred_at=at(start, "08:00"))
        moved.occurred_at = at(today() - timedelta(days=1), "08:00")
        moved.save()
        PassengerCheck.objects.filter(passage=moved).update(occurred_at=moved.occurred_at)

    # then the report, the trends and the checkpoint reports give the facts' figures
    assert_report_equals_facts(unit, start, end)
    assert_trends_equal_facts(personas.commander, unit, start, end)
    assert_report_equals_facts(unit, three_days_ago, three_days_ago)
    report = traffic_report(user=personas.commander, unit=unit, start=start, end=end)
    assert report.total.vehicles == live(unit, start, end, "checkpoints.vehicles")
    assert report.total.persons == live(unit, start, end, "checkpoints.persons")
    assert report.total.referred == live(unit, start, end, "checkpoints.to_fever_point")
    by_day = dict(report.by_day)
    assert by_day[three_days_ago].fevers == live(
        unit, three_days_ago, three_days_ago, "checkpoints.fevers"
    )


def test_checkpoint_report_by_shift_and_by_checkpoint(tree: Tree, personas: Personas, checkpoints):
    liyu, _hetang = checkpoints
    start, end = today() - timedelta(days=5), today()
    county = traffic_report(user=personas.commander, unit=tree.tianyuan, start=start, end=end)
    assert [key for key, _label, _counts in county.by_group] == [liyu.unit_code]
    assert county.by_group[0][2].vehicles == 12
    assert county.by_group[0][2].turned_back == 6
    own = traffic_report(user=personas.commander, unit=liyu.unit, start=start, end=end)
    assert own.grouped_by == "shift"
    assert own.total.persons == 18
    assert own.total.hand_overs == 6


def test_a_bulk_load_is_counted_once_its_days_are_touched(tree: Tree, checkpoints) -> None:
    """A bulk path bypasses the models' signals: it calls `days_touched` itself."""
    liyu, _hetang = checkpoints
    day = today() - timedelta(days=2)
    assert_report_equals_facts(tree.city, day, day)
    # given a bulk load that bypasses the models' signals
    passage = VehiclePassage.objects.bulk_create(
        [
            VehiclePassage(
                checkpoint=liyu,
                unit_code=liyu.unit_code,
                plate="湘B99999",
                vehicle_kind="car",
                purpose="work",
                disposition="released",
                occurred_at=at(day),
                recorded_by=VehiclePassage.objects.first().recorded_by,
                client_uuid=uuid.uuid4(),
            )
        ]
    )[0]
    stale = situation_report(tree.city, day, sections=["checkpoints"])
    assert (
        stale.value("checkpoints.vehicles") == live(tree.city, day, day, "checkpoints.vehicles") - 1
    )
    # when the loader touches the days it wrote (its contract)
    rollups.days_touched([rollups.day_of(passage.occurred_at)])
    # then
    assert_report_equals_facts(tree.city, day, day)


def test_a_write_not_yet_committed_leaves_the_roll_up_alone(tree: Tree, checkpoints) -> None:
    """The stamp is given after the commit (here the test's transaction never commits)."""
    liyu, _hetang = checkpoints
    day = today() - timedelta(days=2)
    situation_report(tree.city, day, sections=["checkpoints"])
    before = {m.day: m.stamp for m in RollupDay.objects.all()}
    facts.passage(liyu, at(day), [PASS])
    assert {m.day: m.stamp for m in RollupDay.objects.all()} == before


def test_rebuild_recomputes_every_closed_day(tree: Tree, checkpoints) -> None:
    start = today() - timedelta(days=5)
    assert_report_equals_facts(tree.city, start, today())
    CheckpointDay.objects.all().update(vehicles=999)  # a corrupted cache
    assert rollups.rebuild(start, today()) == 5
    assert_report_equals_facts(tree.city, start, today())


def test_only_days_closed_for_the_margin_are_rolled_up() -> None:
    tz = timezone.get_current_timezone()
    day = date(2020, 2, 9)
    just_after_midnight = datetime(2020, 2, 10, 0, 5, tzinfo=tz)
    later = datetime(2020, 2, 10, 0, 20, tzinfo=tz)
    assert rollups.last_closed(just_after_midnight) == day - timedelta(days=1)
    assert rollups.last_closed(later) == day
    closed, open_days = rollups.split(date(2020, 2, 1), day, just_after_midnight)
    assert closed == (date(2020, 2, 1), date(2020, 2, 8))
    assert open_days == (day, day)


def test_a_read_that_finds_the_roll_up_valid_makes_one_query(
    tree: Tree, checkpoints, django_assert_num_queries
) -> None:
    start, end = today() - timedelta(days=5), today() - timedelta(days=1)
    rollups.ensure(start, end)
    assert all(m.rolled == m.stamp for m in RollupDay.objects.all())
    with django_assert_num_queries(1):
        rollups.ensure(start, end)


def observe(village: OrgUnit, started: datetime) -> Observation:
    return Observation.objects.create(
        person=facts.person(village),
        unit=village,
        unit_code=village.code,
        policy=facts.policy(),
        kind="home",
        start_date=started.date(),
        planned_end=started.date() + timedelta(days=13),
        status="active",
        started_at=started,
    )


def checkin(obs: Observation, day: date, *, fever: bool = False, corrects=None) -> CheckIn:
    return CheckIn.objects.create(
        observation=obs,
        unit_code=obs.unit_code,
        day=day,
        slot="morning",
        measured_at=at(day, "08:00"),
        temperature=Decimal("38.0") if fever else Decimal("36.5"),
        source="phone",
        outcome="cooperative",
        is_fever=fever,
        client_uuid=uuid.uuid4(),
        corrects=corrects,
    )


def counted(unit: OrgUnit, day: date, **condition: object) -> int:
    """Check-ins of the day under the unit that no correction superseded (the reference).
    Done (a cooperative one) counts once its slot has closed: today's morning after noon."""
    rows = CheckIn.objects.filter(unit_code__startswith=unit.scope_prefix, day=day, **condition)
    if "outcome" in condition and timezone.now() < at(day, "12:00"):
        rows = rows.exclude(slot="morning")
    return rows.exclude(
        pk__in=CheckIn.objects.filter(corrects__isnull=False).values("corrects")
    ).count()


@pytest.mark.parametrize("level", ["city", "tianyuan"])
def test_checkin_figures_equal_the_facts_after_late_check_ins_and_corrections(
    tree: Tree, personas: Personas, level: str, django_capture_on_commit_callbacks
) -> None:
    unit = getattr(tree, level)
    start, end = today() - timedelta(days=4), today()
    observed = [
        observe(v, at(start, "07:00")) for v in (tree.yuetang, tree.liyujuwei, tree.wenhualu)
    ]
    for obs in observed:
        for ago in range(5):
            checkin(obs, today() - timedelta(days=ago), fever=ago % 2 == 0)
    # given the closed days rolled up by a first read
    situation_report(unit, start, end, sections=["observation"])

    # when a check-in of two days ago arrives late, and a fever of four days ago in 月塘 is
    # corrected today (the correction is today's; the corrected check-in no longer counts)
    two_days_ago = today() - timedelta(days=2)
    wrong = CheckIn.objects.get(observation=observed[0], day=start)
    assert wrong.is_fever
    with django_capture_on_commit_callbacks(execute=True):
        checkin(observed[1], two_days_ago, fever=True)
        checkin(observed[0], today(), corrects=CheckIn.objects.get(pk=wrong.pk))

    # then the report and the fevers trend give the facts' figures, for every child
    for day in (start + timedelta(days=i) for i in range(5)):
        report = situation_report(unit, day, sections=["observation"])
        for row_unit in [unit, *OrgUnit.objects.filter(parent=unit)]:
            code = None if row_unit == unit else row_unit.code
            assert report.value("observation.fevers", code=code) == counted(
                row_unit, day, is_fever=True
            ), (day, row_unit.code)
            assert report.value("observation.checkins_done", code=code) == counted(
                row_unit, day, outcome="cooperative"
            ), (day, row_unit.code)
    series = trends(user=personas.commander, unit=unit, start=start, end=end).series
    days = [start + timedelta(days=i) for i in range(5)]
    assert series["observation.fevers"].values == [counted(unit, d, is_fever=True) for d in days]
    assert CheckinDay.objects.filter(day=two_days_ago).exists()
    # the first day: 栗雨居委会's fever (and 文化路's, in the city), no longer 月塘's
    assert series["observation.fevers"].values[0] == (2 if level == "city" else 1)


def test_the_first_read_of_closed_days_costs_the_same_queries_for_5_or_30_days(
    tree: Tree, checkpoints
) -> None:
    """The cold path is bounded: one grouped query per table, whatever the number of days."""
    counts = []
    for days in (5, 30):
        RollupDay.objects.all().delete()
        CheckpointDay.objects.all().delete()
        with CaptureQueriesContext(connection) as queries:
            rollups.ensure(today() - timedelta(days=days), today() - timedelta(days=1))
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_rollups_command_rolls_up_the_closed_days(tree: Tree, checkpoints) -> None:
    out = StringIO()
    call_command("rollups", "--days=5", stdout=out)
    assert out.getvalue().strip() == "5 days rolled up"
    assert set(CheckpointDay.objects.values_list("day", flat=True)) == {
        today() - timedelta(days=i) for i in range(1, 6)
    }
    assert_report_equals_facts(tree.city, today() - timedelta(days=5), today())
