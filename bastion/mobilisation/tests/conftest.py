"""Fixtures of the mobilisation tests: persons in 月塘 and 栗雨, members, a call, a clock."""

import json
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from bastion.accounts.services import token_create
from bastion.mobilisation.services import call_create, member_create
from bastion.people.services import person_create

ZHUZHOU = ZoneInfo("Asia/Shanghai")
TODAY = date(2020, 1, 30)
NOW = datetime.combine(TODAY, time(15, 0), tzinfo=ZHUZHOU)


@pytest.fixture
def person_in(personas):
    counter = iter(range(1, 1000))

    def make(unit, name="张三"):
        n = next(counter)
        return person_create(
            actor=personas.commander, unit=unit, name=name, mobile=f"1380000{n:04d}"
        )

    return make


@pytest.fixture
def member_in(personas, person_in):
    """`member_in(unit, party=False, name=...)`: a member registered by the commander."""

    def make(unit, party=False, name="张三", **fields):
        return member_create(
            actor=personas.commander,
            unit=unit,
            person=person_in(unit, name),
            is_party_member=party,
            party_since_year=2005 if party else None,
            now=NOW,
            **fields,
        )

    return make


@pytest.fixture
def village_call(tree, personas):
    return call_create(
        actor=personas.township_officer,
        unit=tree.yuetang,
        title="疫情防控监测工作人员",
        people_needed=20,
        place="月塘入口",
        now=NOW,
    )


@pytest.fixture
def api_of():
    class Api:
        def __init__(self, user):
            _token, raw = token_create(user=user, name="test")
            self.client = Client(headers={"Authorization": f"Bearer {raw}"})

        def get(self, path, **params):
            return self.client.get("/api/v1" + path, params)

        def post(self, path, body, **headers):
            return self.client.post(
                "/api/v1" + path, json.dumps(body), "application/json", headers=headers
            )

    return Api
