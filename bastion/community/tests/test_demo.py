import random
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from bastion.community.demo import demo_community
from bastion.community.models import DisinfectionRun, Gathering, GatheringOutcome, Site
from bastion.community.selectors import site_statuses
from bastion.orgs.services import divisions_load
from bastion.testing import person_of

NOW = datetime.combine(date(2020, 1, 30), time(15), tzinfo=ZoneInfo("Asia/Shanghai"))


def seeded():
    return random.Random(2020)  # noqa: S311 - deterministic demo data, not secrets


def fingerprint():
    return (
        list(Site.objects.order_by("name").values_list("name", "kind", "times")),
        list(
            DisinfectionRun.objects.order_by("done_at", "site__name").values_list(
                "site__name", "done_at", "operator", "client_uuid"
            )
        ),
        list(
            Gathering.objects.order_by("client_uuid").values_list(
                "unit_code", "host_name", "kind", "planned_date", "outcome", "client_uuid"
            )
        ),
    )


@pytest.mark.django_db
def test_demo_is_deterministic_and_tells_the_articles_stories():
    # given
    divisions_load()
    # when
    counts = demo_community(seeded(), now=NOW)
    first = fingerprint()
    # then: 丫江桥镇 persuaded 143 banquets to be postponed or cancelled
    persuaded = Gathering.objects.filter(
        unit_code__startswith="430223120",
        outcome__in=[GatheringOutcome.POSTPONED, GatheringOutcome.CANCELLED],
    )
    assert persuaded.count() == 143
    # and 月塘's secretary postponed two weddings and cancelled a birthday banquet
    assert list(
        Gathering.objects.filter(unit_code="430211003016", persuaded_by="龙建忠")
        .order_by("outcome", "kind")
        .values_list("kind", "outcome")
    ) == [("birthday", "cancelled"), ("wedding", "postponed"), ("wedding", "postponed")]
    assert counts["sites"] == Site.objects.count() > 30
    assert counts["runs"] > 500
    # and some sites are overdue at 15:00, some are not
    liyu = Site.objects.get(name="栗雨垃圾中转站").unit
    officer = person_of("liyu-officer", "township_officer", liyu)
    statuses = site_statuses(user=officer, now=NOW)
    assert 0 < sum(s.overdue for s in statuses) < len(statuses)
    # and a second run changes nothing
    assert demo_community(seeded(), now=NOW) == {}
    # when: rebuilt from the same seed
    Gathering.objects.all().delete()
    DisinfectionRun.objects.all().delete()
    Site.objects.all().delete()
    demo_community(seeded(), now=NOW)
    # then
    assert fingerprint() == first
