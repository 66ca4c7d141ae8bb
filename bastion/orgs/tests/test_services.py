from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from bastion.orgs.models import Kind, Level, OrgUnit, PartyOrgKind
from bastion.orgs.services import DIVISIONS_CSV, divisions_load, short_name_of, unit_create


@pytest.mark.django_db
def test_it_loads_the_whole_zhuzhou_tree_once():
    # when
    first = divisions_load()
    second = divisions_load()
    # then
    assert first.created == 1517
    assert (second.created, second.updated, second.unchanged) == (0, 0, 1517)
    counts = {lvl: OrgUnit.objects.filter(level=lvl).count() for lvl in Level.values}
    assert counts == {"city": 1, "county": 11, "township": 110, "village": 1395, "grid": 0}
    liyu = OrgUnit.objects.get(code="430211003000")
    assert (liyu.name, liyu.scope_prefix, liyu.parent.code) == (
        "栗雨街道",
        "430211003",
        "430211000000",
    )
    assert OrgUnit.objects.get(code="430200000000").scope_prefix == "4302"


@pytest.mark.django_db
def test_a_changed_name_updates_in_place(tmp_path: Path):
    # given
    divisions_load()
    before = OrgUnit.objects.get(code="430224106208")
    text = DIVISIONS_CSV.read_text(encoding="utf-8").replace("星锋村", "星峰村")
    changed = tmp_path / "divisions.csv"
    changed.write_text(text, encoding="utf-8")
    # when
    result = divisions_load(path=changed)
    # then
    after = OrgUnit.objects.get(code="430224106208")
    assert (result.created, result.updated) == (0, 1)
    assert after.pk == before.pk and after.name == "星峰村"


def test_short_names_are_what_people_say():
    assert short_name_of("月塘居委会") == "月塘社区"
    assert short_name_of("新民社区居委会") == "新民社区"
    assert short_name_of("永安社区居民委员会") == "永安社区"
    assert short_name_of("花石村") == "花石村"
    assert short_name_of("荷塘铺村委会") == "荷塘铺村"


def test_grid_codes_extend_the_village_code(tree):
    # when
    first = unit_create(parent=tree.yuetang, name="第一网格", kind="grid")
    second = unit_create(parent=tree.yuetang, name="第二网格", kind="grid")
    # then
    assert first.code == "430211003016G01" and second.code == "430211003016G02"
    assert first.level == Level.GRID and first.scope_prefix == first.code
    assert tree.yuetang.contains(first.code) and not tree.liyujuwei.contains(first.code)


def test_attached_units_stay_inside_their_parent_jurisdiction(tree):
    # when
    health = unit_create(parent=tree.city, name="市卫健委", kind=Kind.DEPARTMENT)
    branch = unit_create(
        parent=health,
        name="赴湖北医疗支援临时党支部",
        kind=Kind.PARTY_BRANCH,
        party_kind=PartyOrgKind.TEMPORARY_BRANCH,
    )
    # then
    assert health.code == "430200000000D001"
    assert branch.code == "430200000000D001P01"
    assert tree.city.contains(branch.code)
    assert not tree.tianyuan.contains(health.code)


def test_rejects_a_grid_outside_a_village(tree):
    with pytest.raises(ValidationError) as e:
        unit_create(parent=tree.liyu, name="网格", kind="grid")
    assert e.value.message_dict == {"kind": ["网格只能建在村（社区）之下。"]}


def test_a_party_organisation_needs_its_kind(tree):
    with pytest.raises(ValidationError) as e:
        unit_create(parent=tree.yuetang, name="月塘党总支", kind=Kind.PARTY_BRANCH)
    assert "party_kind" in e.value.message_dict
