import uuid
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bastion.core.errors import StaleVersion, ValidationError
from bastion.people.models import Household
from bastion.supplies import services
from bastion.supplies.models import Donation, MovementKind, StockMovement
from bastion.supplies.tests.conftest import NOW, days_ago


def messages_of(excinfo):
    return excinfo.value.message_dict


# --- receipts and issues ------------------------------------------------------------------


def test_on_hand_is_the_sum_of_the_ledger(tree, masks, receive, issue):
    # given
    receive(tree.yuetang, masks, 500)
    receive(tree.yuetang, masks, 200)
    # when
    issue(tree.yuetang, masks, 120)
    # then
    assert services.on_hand(unit=tree.yuetang, item=masks) == 580
    assert services.on_hand(unit=tree.liyujuwei, item=masks) == 0


def test_rejects_an_issue_beyond_stock_and_writes_nothing(tree, personas, masks, receive):
    # given
    receive(tree.yuetang, masks, 100)
    # when
    with pytest.raises(ValidationError) as e:
        services.stock_issue(
            actor=personas.village_worker,
            unit=tree.yuetang,
            item=masks,
            quantity=150,
            counterparty="月塘路 3 号",
            client_uuid=uuid.uuid4(),
        )
    # then
    assert messages_of(e) == {"quantity": ["库存不足：口罩现有100个，不能发放150个。"]}
    assert StockMovement.objects.filter(kind=MovementKind.ISSUE).count() == 0
    assert services.on_hand(unit=tree.yuetang, item=masks) == 100


def test_rejects_an_issue_without_a_recipient_or_a_quantity(tree, personas, masks):
    with pytest.raises(ValidationError) as e:
        services.stock_issue(
            actor=personas.village_worker,
            unit=tree.yuetang,
            item=masks,
            quantity=0,
            counterparty="  ",
            client_uuid=uuid.uuid4(),
        )
    assert messages_of(e) == {
        "quantity": ["数量必须大于 0。"],
        "counterparty": ["请填写发放对象。"],
    }


def test_rejects_a_receipt_without_source_or_labelled_as_a_donation(tree, personas, masks):
    for source, message in (
        ("", "请选择来源（采购或上级调拨）。"),
        ("donation", services.DONATION_VIA_REGISTER),
    ):
        with pytest.raises(ValidationError) as e:
            services.stock_receive(
                actor=personas.village_worker,
                unit=tree.yuetang,
                item=masks,
                quantity=10,
                source=source,
                client_uuid=uuid.uuid4(),
            )
        assert messages_of(e) == {"source": [message]}


def test_rejects_writes_outside_the_jurisdiction(tree, personas, masks):
    # the neighbouring village's worker cannot record in 月塘
    with pytest.raises(ValidationError) as e:
        services.stock_receive(
            actor=personas.neighbour_worker,
            unit=tree.yuetang,
            item=masks,
            quantity=10,
            source="purchase",
            client_uuid=uuid.uuid4(),
        )
    assert messages_of(e) == {"unit": ["单位不存在或不在您的辖区内。"]}
    # nor can the auditor, who only reads
    with pytest.raises(ValidationError):
        services.stock_receive(
            actor=personas.auditor,
            unit=tree.yuetang,
            item=masks,
            quantity=10,
            source="purchase",
            client_uuid=uuid.uuid4(),
        )


def test_rejects_times_in_the_future_or_before_the_epidemic(tree, personas, masks):
    for at, message in (
        (NOW + timedelta(minutes=10), "发生时间不能晚于现在。"),
        (days_ago(200), "发生时间过早，请核对。"),
    ):
        with pytest.raises(ValidationError) as e:
            services.stock_receive(
                actor=personas.village_worker,
                unit=tree.yuetang,
                item=masks,
                quantity=10,
                source="purchase",
                occurred_at=at,
                client_uuid=uuid.uuid4(),
                now=NOW,
            )
        assert messages_of(e) == {"occurred_at": [message]}


def test_an_issue_to_a_household_names_it_and_must_be_inside_the_unit(
    tree, personas, masks, receive
):
    # given
    receive(tree.yuetang, masks, 100)
    home = Household.objects.create(
        unit=tree.yuetang, unit_code=tree.yuetang.code, address="月塘路 8 号"
    )
    away = Household.objects.create(
        unit=tree.liyujuwei, unit_code=tree.liyujuwei.code, address="栗雨路 2 号"
    )
    # when
    movement, created = services.stock_issue(
        actor=personas.village_worker,
        unit=tree.yuetang,
        item=masks,
        quantity=20,
        household=home,
        client_uuid=uuid.uuid4(),
    )
    # then
    assert created
    assert (movement.counterparty, movement.counterparty_kind) == ("月塘路 8 号", "household")
    with pytest.raises(ValidationError) as e:
        services.stock_issue(
            actor=personas.township_officer,
            unit=tree.yuetang,
            item=masks,
            quantity=20,
            household=away,
            client_uuid=uuid.uuid4(),
        )
    assert messages_of(e) == {"household": ["住户不在本单位辖区内。"]}


