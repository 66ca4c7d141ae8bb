import http.server
import threading
import uuid
from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client, override_settings

from bastion.benchmarks.checkin_load import HOST, _drive
from bastion.observation.models import CheckIn, Observation


def test_bench_prints_every_figure_beside_its_floor(zhuzhou: None) -> None:
    # when the whole suite runs at a tiny size (the check-in load needs a committed
    # database for its server: it has its own test below)
    out = StringIO()
    call_command(
        "bench",
        "--tier=S",
        "--scale=0.002",
        "--only=lookups,report,pages,export,import",
        "--pages=2",
        "--repeats=3",
        stdout=out,
        stderr=StringIO(),
    )

    # then the table has a row per figure, with a ratio, or says why it is not available
    text = out.getvalue()
    assert "| figure | measured | floor | ratio | goal | notes |" in text
    for figure in (
        "dataset build, tier S×0.002",
        "lookup: person by ID number",
        "lookup: passages by plate",
        "situation report",
        "pages as commander",
        "export passengers",
        "import of the tier sheet",
    ):
        assert f"| {figure}" in text, figure
    assert "failed:" not in text


def test_bench_refuses_an_unknown_figure(zhuzhou: None) -> None:
    with pytest.raises(CommandError, match="未知的项目：speed"):
        call_command("bench", "--tier=S", "--scale=0.002", "--only=speed", stdout=StringIO())


@override_settings(ROOT_URLCONF="bastion.benchmarks.urls")
def test_floor_view_inserts_one_checkin(zhuzhou: None) -> None:
    # given
    call_command("bench_data", "--tier=S", "--scale=0.001", stdout=StringIO())
    observation = Observation.objects.filter(status="active").first()
    assert observation is not None
    before = CheckIn.objects.count()

    # when
    response = Client().post(
        "/bench/floor/checkin/",
        {
            "observation_id": observation.pk,
            "unit_code": observation.unit_code,
            "client_uuid": str(uuid.uuid4()),
        },
        content_type="application/json",
    )

    # then
    assert response.status_code == 201
    assert CheckIn.objects.count() == before + 1


@pytest.fixture
def server() -> Iterator[int]:
    """A loopback server answering 201 to every POST, 1 in 10 with 500."""

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        hits = 0

        def do_POST(self) -> None:
            self.rfile.read(int(self.headers["Content-Length"]))
            Handler.hits += 1
            self.send_response(500 if Handler.hits % 10 == 0 else 201)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"{}")

        def log_message(self, *args: Any) -> None:
            pass

    class Server(http.server.ThreadingHTTPServer):
        request_queue_size = 64  # the generator opens 32 connections at once

    httpd = Server((HOST, 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield int(httpd.server_address[1])
    httpd.shutdown()


def test_load_generator_counts_requests_and_errors(server: int) -> None:
    # when
    load = _drive(server, lambda n, k: ("/x", b"{}", {"Content-Type": "application/json"}), 1.0)

    # then
    assert load.requests == len(load.latencies) > 10
    assert load.statuses[201] + load.statuses[500] + load.failures == load.requests
    assert load.errors == load.statuses[500] + load.failures
    assert load.statuses[500] > 0
    assert load.throughput > 0


def test_the_checkin_figure_takes_back_what_its_load_wrote(zhuzhou: None) -> None:
    from bastion.accounts.models import User
    from bastion.accounts.services import token_create
    from bastion.benchmarks.checkin_cpu import checkin_request
    from bastion.benchmarks.checkin_load import CHECKIN_WRITES, _targets, checkin_writes_undo
    from bastion.benchmarks.dataset import BENCH_USER
    from bastion.benchmarks.marks import high_water
    from bastion.observation.models import Alert

    # given a dataset, and what the figure notes before its load
    call_command("bench_data", "--tier=S", "--scale=0.001", stdout=StringIO())
    targets = _targets(3)
    marks = high_water(CHECKIN_WRITES)
    observed = Observation.objects.filter(pk__in=[pk for pk, _code in targets])
    last = dict(observed.values_list("pk", "last_checkin_at"))
    before = {model: model.objects.count() for model in CHECKIN_WRITES}

    # when the load's requests are sent (one with a fever: an alert), then taken back
    _token, raw = token_create(user=User.objects.get(username=BENCH_USER), name="t")
    client = Client()
    for k in range(6):
        path, body, headers = checkin_request(targets, raw, k, fever=k == 4)
        response = client.post(
            path,
            body,
            content_type="application/json",
            headers=headers,
        )
        assert response.status_code == 201, response.content
    assert CheckIn.objects.count() == before[CheckIn] + 6
    assert Alert.objects.count() > before[Alert]
    deleted = checkin_writes_undo(marks, last)

    # then the tables hold what they held, and the observations' last check-in is back
    assert deleted >= 6 + 6 + 1  # check-ins, their answers, the alert
    assert {model: model.objects.count() for model in CHECKIN_WRITES} == before
    assert dict(observed.values_list("pk", "last_checkin_at")) == last
