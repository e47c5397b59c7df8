"""The outbox relay with a real Celery worker and beat (issue 4, part 2).

A worker (solo pool, embedded beat sweeping every half second) runs as a
subprocess against the committed test database and Redis database 5. The KI is
onboarded from the template for this test, so its triggers come from the clone,
and everything it leaves (schema, facts) goes with it.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import redis
from django.db.models import QuerySet

from kinrw.catalogue.models import Programme
from kinrw.conf.celery import app
from kinrw.state.facts import Fact
from kinrw.state.recompute import compute, months_of
from kinrw.state.tasks import NoTenantError, outbox_process
from kinrw.tenancy import onboarding, registry
from kinrw.tenancy.context import in_tenant
from kinrw.tenancy.models import Tenant
from kinrw.workspace.models import Outbox
from kinrw.workspace.services import (
    enrolment_create,
    measure_create,
    session_delete,
    session_record,
)
from tests.kit import KIT_SLUGS, Kit

pytestmark = pytest.mark.slow

BROKER = "redis://127.0.0.1:6379/5"
YEAR = 2026
CELERY = str(Path(sys.executable).parent / "celery")


def _wait_for(check: Callable[[], bool], what: str, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, f"nach {seconds} s nicht erreicht: {what}"
        time.sleep(0.2)


@pytest.fixture
def broker() -> Iterator[None]:
    client = redis.Redis.from_url(BROKER)
    client.ping()  # Redis must run (`.ci/run` starts it)
    client.flushdb()
    # this process sends to the same broker; kombu keeps its pools per process, so the
    # setting stays (no other test sends tasks)
    app.conf.broker_url = BROKER
    yield
    client.flushdb()


@pytest.fixture
def worker(committed: Kit, cli_env: dict[str, str], broker: None, tmp_path: Path) -> Iterator[Path]:
    log = tmp_path / "worker.log"
    env = {**cli_env, "CELERY_BROKER_URL": BROKER, "KINRW_OUTBOX_SWEEP_SECONDS": "0.5"}
    process = subprocess.Popen(
        [
            *(CELERY, "-A", "kinrw.conf.celery", "worker", "-B", "--pool=solo", "-Q", "kinrw"),
            *("-s", str(tmp_path / "beat"), "--logfile", str(log), "-l", "INFO"),
            *("--without-mingle", "--without-gossip", "--without-heartbeat"),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    try:
        _wait_for(lambda: log.exists() and "ready." in log.read_text(), "Worker bereit")
        yield log
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture
def fresh_ki(committed: Kit) -> Tenant:
    taken = set(Tenant.objects.values_list("slug", flat=True)) | set(KIT_SLUGS)
    entry = next(e for e in registry.load() if e.slug not in taken)
    return onboarding.tenant_create(entry=entry).tenant


def test_a_saved_session_reaches_the_facts_and_its_deletion_removes_them(
    committed: Kit, fresh_ki: Tenant, worker: Path
) -> None:
    with in_tenant(fresh_ki):
        griffbereit = Programme.objects.get(code="griffbereit")
        enrolment_create(actor=None, programme=griffbereit, year=YEAR)
        measure = measure_create(
            actor=None, title="Eltern-Café", programme=griffbereit, starts_on=dt.date(YEAR, 1, 1)
        )
        session = session_record(
            actor=None,
            measure=measure,
            date=dt.date(YEAR, 3, 3),
            counts={"children": {"total": 7}, "families": {"total": 4}},
        )

    def facts() -> QuerySet[Fact]:  # fresh each time: a queryset caches its rows
        return Fact.objects.filter(tenant=fresh_ki)

    _wait_for(lambda: facts().count() == 2, "Fakten der KI angelegt")
    assert {(f.indicator.code, f.period, f.value) for f in facts().select_related("indicator")} == {
        ("children", dt.date(YEAR, 3, 1), 7),
        ("families", dt.date(YEAR, 3, 1), 4),
    }
    assert compute(fresh_ki, months_of(YEAR))[1] == {
        (f.indicator_id, f.period, f.breakdown, f.value_code): f.value for f in facts()
    }
    with in_tenant(fresh_ki):
        _wait_for(
            lambda: not Outbox.objects.filter(done_at__isnull=True).exists(), "Ausgang erledigt"
        )
        session_delete(actor=None, session=session)
    _wait_for(lambda: not facts().exists(), "Fakten der KI entfernt")
    # the other KIs' facts are untouched: the kit records nothing
    assert not Fact.objects.filter(tenant__slug__in=KIT_SLUGS).exists()


def test_a_task_without_a_ki_refuses_to_run(committed: Kit, worker: Path) -> None:
    # sent from the public schema: the header names no KI
    outbox_process.apply_async(args=[[1, 2]])
    _wait_for(lambda: "NoTenantError" in worker.read_text(), "Aufgabe ohne KI abgelehnt")
    with pytest.raises(NoTenantError):
        outbox_process.apply(args=[[1]]).get()  # and the same in this process