def test_a_township_may_issue_to_a_household_of_its_village(tree, personas, masks, receive):
    receive(tree.liyu, masks, 100)
    home = Household.objects.create(
        unit=tree.yuetang, unit_code=tree.yuetang.code, address="月塘路 9 号"
    )
    movement, _ = services.stock_issue(
        actor=personas.township_officer,
        unit=tree.liyu,
        item=masks,
        quantity=30,
        household=home,
        client_uuid=uuid.uuid4(),
    )
    assert movement.household == home and movement.unit_code == tree.liyu.code


# --- replays ------------------------------------------------------------------------------


def test_a_replayed_client_uuid_returns_the_first_movement(tree, personas, masks, receive):
    # given
    receive(tree.yuetang, masks, 100)
    key = uuid.uuid4()
    first, created = services.stock_issue(
        actor=personas.village_worker,
        unit=tree.yuetang,
        item=masks,
        quantity=10,
        counterparty="月塘路 1 号",
        client_uuid=key,
    )
    # when: the phone retries (even with another body)
    again, created_again = services.stock_issue(
        actor=personas.village_worker,
        unit=tree.yuetang,
        item=masks,
        quantity=99,
        counterparty="月塘路 1 号",
        client_uuid=key,
    )
    # then
    assert created and not created_again
    assert again.pk == first.pk and again.quantity == 10
    assert services.on_hand(unit=tree.yuetang, item=masks) == 90


def test_a_client_uuid_of_another_jurisdiction_is_refused(tree, personas, masks, receive):
    movement = receive(tree.yuetang, masks, 100)
    with pytest.raises(ValidationError) as e:
        services.stock_receive(
            actor=personas.outsider,
            unit=tree.wenhualu,
            item=masks,
            quantity=1,
            source="purchase",
            client_uuid=movement.client_uuid,
        )
    assert messages_of(e) == {"client_uuid": ["client_uuid 已被另一条记录使用。"]}


# --- transfers and counts -----------------------------------------------------------------


def test_a_transfer_writes_out_and_in_together_and_balances(tree, personas, masks, receive):
    # given
    receive(tree.liyu, masks, 1000)
    # when
    out, created = services.stock_transfer(
        actor=personas.township_officer,
        unit=tree.liyu,
        to_unit=tree.yuetang,
        item=masks,
        quantity=400,
        client_uuid=uuid.uuid4(),
    )
    # then
    transfer_in = out.transfer_in
    assert created and out.kind == "transfer_out" and transfer_in.kind == "transfer_in"
    assert (out.delta, transfer_in.delta) == (-400, 400)
    assert transfer_in.unit_code == tree.yuetang.code and transfer_in.counterparty == "栗雨街道"
    assert transfer_in.occurred_at == out.occurred_at and transfer_in.actor == out.actor
    assert services.on_hand(unit=tree.liyu, item=masks) == 600
    assert services.on_hand(unit=tree.yuetang, item=masks) == 400


def test_a_transfer_beyond_stock_writes_neither_side(tree, personas, masks, receive):
    receive(tree.liyu, masks, 50)
    with pytest.raises(ValidationError) as e:
        services.stock_transfer(
            actor=personas.township_officer,
            unit=tree.liyu,
            to_unit=tree.yuetang,
            item=masks,
            quantity=80,
            client_uuid=uuid.uuid4(),
        )
    assert messages_of(e) == {"quantity": ["库存不足：口罩现有50个，不能调出80个。"]}
    assert not StockMovement.objects.filter(kind__startswith="transfer").exists()


def test_rejects_a_transfer_to_itself_or_nowhere(tree, personas, masks):
    for to_unit, message in ((tree.liyu, "调入单位不能是本单位。"), (None, "请选择调入单位。")):
        with pytest.raises(ValidationError) as e:
            services.stock_transfer(
                actor=personas.township_officer,
                unit=tree.liyu,
                to_unit=to_unit,
                item=masks,
                quantity=1,
                client_uuid=uuid.uuid4(),
            )
        assert messages_of(e) == {"counterparty_unit": [message]}


def test_a_village_may_return_goods_to_its_township(tree, personas, masks, receive):
    # the township lies outside the village worker's jurisdiction, yet is a valid destination
    receive(tree.yuetang, masks, 30)
    services.stock_transfer(
        actor=personas.village_worker,
        unit=tree.yuetang,
        to_unit=tree.liyu,
        item=masks,
        quantity=30,
        client_uuid=uuid.uuid4(),
    )
    assert services.on_hand(unit=tree.liyu, item=masks) == 30


