"""The purge on a clock-shifted dataset: 张三's observation closed 200 days ago (past the
180-day default), 李四's 10 days ago, 王五's 200 days ago but he is a volunteer now."""

import uuid
from datetime import datetime, time, timedelta
from io import StringIO
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from bastion.audit.models import AccessLog, Action
from bastion.exports.retention import ANONYMISED_NAME, retention_purge
from bastion.mobilisation.models import Member
from bastion.observation.models import CheckIn, Observation
from bastion.observation.services import (
    checkin_record,
    observation_complete,
    observation_start,
)
from bastion.people.models import Person
from bastion.screening.models import Signal

BEIJING = ZoneInfo("Asia/Shanghai")
NOW = datetime(2020, 9, 1, 10, 0, tzinfo=BEIJING)


def observe(person: Person, actor: Any, *, closed_days_ago: int, note: str = "") -> Observation:
    ended = NOW - timedelta(days=closed_days_ago)
    start_day = (ended - timedelta(days=20)).date()
    started = observation_start(
        actor=actor,
        person=person,
        kind="home",
        start_date=start_day,
        place=f"{person.household.address if person.household else ''} 家中",
        now=datetime.combine(start_day, time(8), tzinfo=BEIJING),
    )
    obs = Observation.objects.select_related("policy", "person", "unit").get(
        pk=started.observations[0].pk
    )
    checkin_record(
        observation=obs,
        client_uuid=uuid.uuid4(),
        source="visit",
        temperature="36.6",
        site="armpit",
        note=note,
        measured_at=datetime.combine(start_day, time(9), tzinfo=BEIJING),
        actor=actor,
        now=datetime.combine(start_day, time(9), tzinfo=BEIJING),
    )
    return observation_complete(
        actor=actor, observation=obs, note="期满无异常，张三已返岗", now=ended
    )


@pytest.fixture
def shifted(tree, personas, people):
    old = observe(
        people["zhangsan"], personas.village_worker, closed_days_ago=200, note="家属说他去过菜市场"
    )
    recent = observe(people["lisi"], personas.neighbour_worker, closed_days_ago=10)
    volunteer = observe(people["wangwu"], personas.outsider, closed_days_ago=200)
    Member.objects.create(person=people["wangwu"], unit=tree.wenhualu, unit_code=tree.wenhualu.code)
    signal = Signal.objects.create(
        unit=tree.yuetang,
        unit_code=tree.yuetang.code,
        person=people["zhangsan"],
        subject_name="张三",
        subject_id_number=people["zhangsan"].id_number,
        subject_mobile="13800138000",
        subject_address="月塘路 1 号",
        source="hotline",
        reason="邻居报告张三从武汉返乡",
        details={"origin": "武汉"},
        found_at=NOW - timedelta(days=230),
        status="under_observation",
        handled_at=NOW - timedelta(days=230) + timedelta(hours=2),
        handling_seconds=7200,
    )
    return {"old": old, "recent": recent, "volunteer": volunteer, "signal": signal}


def test_the_purge_anonymises_what_is_past_retention(tree, people, shifted):
    # when
    result = retention_purge(now=NOW)
    # then: 张三 is anonymised, his counts stay
    zhangsan = Person.objects.get(pk=people["zhangsan"].pk)
    assert (zhangsan.name, zhangsan.id_number, zhangsan.mobile) == (ANONYMISED_NAME, None, "")
    assert zhangsan.birth_date is not None and (
        zhangsan.birth_date.month,
        zhangsan.birth_date.day,
    ) == (1, 1)
    assert zhangsan.household.address.startswith("（已清理）")
    old = Observation.objects.get(pk=shifted["old"].pk)
    assert (old.place, old.end_note, old.status) == ("", "", "completed")
    assert old.ended_at == NOW - timedelta(days=200)
    checkins = CheckIn.objects.filter(observation=old)
    assert checkins.count() == 1
    assert [(str(c.temperature), c.note) for c in checkins] == [("36.6", "")]
    # and 李四 (closed 10 days ago) and 王五 (a volunteer now) keep their names
    assert Person.objects.get(pk=people["lisi"].pk).name == "李四"
    assert Observation.objects.get(pk=shifted["recent"].pk).end_note == "期满无异常，张三已返岗"
    assert Person.objects.get(pk=people["wangwu"].pk).id_number == "43022319700708003X"
    # 王五's observation text is cleared though: it is past retention
    assert Observation.objects.get(pk=shifted["volunteer"].pk).place == ""
    signal = Signal.objects.get(pk=shifted["signal"].pk)
    assert (signal.subject_name, signal.subject_id_number, signal.details) == ("", "", {})
    assert (signal.reason, signal.handling_seconds) == ("（已清理）", 7200)
    assert (result.persons, result.observations, result.signals) == (1, 2, 1)


