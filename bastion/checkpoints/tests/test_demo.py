"""The demo's checkpoints on the real Zhuzhou tree: 株洲西 for the `checkpoint` login, 醴陵's
seven interchanges and 中村瑶族乡's entrance, with a week of shifts and traffic."""

import random

from bastion.accounts.models import Membership, User
from bastion.accounts.roles import Role
from bastion.checkpoints.demo import demo_checkpoints
from bastion.checkpoints.models import Checkpoint, DutyAssignment, Shift, VehiclePassage
from bastion.orgs.models import Kind, OrgUnit
from bastion.orgs.services import divisions_load, unit_create
from bastion.screening.models import Signal


def test_the_demo_builds_the_articles_checkpoints_once(db):
    # given: the tree, the demo's checkpoint unit and its login (as bastion.core.demo makes them)
    divisions_load()
    tianyuan = OrgUnit.objects.get(code="430211000000")
    unit = unit_create(parent=tianyuan, name="株洲西收费站卡点", kind=Kind.CHECKPOINT)
    officer = User.objects.create(username="checkpoint", display_name="卡点执勤民警")
    Membership.objects.create(user=officer, unit=unit, role=Role.CHECKPOINT_OFFICER)
    # when
    counts = demo_checkpoints(random.Random(2020))  # noqa: S311 - demo seed
    again = demo_checkpoints(random.Random(2020))  # noqa: S311 - demo seed
    # then
    assert unit.code == "430211000000K001"
    assert counts["checkpoints"] == 9 and again["checkpoints"] == 0
    names = set(Checkpoint.objects.values_list("unit__name", flat=True))
    assert {"株洲西收费站卡点", "醴陵东互通口卡点", "中村瑶族乡入境卡点"} <= names
    assert Checkpoint.objects.filter(unit_code__startswith="430281").count() == 7
    assert Checkpoint.objects.get(unit=unit).kind == "toll_station"
    assert Shift.objects.filter(unit_code=unit.code).count() >= 21
    assert DutyAssignment.objects.filter(user=officer).exists()
    west = VehiclePassage.objects.filter(unit_code=unit.code)
    assert west.exists() and not west.filter(occupants__isnull=True).exists()
    assert set(west.values_list("recorded_by", flat=True)) == {officer.pk}
    assert Signal.objects.filter(source="checkpoint").exists()
