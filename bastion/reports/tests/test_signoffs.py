"""Signing a day's report, and the changes since sign-off."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from bastion.reports.selectors import situation_report
from bastion.reports.selectors.signoffs import changes_since, signoff_list
from bastion.reports.services import signoff_create
from bastion.reports.tests import facts
from bastion.reports.tests.facts import DAY, at
from bastion.testing import Personas, Tree


def test_a_later_fact_of_a_signed_day_shows_as_a_change(tree: Tree, personas: Personas) -> None:
    # given the township head signed the day with one signal in 月塘
    facts.signal(tree.yuetang, at(DAY, "08:00"))
    signed = signoff_create(actor=personas.township_officer, unit=tree.liyu, day=DAY, note="无异常")
    assert signed.figures["own"]["signals.found"] == 1
    assert signed.figures["rows"][tree.yuetang.code]["signals.found"] == 1
    assert changes_since(signed, situation_report(tree.liyu, DAY)) == []

    # when a signal of that day is entered late
    facts.signal(tree.liyujuwei, at(DAY, "20:00"))

    # then the total and the village's row show old → new
    changes = changes_since(signed, situation_report(tree.liyu, DAY))
    found = [(c.code, c.old, c.new) for c in changes if c.figure.key == "signals.found"]
    assert found == [(tree.liyu.code, 1, 2), (tree.liyujuwei.code, 0, 1)]
    assert {c.figure.key for c in changes} == {"signals.found", "signals.open"}


def test_signing_again_keeps_the_history(tree: Tree, personas: Personas) -> None:
    first = signoff_create(actor=personas.township_officer, unit=tree.liyu, day=DAY)
    facts.signal(tree.yuetang, at(DAY, "08:00"))
    second = signoff_create(actor=personas.township_officer, unit=tree.liyu, day=DAY, note="补签")
    assert list(signoff_list(unit=tree.liyu, day=DAY)) == [second, first]
    assert changes_since(second, situation_report(tree.liyu, DAY)) == []


def test_only_the_units_own_head_signs(tree: Tree, personas: Personas) -> None:
    # the county officer reads the township's report but does not sign it
    with pytest.raises(ValidationError) as error:
        signoff_create(actor=personas.county_officer, unit=tree.liyu, day=DAY)
    assert error.value.message_dict == {"unit": ["只有本单位负责人可以签发本单位的日报。"]}
    with pytest.raises(ValidationError):
        signoff_create(actor=personas.auditor, unit=tree.city, day=DAY)
    signoff_create(actor=personas.village_worker, unit=tree.yuetang, day=DAY)


def test_a_future_day_cannot_be_signed(tree: Tree, personas: Personas) -> None:
    with pytest.raises(ValidationError) as error:
        signoff_create(
            actor=personas.township_officer,
            unit=tree.liyu,
            day=DAY + timedelta(days=1),
            now=at(DAY, "20:00"),
        )
    assert error.value.message_dict == {"date": ["不能签发未来日期的日报。"]}
    signoff_create(actor=personas.township_officer, unit=tree.liyu, day=DAY, now=at(DAY, "20:00"))
