import dataclasses
import random
from datetime import datetime, time
from pathlib import Path
from typing import Any

import pytest
from django.db.models import Count, F, Min, Sum
from django.utils import timezone
from python_calamine import CalamineWorkbook

from bastion.benchmarks.dataset import (
    ROLLUP_DAYS,
    DatasetExists,
    _villages,
    dataset_build,
    dataset_clear,
)
from bastion.benchmarks.sheet import HEADER, sheet_write
from bastion.benchmarks.tests.conftest import TODAY
from bastion.benchmarks.tiers import TIERS, Tier, tier_scaled
from bastion.checkpoints.models import PassengerCheck, VehiclePassage
from bastion.core.days import midnight as _midnight
from bastion.core.validators import parse_citizen_id
from bastion.observation.models import CheckIn, Observation
from bastion.people.models import Household, Person
from bastion.reports.models import CheckinDay, CheckpointDay, RollupDay


def snapshot() -> dict[str, list[Any]]:
    """The rows as values that do not depend on database ids."""
    return {
        "persons": list(
            Person.objects.order_by("pk").values_list(
                "id_number", "name", "name_pinyin", "mobile", "unit_code", "household__address"
            )
        ),
        "observations": list(
            Observation.objects.order_by("pk").values_list(
                "person__id_number", "start_date", "status", "last_checkin_at"
            )
        ),
        "checkins": list(
            CheckIn.objects.order_by("pk").values_list(
                "observation__person__id_number", "day", "slot", "measured_at", "temperature"
            )
        ),
        "passages": list(
            VehiclePassage.objects.order_by("pk").values_list(
                "plate", "checkpoint__unit__name", "occurred_at", "destination_code"
            )
        ),
        "passengers": list(
            PassengerCheck.objects.order_by("pk").values_list("id_number", "name", "temperature")
        ),
    }


def test_builds_exactly_the_tier_counts_with_valid_rows(zhuzhou: None, tiny: Tier) -> None:
    # when
    built = dataset_build(tier=tiny, seed=7, today=TODAY)

    # then the counts are the tier's
    assert Person.objects.count() == built.counts["persons"] == 300
    assert Household.objects.count() == 100
    assert Observation.objects.filter(status="active").count() == 10
    assert CheckIn.objects.count() == built.counts["checkins"] == 400
    assert VehiclePassage.objects.count() == 120
    assert PassengerCheck.objects.count() == 270
    # every ID number passes GB 11643, with the sex and birth date the row carries
    for number, sex, born in Person.objects.values_list("id_number", "sex", "birth_date"):
        parsed = parse_citizen_id(number)
        assert (parsed.sex, parsed.birth_date) == (sex, born)
    assert Person.objects.values("id_number").distinct().count() == 300
    # the observed are active today; check-ins fall inside their period, never today or later
    assert not Observation.objects.filter(status="active", planned_end__lt=TODAY).exists()
    assert not CheckIn.objects.filter(day__lt=F("observation__start_date")).exists()
    assert not CheckIn.objects.filter(day__gte=TODAY).exists()
    # check-ins peak in the morning and the evening
    hours = [
        timezone.localtime(m).hour for m in CheckIn.objects.values_list("measured_at", flat=True)
    ]
    assert sum(h in (7, 8, 18, 19) for h in hours) > len(hours) / 2
    # 一车不漏、一人不少: every vehicle has an occupant, the driver in seat 1
    seats = VehiclePassage.objects.annotate(n=Count("occupants"), first=Min("occupants__position"))
    assert not seats.filter(n=0).exists()
    assert set(seats.values_list("first", flat=True)) == {1}
    assert not VehiclePassage.objects.filter(
        occurred_at__gte=timezone.make_aware(datetime.combine(TODAY, time.min))
    ).exists()
    # and a second build on the same database is refused
    with pytest.raises(DatasetExists):
        dataset_build(tier=tiny, seed=7, today=TODAY)


def test_the_closed_days_are_rolled_up(zhuzhou: None, tiny: Tier) -> None:
    # when
    dataset_build(tier=tiny, seed=7, today=TODAY)

    # then every closed day is rolled up and valid: no page pays for it at its first read
    marks = RollupDay.objects.all()
    assert marks.filter(day__lt=TODAY).count() == 2 * ROLLUP_DAYS
    assert not marks.exclude(rolled=F("stamp")).exists()
    rolled = CheckpointDay.objects.aggregate(n=Sum("vehicles"))["n"]
    assert rolled == VehiclePassage.objects.filter(occurred_at__lt=_midnight(TODAY)).count()
    done = CheckinDay.objects.aggregate(n=Sum("done"))["n"]
    assert done == CheckIn.objects.filter(day__lt=TODAY, outcome="cooperative").count()


def test_same_seed_gives_the_same_rows(zhuzhou: None, tiny: Tier) -> None:
    # given
    dataset_build(tier=tiny, seed=7, today=TODAY)
    first = snapshot()
    dataset_clear()

    # when
    dataset_build(tier=tiny, seed=7, today=TODAY)

    # then
    assert snapshot() == first

    # and another seed gives other people
    dataset_clear()
    dataset_build(tier=tiny, seed=8, today=TODAY)
    assert snapshot()["persons"] != first["persons"]


def test_more_returnees_in_some_villages(zhuzhou: None) -> None:
    # when
    villages = _villages(random.Random(7), households=10_000)  # noqa: S311

    # then a tenth of the villages carries about half the returnee weight
    weights = sorted(
        (villages.returnees.cumulative[i] - (villages.returnees.cumulative[i - 1] if i else 0))
        for i in range(len(villages.units))
    )
    top = weights[-len(weights) // 10 :]
    assert sum(top) > 0.4 * sum(weights)


def test_sheet_has_twenty_columns_duplicates_and_bad_ids(tmp_path: Path, tiny: Tier) -> None:
    # given
    tier = dataclasses.replace(tiny, sheet_rows=2000, persons=100_000)
    path = tmp_path / "sheet.xlsx"

    # when
    written = sheet_write(path, tier=tier, seed=7, today=TODAY)

    # then
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    assert written == 2000
    assert rows[0] == HEADER and len(HEADER) == 20
    numbers = [str(r[4]) for r in rows[1:]]
    duplicates = len(numbers) - len(set(numbers))
    bad = 0
    for n in set(numbers):
        try:
            parse_citizen_id(n)
        except ValueError:
            bad += 1
    assert 60 <= duplicates <= 140  # 5 %
    assert 20 <= bad <= 60  # 2 %


def test_scaled_tier_keeps_the_proportions() -> None:
    small = tier_scaled(TIERS["M"], 0.001)

    assert (small.persons, small.observed, small.checkins) == (1000, 50, 1400)
    assert (small.passages, small.passengers) == (1560, 3400)
