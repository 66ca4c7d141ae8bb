from datetime import date

import pytest

from bastion.audit.models import AccessLog, Action
from bastion.core.errors import StaleVersion, ValidationError
from bastion.people.models import Household, Person, Sex
from bastion.people.selectors import person_get
from bastion.people.services import (
    DuplicatePerson,
    household_create,
    person_create,
    person_merge,
    person_reveal,
    person_update,
)
from bastion.people.tests.conftest import ID_LISI, ID_WANGWU, ID_ZHANGSAN


def errors_of(excinfo: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return excinfo.value.message_dict


# person_create


def test_derives_sex_and_birth_date_from_id_number(tree, personas):
    # when
    person = person_create(
        actor=personas.village_worker, unit=tree.yuetang, name="李四", id_number=ID_LISI
    )
    # then
    assert (person.sex, person.birth_date) == (Sex.FEMALE, date(1985, 3, 15))
    assert person.unit_code == tree.yuetang.code
    assert person.created_by == personas.village_worker
    assert person.version == 1


def test_normalises_id_number_and_mobile(tree, personas):
    # when: a lower-case x, full-width digits and a mobile with +86, spaces and dashes
    person = person_create(
        actor=personas.village_worker,
        unit=tree.yuetang,
        name="王五",
        id_number="４３０２２３１９７００７０８００３x",
        mobile="+86 139-0013-9000",
    )
    # then
    assert person.id_number == ID_WANGWU
    assert person.mobile == "13900139000"


def test_upgrades_a_15_digit_id_number_to_18_digits(tree, personas):
    person = person_create(
        actor=personas.village_worker, unit=tree.yuetang, name="张三", id_number="430202900101001"
    )
    assert person.id_number == ID_ZHANGSAN
    assert person.birth_date == date(1990, 1, 1)


def test_computes_pinyin_and_initials(tree, personas):
    person = person_create(actor=personas.village_worker, unit=tree.yuetang, name="欧阳 娜娜")
    assert (person.name, person.name_pinyin, person.name_initials) == (
        "欧阳 娜娜",
        "ouyangnana",
        "oynn",
    )


def test_accepts_a_person_without_id_number(tree, personas):
    person = person_create(
        actor=personas.village_worker,
        unit=tree.yuetang,
        name="赵六",
        sex=Sex.MALE,
        birth_date=date(2019, 5, 1),
    )
    assert (person.id_number, person.sex, person.birth_date) == (None, "M", date(2019, 5, 1))


def test_rejects_a_bad_check_character_with_the_validator_message(tree, personas):
    with pytest.raises(ValidationError) as excinfo:
        person_create(
            actor=personas.village_worker,
            unit=tree.yuetang,
            name="张三",
            id_number="430202199001010012",
        )
    assert errors_of(excinfo) == {
        "id_number": ["身份证号校验位不对：最后一位应为 1，实际为 2，请逐位核对。"]
    }


def test_rejects_sex_and_birth_date_that_disagree_with_the_id_number(tree, personas):
    with pytest.raises(ValidationError) as excinfo:
        person_create(
            actor=personas.village_worker,
            unit=tree.yuetang,
            name="张三",
            id_number=ID_ZHANGSAN,
            sex=Sex.FEMALE,
            birth_date=date(1990, 1, 2),
        )
    assert errors_of(excinfo) == {
        "sex": ["性别与身份证号不符：身份证号显示为男。"],
        "birth_date": ["出生日期与身份证号不符：身份证号显示为 1990-01-01。"],
    }


def test_reports_every_bad_field_at_once(tree, personas):
    with pytest.raises(ValidationError) as excinfo:
        person_create(
            actor=personas.village_worker,
            unit=None,
            name="  ",
            mobile="1380013800",
            birth_date=date(2999, 1, 1),
        )
    assert errors_of(excinfo) == {
        "name": ["请填写姓名。"],
        "mobile": ["手机号应为 11 位，现在是 10 位。"],
        "birth_date": ["出生日期不能晚于今天。"],
        "unit": ["请选择所属村（社区）或网格。"],
    }


def test_rejects_a_unit_outside_the_jurisdiction(tree, personas):
    with pytest.raises(ValidationError) as excinfo:
        person_create(actor=personas.village_worker, unit=tree.liyujuwei, name="张三")
    assert errors_of(excinfo) == {"unit": ["所属单元不存在或不在您的辖区内。"]}


def test_rejects_a_township_as_home_unit(tree, personas):
    with pytest.raises(ValidationError) as excinfo:
        person_create(actor=personas.township_officer, unit=tree.liyu, name="张三")
    assert errors_of(excinfo) == {"unit": ["人员只能登记到村（社区）或网格。"]}


def test_auditor_may_not_register(tree, personas):
    with pytest.raises(ValidationError) as excinfo:
        person_create(actor=personas.auditor, unit=tree.yuetang, name="张三")
    assert errors_of(excinfo) == {"unit": ["所属单元不存在或不在您的辖区内。"]}


def test_rejects_duplicate_id_number_and_offers_the_existing_person(tree, personas, zhangsan):
    with pytest.raises(DuplicatePerson) as excinfo:
        person_create(
            actor=personas.township_officer,
            unit=tree.liyujuwei,
            name="张叁",
            id_number="430202900101001",  # the 15-digit form of the same number
        )
    assert excinfo.value.existing == zhangsan
    assert errors_of(excinfo) == {
        "id_number": ["该身份证号已登记：张三（月塘居委会），请打开已有人员。"]
    }


def test_duplicate_id_number_out_of_scope_reveals_nobody(tree, personas, zhangsan):
    with pytest.raises(DuplicatePerson) as excinfo:
        person_create(
            actor=personas.neighbour_worker, unit=tree.liyujuwei, name="张叁", id_number=ID_ZHANGSAN
        )
    assert excinfo.value.existing is None
    assert errors_of(excinfo) == {
        "id_number": ["该身份证号已在其他辖区登记，请联系乡镇（街道）核实。"]
    }


def test_a_merged_persons_id_number_may_be_registered_again(tree, personas, register):
    # given: two records of one woman, merged; the merged one kept the number
    keep = register(unit=tree.yuetang, name="李四")
    merge = register(unit=tree.yuetang, name="李四", id_number=ID_LISI)
    person_merge(actor=personas.township_officer, keep=keep, merge=merge)
    # then: the number now lives on the survivor only
    keep.refresh_from_db()
    assert keep.id_number == ID_LISI
    with pytest.raises(DuplicatePerson):
        register(unit=tree.yuetang, name="李四", id_number=ID_LISI)


def test_address_finds_or_creates_the_household_in_the_unit(tree, personas, zhangsan):
    # when
    wife = person_create(
        actor=personas.village_worker, unit=tree.yuetang, name="张妻", address=" 月塘路　1 号 "
    )
    # then
    assert wife.household == zhangsan.household
    assert Household.objects.count() == 1


def test_joins_a_given_household_and_takes_its_unit(tree, personas, zhangsan):
    child = person_create(
        actor=personas.village_worker, unit=None, household=zhangsan.household, name="张小三"
    )
    assert (child.household, child.unit) == (zhangsan.household, tree.yuetang)


def test_rejects_a_household_out_of_scope(tree, personas, lisi):
    with pytest.raises(ValidationError) as excinfo:
        person_create(
            actor=personas.village_worker,
            unit=tree.yuetang,
            household=lisi.household,
            name="李小四",
        )
    assert errors_of(excinfo) == {"household": ["住户不存在或不在您的辖区内。"]}


def test_logs_the_registration(tree, personas, zhangsan):
    log = AccessLog.objects.get(action=Action.CREATE)
    assert (log.user, log.object_id, log.unit_code) == (
        personas.commander,
        str(zhangsan.pk),
        tree.yuetang.code,
    )


# person_update


def test_update_bumps_the_version_and_logs_the_changed_fields(personas, zhangsan):
    # when
    person = person_update(
        actor=personas.village_worker,
        person=zhangsan,
        version=1,
        mobile="13700137000",
        care_tags=["is_chronic"],
    )
    # then
    assert (person.version, person.mobile, person.is_chronic) == (2, "13700137000", True)
    log = AccessLog.objects.get(action=Action.UPDATE)
    assert log.detail == {"fields": ["is_chronic", "mobile"]}
    assert "13700137000" not in str(log.detail)


def test_stale_update_raises_with_the_current_record(personas, zhangsan):
    # given: someone else saved first
    person_update(actor=personas.township_officer, person=zhangsan, version=1, name="张三丰")
    # when
    with pytest.raises(StaleVersion) as excinfo:
        person_update(actor=personas.village_worker, person=zhangsan, version=1, name="张叁")
    # then
    assert (excinfo.value.current.name, excinfo.value.current.version) == ("张三丰", 2)
    assert str(excinfo.value) == "记录已被他人修改，请刷新后再改。"
    assert Person.objects.get(pk=zhangsan.pk).name == "张三丰"


def test_update_rederives_sex_and_birth_date_from_a_new_id_number(personas, register, tree):
    person = register(unit=tree.yuetang, name="李四", sex=Sex.MALE, birth_date=date(1985, 1, 1))
    updated = person_update(
        actor=personas.village_worker, person=person, version=1, id_number=ID_LISI
    )
    assert (updated.sex, updated.birth_date) == (Sex.FEMALE, date(1985, 3, 15))


def test_update_rejects_a_birth_date_that_disagrees_with_the_kept_id_number(personas, zhangsan):
    with pytest.raises(ValidationError) as excinfo:
        person_update(
            actor=personas.village_worker,
            person=zhangsan,
            version=1,
            birth_date=date(1991, 1, 1),
        )
    assert errors_of(excinfo) == {
        "birth_date": ["出生日期与身份证号不符：身份证号显示为 1990-01-01。"]
    }


def test_update_rejects_an_id_number_of_another_person(personas, zhangsan, lisi):
    with pytest.raises(DuplicatePerson) as excinfo:
        person_update(
            actor=personas.township_officer, person=zhangsan, version=1, id_number=ID_LISI
        )
    assert excinfo.value.existing == lisi


def test_moving_to_another_village_needs_a_new_address(tree, personas, zhangsan):
    with pytest.raises(ValidationError) as excinfo:
        person_update(
            actor=personas.township_officer, person=zhangsan, version=1, unit=tree.liyujuwei
        )
    assert errors_of(excinfo) == {"address": ["换到其他村（社区）或网格时，请填写新地址。"]}
    moved = person_update(
        actor=personas.township_officer,
        person=zhangsan,
        version=1,
        unit=tree.liyujuwei,
        address="栗雨路 9 号",
    )
    assert (moved.unit_code, moved.household.address) == (tree.liyujuwei.code, "栗雨路 9 号")


# person_merge


def test_merge_fills_what_the_survivor_lacks_and_keeps_the_merged_id(
    tree, personas, register, zhangsan
):
    # given: the same man registered twice, once without ID number and once without phone
    keep = register(unit=tree.yuetang, name="张三", mobile="13600136000")
    duplicate = zhangsan
    # when
    person_merge(actor=personas.township_officer, keep=keep, merge=duplicate)
    # then
    keep.refresh_from_db()
    duplicate.refresh_from_db()
    assert keep.id_number == ID_ZHANGSAN
    assert keep.mobile == "13600136000"
    assert keep.birth_date == date(1990, 1, 1)
    assert keep.household == duplicate.household
    assert duplicate.merged_into == keep
    assert duplicate.id_number == ID_ZHANGSAN  # nothing else is cleared
    assert person_get(user=personas.village_worker, person_id=duplicate.pk) == keep
    log = AccessLog.objects.get(action=Action.MERGE)
    assert log.detail == {
        "keep": keep.pk,
        "merged": duplicate.pk,
        "fields": ["id_number", "birth_date", "household", "sex"],
    }


def test_merge_refuses_two_different_id_numbers(tree, personas, zhangsan, register):
    other = register(unit=tree.yuetang, name="张三", id_number=ID_WANGWU)
    with pytest.raises(ValidationError) as excinfo:
        person_merge(actor=personas.township_officer, keep=zhangsan, merge=other)
    assert errors_of(excinfo) == {"merge": ["两人的身份证号不同，不是同一人，不能合并。"]}


def test_merge_needs_the_capability(tree, personas, zhangsan, register):
    other = register(unit=tree.yuetang, name="张三")
    with pytest.raises(ValidationError) as excinfo:
        person_merge(actor=personas.village_worker, keep=zhangsan, merge=other)
    assert errors_of(excinfo) == {"merge": ["只能合并自己辖区内的人员。"]}


def test_merge_refuses_the_same_person(personas, zhangsan):
    with pytest.raises(ValidationError) as excinfo:
        person_merge(actor=personas.township_officer, keep=zhangsan, merge=zhangsan)
    assert errors_of(excinfo) == {"merge": ["不能把人员与自己合并。"]}


# person_reveal


def test_reveal_returns_the_full_value_and_logs_field_and_reason(personas, zhangsan):
    value = person_reveal(
        actor=personas.village_worker, person=zhangsan, field="mobile", reason="电话随访"
    )
    assert value == "13800138000"
    log = AccessLog.objects.get(action=Action.REVEAL)
    assert (log.user, log.field, log.reason, log.object_id) == (
        personas.village_worker,
        "mobile",
        "电话随访",
        str(zhangsan.pk),
    )


def test_reveal_needs_a_reason(personas, zhangsan):
    with pytest.raises(ValidationError) as excinfo:
        person_reveal(actor=personas.village_worker, person=zhangsan, field="id_number", reason=" ")
    assert errors_of(excinfo) == {"reason": ["请填写查看事由。"]}
    assert not AccessLog.objects.filter(action=Action.REVEAL).exists()


# household_create


def test_household_create_refuses_a_second_household_at_one_address(tree, personas):
    household_create(actor=personas.village_worker, unit=tree.yuetang, address="月塘路 3 号")
    with pytest.raises(ValidationError) as excinfo:
        household_create(actor=personas.village_worker, unit=tree.yuetang, address="月塘路  3 号")
    assert errors_of(excinfo) == {"address": ["该地址的住户已经登记。"]}


def test_household_create_stays_in_the_jurisdiction(tree, personas):
    with pytest.raises(ValidationError) as excinfo:
        household_create(actor=personas.outsider, unit=tree.yuetang, address="月塘路 3 号")
    assert errors_of(excinfo) == {"unit": ["所属单元不存在或不在您的辖区内。"]}
