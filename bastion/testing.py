"""Test support: a small real-code org tree and the personas of STYLE.md §10.

city 株洲市 ── county 天元区 ── township 栗雨街道 ─┬─ village 月塘居委会 (yuetang)
                                                └─ village 栗雨居委会 (liyujuwei)
          └─ county 荷塘区 ── township 月塘街道 ── village 文化路社区 (outsider)
"""

from dataclasses import dataclass
from typing import Any

import factory

from bastion.accounts.models import Membership, User
from bastion.accounts.roles import Role
from bastion.orgs.models import Kind, Level, OrgUnit
from bastion.orgs.services import search_text_of, short_name_of

PASSWORD = "correct-horse-2020"  # noqa: S105 - a test fixture password


class OrgUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrgUnit
        django_get_or_create = ("code",)

    kind = Kind.TERRITORIAL
    short_name = factory.LazyAttribute(lambda o: short_name_of(o.name))
    search_text = factory.LazyAttribute(lambda o: search_text_of(o.name))


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    display_name = factory.Faker("name", locale="zh_CN")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            self.save()


def unit(code: str, name: str, level: str, parent: OrgUnit | None) -> OrgUnit:
    digits = {Level.CITY: 4, Level.COUNTY: 6, Level.TOWNSHIP: 9, Level.VILLAGE: 12}[Level(level)]
    return OrgUnitFactory(
        code=code,
        name=name,
        level=level,
        parent=parent,
        scope_prefix=code[:digits],
        depth=(parent.depth + 1) if parent else 0,
    )


def person_of(username: str, role: str, at: OrgUnit, **extra: Any) -> User:
    user = UserFactory(username=username, **extra)
    Membership.objects.get_or_create(user=user, unit=at, role=role)
    return user


@dataclass
class Tree:
    city: OrgUnit
    tianyuan: OrgUnit
    liyu: OrgUnit
    yuetang: OrgUnit
    liyujuwei: OrgUnit
    hetang: OrgUnit
    yuetang_street: OrgUnit
    wenhualu: OrgUnit


def build_tree() -> Tree:
    city = unit("430200000000", "株洲市", Level.CITY, None)
    tianyuan = unit("430211000000", "天元区", Level.COUNTY, city)
    liyu = unit("430211003000", "栗雨街道", Level.TOWNSHIP, tianyuan)
    yuetang = unit("430211003016", "月塘居委会", Level.VILLAGE, liyu)
    liyujuwei = unit("430211003002", "栗雨居委会", Level.VILLAGE, liyu)
    hetang = unit("430202000000", "荷塘区", Level.COUNTY, city)
    yuetang_street = unit("430202001000", "月塘街道", Level.TOWNSHIP, hetang)
    wenhualu = unit("430202001001", "文化路社区居委会", Level.VILLAGE, yuetang_street)
    return Tree(city, tianyuan, liyu, yuetang, liyujuwei, hetang, yuetang_street, wenhualu)


@dataclass
class Personas:
    commander: User  # 株洲市 command
    county_officer: User  # 天元区
    township_officer: User  # 栗雨街道
    village_worker: User  # 月塘居委会
    neighbour_worker: User  # 栗雨居委会, the neighbouring village
    outsider: User  # 荷塘区 文化路社区, another county
    auditor: User  # 株洲市


def build_personas(tree: Tree) -> Personas:
    return Personas(
        commander=person_of("commander", Role.CITY_COMMAND, tree.city),
        county_officer=person_of("county", Role.COUNTY_COMMAND, tree.tianyuan),
        township_officer=person_of("township", Role.TOWNSHIP_OFFICER, tree.liyu),
        village_worker=person_of("worker", Role.VILLAGE_WORKER, tree.yuetang, mobile="13800000001"),
        neighbour_worker=person_of("neighbour", Role.VILLAGE_WORKER, tree.liyujuwei),
        outsider=person_of("outsider", Role.VILLAGE_WORKER, tree.wenhualu),
        auditor=person_of("auditor", Role.AUDITOR, tree.city),
    )