def test_the_purge_is_logged_per_county(tree, people, shifted):
    retention_purge(now=NOW)
    entries = AccessLog.objects.filter(action=Action.PURGE).order_by("unit_code")
    assert [(e.unit_code, e.detail["observations"], e.detail["persons"]) for e in entries] == [
        ("430202000000", 1, 0),
        ("430211000000", 1, 1),
    ]
    assert entries[1].detail["person_ids"] == [people["zhangsan"].pk]
    assert entries[0].user.username == "bastion-system"
    assert not entries[0].user.is_active


def test_a_second_run_changes_nothing(tree, people, shifted):
    # given
    retention_purge(now=NOW)
    before = list(Person.objects.order_by("pk").values())
    logged = AccessLog.objects.count()
    # when
    again = retention_purge(now=NOW + timedelta(hours=1))
    # then
    assert again.changed == 0
    assert list(Person.objects.order_by("pk").values()) == before
    assert AccessLog.objects.count() == logged


def test_a_dry_run_counts_without_changing(tree, people, shifted):
    result = retention_purge(now=NOW, dry_run=True)
    assert (result.persons, result.observations) == (1, 2)
    assert Person.objects.get(pk=people["zhangsan"].pk).name == "张三"
    assert not AccessLog.objects.filter(action=Action.PURGE).exists()


def test_the_retention_period_is_the_policy_setting(tree, personas, people, shifted):
    from bastion.observation.models import Policy

    # given: 天元区 keeps personal data for a year
    Policy.objects.create(
        version=1,
        county=tree.tianyuan,
        name="天元区策略",
        effective_from=NOW.date() - timedelta(days=400),
        retention_days=365,
    )
    # when
    retention_purge(now=NOW)
    # then
    assert Person.objects.get(pk=people["zhangsan"].pk).name == "张三"


def test_the_command(tree, people, shifted):
    out = StringIO()
    call_command("purge", "--dry-run", "--now", "2020-09-01T10:00", stdout=out)
    # the notes: 张三's check-in note and both completion notes
    assert out.getvalue().strip() == (
        "将清理：医学观察 2，人员 1，住户 1，线索 1，备注 3，过期导出文件 0"
    )
    call_command("purge", "--now", "2020-09-01T10:00", stdout=out)
    call_command("purge", "--now", "2020-09-01T10:00", "--json", stdout=(second := StringIO()))
    assert '"persons": 0' in second.getvalue()


def test_roadside_checks_past_retention_lose_the_identity(tree, personas):
    from bastion.accounts.roles import Role
    from bastion.checkpoints.models import PassengerCheck
    from bastion.checkpoints.services import OccupantIn, checkpoint_create, passage_register
    from bastion.testing import person_of

    # given: two vehicles at 株洲西, 200 and 10 days ago
    checkpoint = checkpoint_create(
        actor=personas.county_officer, parent=tree.tianyuan, name="株洲西收费站卡点", kind="road"
    )
    officer = person_of("officer", Role.CHECKPOINT_OFFICER, checkpoint.unit)
    for days in (200, 10):
        passage_register(
            actor=officer,
            checkpoint=checkpoint,
            plate="湘B12345",
            client_uuid=uuid.uuid4(),
            destination=tree.yuetang,
            occupants=[
                OccupantIn(
                    name="赵六",
                    id_number="430202199001010011",
                    phone="13800138000",
                    temperature="36.5",
                )
            ],
            now=NOW - timedelta(days=days),
        )
    # when
    result = retention_purge(now=NOW)
    again = retention_purge(now=NOW)
    # then
    rows = PassengerCheck.objects.order_by("occurred_at")
    assert [(p.name, p.id_number, p.mobile, str(p.temperature)) for p in rows] == [
        ("（已清理）", "", "", "36.5"),
        ("赵六", "430202199001010011", "13800138000", "36.5"),
    ]
    assert (result.passengers, again.passengers) == (1, 0)
    entry = AccessLog.objects.get(action=Action.PURGE)
    assert (entry.unit_code, entry.detail["passengers"]) == ("430211000000", 1)
