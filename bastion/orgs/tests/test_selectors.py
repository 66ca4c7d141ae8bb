import pytest

from bastion.accounts.models import Membership
from bastion.accounts.roles import Role
from bastion.orgs.selectors import unit_breadcrumbs, unit_search
from bastion.orgs.services import divisions_load
from bastion.testing import UserFactory


@pytest.fixture
def city_user(db):
    divisions_load()
    from bastion.orgs.models import OrgUnit

    user = UserFactory(username="citywide")
    Membership.objects.create(
        user=user, unit=OrgUnit.objects.get(code="430200000000"), role=Role.CITY_COMMAND
    )
    return user


def names(units):
    return [u.name for u in units]


def test_finds_the_article_spelling_of_a_street(city_user):
    # 董家塅 in the Zhuzhou Daily is 董家段 in the NBS list
    assert names(unit_search(user=city_user, q="董家塅街道")) == ["董家段街道"]
    assert names(unit_search(user=city_user, q="董家塅")) == ["董家段街道"]


def test_finds_by_pinyin_initials_and_code(city_user):
    assert "栗雨街道" in names(unit_search(user=city_user, q="lyjd"))
    assert names(unit_search(user=city_user, q="430224106208")) == ["星锋村"]
    assert "月塘居委会" in names(unit_search(user=city_user, q="月塘社区"))


def test_search_is_scoped(tree, personas):
    assert names(unit_search(user=personas.village_worker, q="栗雨")) == []
    assert names(unit_search(user=personas.township_officer, q="栗雨")) == [
        "栗雨街道",
        "栗雨居委会",
    ]


def test_breadcrumbs_show_only_what_the_user_may_open(tree, personas):
    assert names(unit_breadcrumbs(user=personas.commander, unit=tree.yuetang)) == [
        "株洲市",
        "天元区",
        "栗雨街道",
    ]
    assert names(unit_breadcrumbs(user=personas.township_officer, unit=tree.yuetang)) == [
        "栗雨街道"
    ]
