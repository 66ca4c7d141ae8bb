import random

from bastion.accounts.models import Membership
from bastion.accounts.roles import Role
from bastion.people.models import Household
from bastion.screening.demo import demo_screening
from bastion.screening.models import Signal, TravelRecord
from bastion.screening.selectors import signal_inbox
from bastion.testing import UserFactory


def test_the_demo_fills_the_sweep_the_inbox_and_the_travel_records(tree):
    # given the demo accounts and some households of 栗雨街道
    for username, role, unit in [
        ("city", Role.CITY_COMMAND, tree.city),
        ("liyu", Role.TOWNSHIP_OFFICER, tree.liyu),
        ("yuetang", Role.VILLAGE_WORKER, tree.yuetang),
    ]:
        Membership.objects.create(user=UserFactory(username=username), unit=unit, role=role)
    for unit in (tree.yuetang, tree.liyujuwei):
        for n in range(40):
            Household.objects.create(unit=unit, unit_code=unit.code, address=f"栗雨路{n + 1}号")
    # when
    counts = demo_screening(random.Random(2020))  # noqa: S311 - a seeded demo
    # then
    assert counts["visits"] > 30 and counts["returnees"] > 0
    worker = Membership.objects.get(user__username="yuetang").user
    inbox = list(signal_inbox(user=worker))
    assert {s.source for s in inbox} >= {"hotline", "self_registration"}
    assert TravelRecord.objects.filter(is_high_risk=True, origin_province="湖北省").exists()
    assert Signal.objects.filter(handling_seconds__isnull=False).exists()
