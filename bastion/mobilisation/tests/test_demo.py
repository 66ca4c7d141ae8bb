import random

from bastion.mobilisation.demo import demo_mobilisation
from bastion.mobilisation.models import Application, Call, Member, Team
from bastion.orgs.models import Kind, Level, OrgUnit
from bastion.orgs.services import unit_create
from bastion.testing import unit


def test_it_builds_the_call_and_the_hubei_team(tree, personas):
    # given
    county = unit("430225000000", "炎陵县", Level.COUNTY, tree.city)
    township = unit("430225209000", "中村瑶族乡", Level.TOWNSHIP, county)
    unit("430225209201", "中村村", Level.VILLAGE, township)
    hospital = unit_create(parent=tree.city, name="市中心医院", kind=Kind.HOSPITAL)
    branch = unit_create(
        parent=hospital,
        name="赴湖北医疗支援临时党支部",
        kind=Kind.PARTY_BRANCH,
        party_kind="temporary_branch",
    )
    # when
    counts = demo_mobilisation(random.Random(7))  # noqa: S311 - deterministic demo data
    # then
    call = Call.objects.get(unit=township)
    assert call.applications.count() >= 70
    assert call.applications.filter(status="selected").count() == 20
    team = Team.objects.get()
    assert team.party_branch == branch
    assert OrgUnit.objects.filter(name="赴湖北医疗支援临时党支部").count() == 1
    assert team.members.count() == 15
    assert team.members.filter(is_party_member=True).count() == 6
    assert Application.objects.filter(team=team, applies_to_join_party=True).count() == 9
    assert Member.objects.filter(unit_code__startswith="430211003").count() == counts["members"]
    assert counts["members"] > 0
