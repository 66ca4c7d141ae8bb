import uuid

import pytest
from django.core.exceptions import ValidationError

from bastion.screening.models import SignalSource, SignalStatus
from bastion.screening.services import signal_raise


def test_it_files_a_new_signal_with_its_first_event(tree, personas):
    # when
    signal, created = signal_raise(
        unit=tree.yuetang,
        source=SignalSource.HOTLINE,
        reason="邻居来电：某户有武汉返乡人员",
        subject_name="王某",
        actor=personas.village_worker,
    )
    # then
    assert created and signal.status == SignalStatus.NEW and signal.unit_code == tree.yuetang.code
    assert [e.status for e in signal.events.all()] == [SignalStatus.NEW]


def test_a_replayed_client_uuid_returns_the_first_signal(tree):
    key = uuid.uuid4()
    first, created = signal_raise(
        unit=tree.yuetang, source="sweep", reason="返乡", subject_name="李某", client_uuid=key
    )
    again, created_again = signal_raise(
        unit=tree.yuetang, source="sweep", reason="返乡", subject_name="李某", client_uuid=key
    )
    assert created and not created_again and first.pk == again.pk


def test_rejects_a_signal_above_village_level(tree):
    with pytest.raises(ValidationError) as e:
        signal_raise(unit=tree.liyu, source="sweep", reason="返乡", subject_name="李某")
    assert e.value.message_dict == {"unit": ["线索必须落到具体的村（社区）或网格。"]}


def test_rejects_a_signal_about_nobody(tree):
    with pytest.raises(ValidationError) as e:
        signal_raise(unit=tree.yuetang, source="sweep", reason="返乡")
    assert e.value.message_dict == {"person": ["请至少提供姓名、身份证号或手机号之一。"]}
