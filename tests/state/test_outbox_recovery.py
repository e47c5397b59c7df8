"""Nothing lost: the outbox relay recovers (issue 4).

Real workers (solo pool, embedded beat sweeping every half second) run as subprocesses
against the committed test database: one is killed with SIGKILL in the middle of a task,
the broker (an own ``redis-server``) is stopped for a while, and tasks arrive with no or
the wrong KI. Each case ends with ``kinrw state verify`` reporting 0 drift.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from decimal import Decimal
from pathlib import Path

import pytest
import redis
from click.testing import CliRunner

from kinrw.catalogue.models import Programme
from kinrw.cli.state import state
from kinrw.conf.celery import app
from kinrw.state.facts import Fact
from kinrw.state.tasks import outbox_process
from kinrw.tenancy.context import in_tenant
from kinrw.tenancy.models import Tenant
from kinrw.workspace.models import Measure, Outbox
from kinrw.workspace.services import enrolment_create, measure_create, session_record
from tests.kit import Kit
from tests.state import test_outbox_worker
from tests.state.test_outbox_worker import CELERY, _wait_for

pytestmark = pytest.mark.slow

fresh_ki = test_outbox_worker.fresh_ki  # the fixture: a KI onboarded for the test

BROKER = "redis://127.0.0.1:6379/6"
YEAR = 2026
STARTUP = 60.0  # seconds: two cores shared with other work


@pytest.fixture
def broker() -> Iterator[str]:
    client = redis.Redis.from_url(BROKER)
    client.ping()  # Redis must run (`.ci/run` starts it)
    client.flushdb()
    yield BROKER
    client.flushdb()


@contextmanager
def running_worker(
    env: dict[str, str], tmp_path: Path, name: str, *, beat: bool = True
) -> Iterator[tuple[subprocess.Popen[bytes], Path]]:
    """A worker in its own process group (with beat as a child), stopped afterwards."""
    log = tmp_path / f"{name}.log"
    process = subprocess.Popen(
        [
            *(CELERY, "-A", "kinrw.conf.celery", "worker", "--pool=solo", "-Q", "kinrw"),
            *(("-B", "-s", str(tmp_path / f"{name}-beat")) if beat else ()),
            *("--logfile", str(log), "-l", "INFO", "-n", f"{name}@%h"),
            *("--without-mingle", "--without-gossip", "--without-heartbeat"),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        _wait_for(lambda: log.exists() and "ready." in log.read_text(), "Worker bereit", STARTUP)
        yield process, log
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        with suppress(ProcessLookupError):  # nothing of the group (the beat) outlives the test
            os.killpg(process.pid, signal.SIGKILL)


def _measure(tenant: Tenant) -> Measure:
    with in_tenant(tenant):
        griffbereit = Programme.objects.get(code="griffbereit")
        enrolment_create(actor=None, programme=griffbereit, year=YEAR)
        return measure_create(
            actor=None, title="Eltern-Café", programme=griffbereit, starts_on=dt.date(YEAR, 1, 1)
        )


def _record(tenant: Tenant, measure: Measure, day: dt.date, children: int) -> None:
    with in_tenant(tenant):
        session_record(
            actor=None, measure=measure, date=day, counts={"children": {"total": children}}
        )


def _children(tenant: Tenant) -> dict[dt.date, Decimal]:
    """The KI's monthly totals of children in the facts (read fresh each time)."""
    facts = Fact.objects.filter(tenant=tenant, indicator__code="children", breakdown="")
    return dict(facts.values_list("period", "value"))


def _outbox_done(tenant: Tenant) -> bool:
    with in_tenant(tenant):
        return not Outbox.objects.filter(done_at__isnull=True).exists()


def _assert_no_drift(tenant: Tenant | None = None) -> None:
    only = ["--tenant", tenant.slug] if tenant else []
    result = CliRunner().invoke(state, ["verify", *only, "--years", str(YEAR)])
    assert result.exit_code == 0, result.output
    assert "0 Abweichungen" in result.output


def _worker_env(cli_env: dict[str, str], broker_url: str, **extra: str) -> dict[str, str]:
    return {
        **cli_env,
        "CELERY_BROKER_URL": broker_url,
        "KINRW_OUTBOX_SWEEP_SECONDS": "0.5",
        **extra,
    }