def test_a_count_records_the_difference_as_an_adjustment(tree, personas, masks, receive):
    # given
    receive(tree.yuetang, masks, 100)
    # when: 93 are counted, then 120 after a forgotten box turns up
    down, _ = services.stock_count(
        actor=personas.village_worker,
        unit=tree.yuetang,
        item=masks,
        counted=93,
        client_uuid=uuid.uuid4(),
    )
    up, _ = services.stock_count(
        actor=personas.village_worker,
        unit=tree.yuetang,
        item=masks,
        counted=120,
        client_uuid=uuid.uuid4(),
    )
    # then
    assert (down.kind, down.delta, down.quantity) == ("adjust", -7, 7)
    assert (up.delta, up.quantity) == (27, 27)
    assert services.on_hand(unit=tree.yuetang, item=masks) == 120


def test_rejects_a_count_that_matches_the_books(tree, personas, masks, receive):
    receive(tree.yuetang, masks, 100)
    with pytest.raises(ValidationError) as e:
        services.stock_count(
            actor=personas.village_worker,
            unit=tree.yuetang,
            item=masks,
            counted=100,
            client_uuid=uuid.uuid4(),
        )
    assert messages_of(e) == {"quantity": ["盘点数与账面数一致，无需调整。"]}


def test_movement_record_reads_adjust_quantity_as_the_count(tree, personas, masks, receive):
    receive(tree.yuetang, masks, 10)
    movement, _ = services.movement_record(
        actor=personas.village_worker,
        kind="adjust",
        unit=tree.yuetang,
        item=masks,
        quantity=4,
        client_uuid=uuid.uuid4(),
    )
    assert movement.delta == -6


def test_the_database_refuses_a_movement_signed_against_its_kind(tree, personas, masks):
    with pytest.raises(IntegrityError):
        StockMovement.objects.create(
            unit=tree.yuetang,
            unit_code=tree.yuetang.code,
            item=masks,
            kind=MovementKind.ISSUE,
            quantity=5,
            delta=5,
            actor=personas.commander,
            occurred_at=NOW,
            client_uuid=uuid.uuid4(),
        )


OPERATIONS = st.lists(
    st.tuples(st.sampled_from(["receive", "issue", "transfer", "count"]), st.integers(0, 300)),
    max_size=12,
)


@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(operations=OPERATIONS)
def test_stock_never_goes_below_zero_and_always_equals_the_ledger(
    tree, personas, masks, operations
):
    # given: what the two units hold now (examples share the database)
    actor = personas.township_officer
    model = {u.code: services.on_hand(unit=u, item=masks) for u in (tree.liyu, tree.yuetang)}
    for op, n in operations:
        # when
        try:
            if op == "receive":
                services.stock_receive(
                    actor=actor,
                    unit=tree.liyu,
                    item=masks,
                    quantity=n,
                    source="allocation",
                    client_uuid=uuid.uuid4(),
                )
                model[tree.liyu.code] += n
            elif op == "issue":
                services.stock_issue(
                    actor=actor,
                    unit=tree.liyu,
                    item=masks,
                    quantity=n,
                    counterparty="卡点",
                    client_uuid=uuid.uuid4(),
                )
                model[tree.liyu.code] -= n
            elif op == "transfer":
                services.stock_transfer(
                    actor=actor,
                    unit=tree.liyu,
                    to_unit=tree.yuetang,
                    item=masks,
                    quantity=n,
                    client_uuid=uuid.uuid4(),
                )
                model[tree.liyu.code] -= n
                model[tree.yuetang.code] += n
            else:
                services.stock_count(
                    actor=actor,
                    unit=tree.yuetang,
                    item=masks,
                    counted=n,
                    client_uuid=uuid.uuid4(),
                )
                model[tree.yuetang.code] = n
        except ValidationError:
            pass
        # then
        for unit in (tree.liyu, tree.yuetang):
            have = services.on_hand(unit=unit, item=masks)
            assert have >= 0
            assert have == model[unit.code]


def test_stock_minimum_is_kept_per_unit_and_item(tree, personas, masks):
    stock = services.stock_minimum_set(
        actor=personas.village_worker, unit=tree.yuetang, item=masks, minimum=200
    )
    again = services.stock_minimum_set(
        actor=personas.village_worker, unit=tree.yuetang, item=masks, minimum=300
    )
    assert stock.pk == again.pk and again.minimum == 300
    with pytest.raises(ValidationError) as e:
        services.stock_minimum_set(
            actor=personas.village_worker, unit=tree.liyujuwei, item=masks, minimum=1
        )
    assert messages_of(e) == {"unit": ["单位不存在或不在您的辖区内。"]}


# --- donations ----------------------------------------------------------------------------


