from datetime import date

from django.core.management import call_command

from bastion.observation.models import Alert, Notification
from bastion.observation.tasks import alerts_escalate_task
from bastion.observation.tests.conftest import at


def test_the_command_runs_the_clock_at_a_given_instant(observation, capsys):
    # when
    call_command("alerts_escalate", "--now", "2020-01-27T23:00")
    call_command("alerts_escalate", "--now", "2020-01-27T23:00")
    call_command("alerts_escalate", "--now", "2020-01-28T01:00")
    # then: six missed slots, one message to the grid worker; two hours later, nobody having
    # acknowledged, each goes to the township officer
    out = capsys.readouterr().out.splitlines()
    assert out == [
        "missed=6 township=0 county=0 sent=1",
        "missed=0 township=0 county=0 sent=0",
        "missed=0 township=6 county=0 sent=6",
    ]
    assert Alert.objects.filter(day=date(2020, 1, 27)).count() == 2


def test_the_task_escalates_and_delivers(observation, check):
    check(observation, "38.1", at(date(2020, 1, 27), "08:00"))
    result = alerts_escalate_task.call()
    assert result["to_county"] >= 1
    assert not Notification.objects.filter(status="pending").exists()