def test_a_worker_killed_in_the_middle_of_a_task_loses_nothing(
    committed: Kit, fresh_ki: Tenant, cli_env: dict[str, str], broker: str, tmp_path: Path
) -> None:
    measure = _measure(fresh_ki)
    stalled = _worker_env(cli_env, broker, KINRW_FAULT="outbox-process")
    with running_worker(stalled, tmp_path, "stalled") as (process, log):
        _record(fresh_ki, measure, dt.date(YEAR, 3, 3), 7)
        _wait_for(lambda: "KINRW_FAULT outbox-process" in log.read_text(), "Aufgabe läuft", 30)
        os.killpg(process.pid, signal.SIGKILL)  # worker and beat, like a crashed machine
        process.wait()
    with in_tenant(fresh_ki):
        rows = list(Outbox.objects.values_list("sent_at", "done_at"))
    assert rows and all(sent and not done for sent, done in rows)  # sent, never done
    assert not _children(fresh_ki)

    # a new worker (without the stall); its sweeper sends the rows again after 1 s
    fresh = _worker_env(cli_env, broker, KINRW_OUTBOX_RESEND_SECONDS="1")
    with running_worker(fresh, tmp_path, "fresh"):
        _wait_for(lambda: _children(fresh_ki) == {dt.date(YEAR, 3, 1): 7}, "Fakten da", 60)
        _wait_for(lambda: _outbox_done(fresh_ki), "Ausgang erledigt", 30)
    _assert_no_drift(fresh_ki)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start_redis(port: int, folder: Path) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(
        [
            *("redis-server", "--port", str(port), "--bind", "127.0.0.1"),
            *("--save", "", "--appendonly", "no", "--dir", str(folder)),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    client = redis.Redis(port=port)

    def up() -> bool:
        try:
            return bool(client.ping())
        except redis.ConnectionError:
            return False

    _wait_for(up, "eigener Redis bereit", 20)
    return server


def _stop(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is None:
        server.terminate()
        server.wait(timeout=20)


def test_a_broker_stopped_for_a_while_loses_nothing(
    committed: Kit, fresh_ki: Tenant, cli_env: dict[str, str], tmp_path: Path
) -> None:
    port = _free_port()
    env = _worker_env(cli_env, f"redis://127.0.0.1:{port}/0", KINRW_OUTBOX_RESEND_SECONDS="2")
    measure = _measure(fresh_ki)
    server = _start_redis(port, tmp_path)
    try:
        with running_worker(env, tmp_path, "worker") as (process, _):
            _record(fresh_ki, measure, dt.date(YEAR, 3, 3), 7)
            _wait_for(lambda: _children(fresh_ki) == {dt.date(YEAR, 3, 1): 7}, "März da", 60)
            _stop(server)
            _record(fresh_ki, measure, dt.date(YEAR, 4, 4), 5)  # saved while the broker is away
            time.sleep(4)
            assert _children(fresh_ki) == {dt.date(YEAR, 3, 1): 7}
            assert not _outbox_done(fresh_ki)  # waits in PostgreSQL
            server = _start_redis(port, tmp_path)  # empty: whatever was queued is gone
            want = {dt.date(YEAR, 3, 1): 7, dt.date(YEAR, 4, 1): 5}
            _wait_for(lambda: _children(fresh_ki) == want, "April nach Neustart", 90)
            _wait_for(lambda: _outbox_done(fresh_ki), "Ausgang erledigt", 30)
            assert process.poll() is None  # the worker rode it out
    finally:
        _stop(server)
    _assert_no_drift(fresh_ki)


SUCCEEDED = re.compile(r"state\.outbox_process\[[^\]]+\] succeeded in [\d.]+s: 0")


def test_a_task_with_no_or_the_wrong_ki_changes_nothing_and_the_sweeper_recovers(
    committed: Kit, fresh_ki: Tenant, cli_env: dict[str, str], broker: str, tmp_path: Path
) -> None:
    measure = _measure(fresh_ki)
    _record(fresh_ki, measure, dt.date(YEAR, 5, 5), 3)
    with in_tenant(fresh_ki):
        ids = list(Outbox.objects.values_list("pk", flat=True))
    assert ids
    env = _worker_env(cli_env, broker)
    with running_worker(env, tmp_path, "nobeat", beat=False) as (_, log):
        # an explicit connection: this process's default producer pool may name another broker
        with app.connection_for_write(broker) as connection:
            outbox_process.apply_async(args=[ids], connection=connection)  # public: no KI
            outbox_process.apply_async(  # KI B's schema with KI A's ids
                args=[ids],
                headers={"_schema_name": committed.b.tenant.schema_name},
                connection=connection,
            )
        _wait_for(lambda: "NoTenantError" in log.read_text(), "ohne KI abgelehnt", 30)
        _wait_for(lambda: bool(SUCCEEDED.search(log.read_text())), "falsches KI: nichts", 30)
    with in_tenant(fresh_ki):  # A's rows untouched: neither sent nor done
        assert set(Outbox.objects.values_list("sent_at", "done_at")) == {(None, None)}
    assert not _children(fresh_ki)
    assert not Fact.objects.filter(tenant__in=[fresh_ki, committed.b.tenant]).exists()

    with running_worker(env, tmp_path, "sweeper"):
        _wait_for(lambda: _children(fresh_ki) == {dt.date(YEAR, 5, 1): 3}, "Fakten da", 60)
        _wait_for(lambda: _outbox_done(fresh_ki), "Ausgang erledigt", 30)
    assert not Fact.objects.filter(tenant=committed.b.tenant).exists()
    _assert_no_drift()  # every KI
