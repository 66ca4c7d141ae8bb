"""The demo's sign-offs: signed yesterday evening, then a late signal shows as a change."""

import random
from datetime import timedelta

from django.utils import timezone

from bastion.accounts.roles import Role
from bastion.reports.demo import demo_reports
from bastion.reports.models import ReportSignOff
from bastion.reports.selectors import situation_report
from bastion.reports.selectors.signoffs import changes_since
from bastion.testing import Tree, person_of


def test_demo_signs_yesterday_and_a_late_signal_shows(tree: Tree) -> None:
    person_of("liyu", Role.TOWNSHIP_OFFICER, tree.liyu)
    person_of("yuetang", Role.VILLAGE_WORKER, tree.yuetang)

    assert demo_reports(random.Random(2020)) == {"signoffs": 2}  # noqa: S311 - demo seed
    assert demo_reports(random.Random(2020)) == {"signoffs": 0}  # noqa: S311 - demo seed
    assert ReportSignOff.objects.count() == 2

    yesterday = timezone.localdate() - timedelta(days=1)
    signed = ReportSignOff.objects.get(unit_code=tree.liyu.code)
    assert signed.day == yesterday
    changes = changes_since(signed, situation_report(tree.liyu, yesterday))
    found = [(c.code, c.old, c.new) for c in changes if c.figure.key == "signals.found"]
    assert found == [(tree.liyu.code, 0, 1), (tree.yuetang.code, 0, 1)]
