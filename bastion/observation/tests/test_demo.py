import random
from datetime import date

from bastion.accounts.roles import Role
from bastion.observation.demo import HUASHI, demo_observation
from bastion.observation.models import Alert, Case, CheckIn, Observation
from bastion.orgs.models import Level
from bastion.people.services import person_create
from bastion.testing import person_of, unit


def test_demo_builds_observations_with_a_fever_missed_check_ins_and_a_case(tree, personas):
    # given: a few people in 月塘, 栗雨 and 花石村, and the demo's accounts
    lukou = unit("430212000000", "渌口区", Level.COUNTY, tree.city)
    longchuan = unit("430212111000", "龙船镇", Level.TOWNSHIP, lukou)
    huashi = unit(HUASHI, "花石村村委会", Level.VILLAGE, longchuan)
    person_of("yuetang", Role.VILLAGE_WORKER, tree.yuetang)
    person_of("liyujuwei", Role.VILLAGE_WORKER, tree.liyujuwei)
    person_of("city", Role.CITY_COMMAND, tree.city)
    for village, n in ((tree.yuetang, 10), (tree.liyujuwei, 3), (huashi, 2)):
        for i in range(n):
            person_create(
                actor=personas.commander,
                unit=village,
                name=f"返乡{i}",
                birth_date=date(1980, 1, 1),
                address=f"{village.name}{i}号",
            )
    # when
    counts = demo_observation(random.Random(2020))  # noqa: S311 - seeded demo data
    # then
    assert counts["observations"] == Observation.objects.count() == 11
    assert CheckIn.objects.count() == counts["checkins"] + 2  # and the fever, the case
    assert counts["checkins"] > 50
    assert Alert.objects.filter(kind="fever", status="open").count() == 1
    assert Alert.objects.filter(kind="missed").count() == counts["missed"] > 0
    case = Case.objects.get()
    assert case.status == "admitted" and all(case.latencies().values())