def donate(actor, unit, **fields):
    values = {
        "donor_name": "湖南华源荣康药业有限公司",
        "donor_kind": "private_enterprise",
        "donated_on": date(2020, 1, 28),
        "client_uuid": uuid.uuid4(),
        "now": NOW,
    }
    values.update(fields)
    return services.donation_record(actor=actor, unit=unit, **values)


def test_donated_goods_become_receipts_of_the_recipient(tree, personas, masks):
    # when
    donation, created = donate(
        personas.township_officer,
        tree.liyu,
        goods=[(masks, 3000), (masks, 2000)],
        purpose="一线防疫人员使用",
        receipt_no="LY-2020-001",
    )
    # then
    receipts = list(donation.receipts.all())
    assert created and len(receipts) == 1
    receipt = receipts[0]
    assert (receipt.kind, receipt.source, receipt.quantity) == ("receipt", "donation", 5000)
    assert (receipt.counterparty, receipt.counterparty_kind) == (
        "湖南华源荣康药业有限公司",
        "donor",
    )
    assert receipt.occurred_at.date() == date(2020, 1, 28)
    assert services.on_hand(unit=tree.liyu, item=masks) == 5000


def test_a_money_donation_writes_no_movement(tree, personas):
    donation, _ = donate(
        personas.township_officer,
        tree.liyu,
        donor_name="张三",
        donor_kind="individual",
        money="1000.5",
    )
    assert donation.money == Decimal("1000.50")
    assert not StockMovement.objects.exists()


def test_rejects_a_donation_of_nothing_or_odd_money(tree, personas):
    cases = [
        ({"money": 0}, {"money": ["请填写捐款金额或捐赠物资。"]}),
        ({"money": "-5"}, {"money": ["金额不能为负数。"]}),
        ({"money": "10.005"}, {"money": ["金额最多保留两位小数。"]}),
        ({"money": 5, "donor_name": " "}, {"donor_name": ["请填写捐赠方名称。"]}),
        ({"money": 5, "donor_kind": "state"}, {"donor_kind": ["请选择捐赠方类别。"]}),
        ({"money": 5, "donated_on": date(2020, 2, 2)}, {"donated_on": ["捐赠日期不能晚于今天。"]}),
    ]
    for fields, errors in cases:
        with pytest.raises(ValidationError) as e:
            donate(personas.township_officer, tree.liyu, **fields)
        assert messages_of(e) == errors
    assert not Donation.objects.exists()


def test_rejects_a_receipt_number_twice_at_one_unit(tree, personas):
    donate(personas.county_officer, tree.liyu, money=100, receipt_no="No.0001")
    with pytest.raises(ValidationError) as e:
        donate(personas.county_officer, tree.liyu, money=200, receipt_no="No.0001")
    assert messages_of(e) == {"receipt_no": ["该收据编号已登记。"]}
    # the same number at another unit is another receipt book
    donate(personas.county_officer, tree.yuetang, money=200, receipt_no="No.0001")


def test_a_replayed_donation_returns_the_first(tree, personas, masks):
    key = uuid.uuid4()
    first, created = donate(
        personas.township_officer, tree.liyu, goods=[(masks, 10)], client_uuid=key
    )
    again, created_again = donate(
        personas.township_officer, tree.liyu, goods=[(masks, 10)], client_uuid=key
    )
    assert created and not created_again and again.pk == first.pk
    assert services.on_hand(unit=tree.liyu, item=masks) == 10


def test_village_workers_do_not_register_donations(tree, personas):
    with pytest.raises(ValidationError) as e:
        donate(personas.village_worker, tree.yuetang, money=10)
    assert messages_of(e) == {"unit": ["单位不存在或不在您的辖区内。"]}


def test_a_donation_whose_goods_fail_leaves_nothing_behind(tree, personas, masks, monkeypatch):
    # given: writing the receipts fails halfway
    def broken(*args, **kwargs):
        raise IntegrityError("disk full")

    monkeypatch.setattr(StockMovement.objects, "bulk_create", broken)
    # when
    with pytest.raises(IntegrityError):
        donate(personas.township_officer, tree.liyu, money=100, goods=[(masks, 10)])
    # then
    assert not Donation.objects.exists()


def test_usage_notes_use_optimistic_concurrency(tree, personas):
    donation, _ = donate(personas.township_officer, tree.liyu, money=100)
    updated = services.donation_usage_update(
        actor=personas.township_officer, donation=donation, usage_notes="购买口罩 500 个", version=1
    )
    assert (updated.usage_notes, updated.version) == ("购买口罩 500 个", 2)
    with pytest.raises(StaleVersion) as e:
        services.donation_usage_update(
            actor=personas.township_officer, donation=donation, usage_notes="别的", version=1
        )
    assert e.value.current.usage_notes == "购买口罩 500 个"
