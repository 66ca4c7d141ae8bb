import pytest
from django.core.management import call_command
from django.test import Client

from bastion.accounts.models import User
from bastion.core.validators import parse_citizen_id
from bastion.orgs.models import OrgUnit
from bastion.people.models import Person


@pytest.mark.django_db(transaction=True)
def test_demo_builds_once_and_every_persona_sees_only_its_jurisdiction(capsys):
    # when
    call_command("demo", "--no-serve")
    counts = (OrgUnit.objects.count(), Person.objects.count(), User.objects.count())
    call_command("demo", "--no-serve")
    # then: the second run reuses what exists
    assert (OrgUnit.objects.count(), Person.objects.count(), User.objects.count()) == counts
    out = capsys.readouterr().out
    assert "http://127.0.0.1:8000" in out and "liyujuwei" in out and "demo2020!" in out
    assert Person.objects.count() > 3000
    # every synthetic ID number is valid and matches the person's sex and birth date
    for p in Person.objects.all()[:500]:
        parsed = parse_citizen_id(p.id_number)
        assert (parsed.sex, parsed.birth_date) == (p.sex, p.birth_date)
    # the article's places have people
    for code in ["430224106208", "430211003016", "430212111203", "430204005001"]:
        assert Person.objects.filter(unit_code__startswith=code).exists()
    # each persona logs in and sees its own unit, not its neighbour's
    client = Client()
    assert (
        client.post(
            "/accounts/login/", {"username": "yuetang", "password": "demo2020!"}
        ).status_code
        == 302
    )
    assert client.get("/units/430211003016/").status_code == 200
    assert client.get("/units/430211003002/").status_code == 404
    city = Client()
    assert (
        city.post("/accounts/login/", {"username": "city", "password": "demo2020!"}).status_code
        == 302
    )
    assert city.get("/units/430224106208/").status_code == 200
