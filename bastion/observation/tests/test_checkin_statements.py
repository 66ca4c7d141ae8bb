"""The check-in's hot path writes and reads through `core.fastsql` (decision 0007): the rows
must be exactly the ones the ORM writes and reads, signals included, and the scoped read by
primary key must refuse what `get_scoped_or_404` refuses."""

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.db.models import F
from django.db.models.signals import post_save, pre_save
from django.forms.models import model_to_dict
from django.http import Http404
from django.utils import timezone

from bastion.accounts.jurisdiction import get_by_pk_scoped_or_404, get_scoped_or_404
from bastion.accounts.roles import Capability
from bastion.core import fastsql
from bastion.core.models import IdempotencyRecord
from bastion.observation.models import CheckIn, Observation


def _columns(instance: Any) -> dict[str, Any]:
    return {f.attname: getattr(instance, f.attname) for f in type(instance)._meta.concrete_fields}


def _checkin(observation: Observation, **fields: Any) -> CheckIn:
    values: dict[str, Any] = {
        "observation": observation,
        "unit_code": observation.unit_code,
        "day": timezone.localdate(),
        "slot": "morning",
        "measured_at": timezone.now(),
        "temperature": Decimal("37.3"),
        "site": "forehead",
        "symptoms": ["cough", "发热"],
        "source": "visit",
        "outcome": "cooperative",
        "note": "早上 7 点",
        "is_fever": False,
        "client_uuid": uuid.uuid4(),
    }
    values.update(fields)
    return CheckIn(**values)


def test_insert_writes_the_row_save_writes(observation, personas):
    # given: the same check-in written by the ORM and by fastsql (but for its client UUID)
    by_orm = _checkin(observation, recorded_by=personas.village_worker)
    by_orm.save()
    fast = _checkin(
        observation,
        recorded_by=personas.village_worker,
        measured_at=by_orm.measured_at,
        corrects=by_orm,
    )
    # when
    fastsql.insert(fast)
    # then: it has its key, and reads back as the ORM's row reads back
    assert fast.pk is not None and fast.pk != by_orm.pk and not fast._state.adding
    read_orm, read_fast = CheckIn.objects.get(pk=by_orm.pk), CheckIn.objects.get(pk=fast.pk)
    skip = {"id", "client_uuid", "corrects_id", "recorded_at"}
    assert {k: v for k, v in _columns(read_fast).items() if k not in skip} == {
        k: v for k, v in _columns(read_orm).items() if k not in skip
    }
    assert read_fast.corrects_id == by_orm.pk and read_fast.client_uuid == fast.client_uuid
    # auto_now_add was filled by the field, as save() fills it
    assert read_fast.recorded_at is not None and fast.recorded_at == read_fast.recorded_at


def test_insert_sends_the_save_signals(observation):
    seen: list[tuple[str, bool | None]] = []

    def before(sender: Any, instance: Any, **kwargs: Any) -> None:
        seen.append(("pre", instance.pk is None))

    def after(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
        seen.append(("post", created and instance.pk is not None))

    pre_save.connect(before, sender=CheckIn, dispatch_uid="test-fastsql-pre")
    post_save.connect(after, sender=CheckIn, dispatch_uid="test-fastsql-post")
    try:
        fastsql.insert(_checkin(observation))
    finally:
        pre_save.disconnect(sender=CheckIn, dispatch_uid="test-fastsql-pre")
        post_save.disconnect(sender=CheckIn, dispatch_uid="test-fastsql-post")
    assert seen == [("pre", True), ("post", True)]


def test_insert_refuses_an_expression(observation):
    with pytest.raises(TypeError, match="plain values"):
        fastsql.insert(_checkin(observation, note=F("unit_code")))
    assert not CheckIn.objects.exists()


def test_insert_of_a_json_body_reads_back(personas):
    record = IdempotencyRecord(
        user=personas.village_worker,
        key="k-1",
        method="POST",
        path="/api/v1/x",
        request_hash="0" * 64,
        status=201,
        body={"名字": "张三", "items": [1, 2.5, None, True], "nested": {"a": "b"}},
    )
    fastsql.insert(record)
    stored = IdempotencyRecord.objects.get(pk=record.pk)
    assert stored.body == record.body and stored.created_at == record.created_at


def test_get_reads_what_the_orm_reads(observation):
    # given: fields of every kind the model has, some null
    Observation.objects.filter(pk=observation.pk).update(last_checkin_at=timezone.now())
    # when
    fast = fastsql.get(Observation, observation.pk)
    # then
    orm = Observation.objects.get(pk=observation.pk)
    assert fast is not None and _columns(fast) == _columns(orm)
    assert model_to_dict(fast) == model_to_dict(orm)
    assert fastsql.get(Observation, observation.pk + 10_000) is None


def test_get_converts_decimals_json_and_uuids(observation):
    written = _checkin(observation, temperature=Decimal("38.5"), symptoms=["乏力"])
    written.save()
    read = fastsql.get(CheckIn, written.pk)
    assert read is not None
    assert read.temperature == Decimal("38.5") and isinstance(read.temperature, Decimal)
    assert read.symptoms == ["乏力"]
    assert read.client_uuid == written.client_uuid and isinstance(read.client_uuid, uuid.UUID)
    assert isinstance(read.measured_at, datetime) and read.measured_at == written.measured_at


@pytest.mark.parametrize(
    "who", ["village_worker", "township_officer", "neighbour_worker", "outsider", "auditor"]
)
def test_scoped_read_by_key_refuses_what_the_scoped_queryset_refuses(observation, personas, who):
    user = getattr(personas, who)
    try:
        expected: Any = get_scoped_or_404(
            user, Observation.objects.all(), Capability.RECORD_CHECKINS, pk=observation.pk
        ).pk
    except Http404:
        expected = Http404
    try:
        found: Any = get_by_pk_scoped_or_404(
            user, Observation, observation.pk, Capability.RECORD_CHECKINS
        ).pk
    except Http404:
        found = Http404
    assert found == expected


def test_scoped_read_by_key_is_404_for_a_missing_row(observation, personas):
    with pytest.raises(Http404):
        get_by_pk_scoped_or_404(
            personas.village_worker, Observation, observation.pk + 999, Capability.RECORD_CHECKINS
        )
