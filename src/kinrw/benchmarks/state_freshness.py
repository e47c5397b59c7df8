"""Freshness: from a commit in a workspace to its fact in the Land's table.

One Celery worker (one process, prefork concurrency 1) with embedded beat runs
as a subprocess, as in production: the beat process's relay hands outbox rows
to the worker right after their commit, the sweep is the fallback. Meanwhile
every KI has a writer thread of its own; in each round all writers wait at a
barrier and then each commits one session with counts through the workspace
service (``session_record``), all at once. A commit is *fresh* once the KI's
fact of that indicator and month carries a source generation at least the one
the commit produced (the generation is raised by the triggers in the same
transaction). A poller reads the facts every :data:`POLL_SECONDS`.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import close_old_connections, connection, transaction
from django.utils import timezone

from kinrw.benchmarks.workspace_measure import percentile
from kinrw.state.recompute import active_tenants, verify
from kinrw.tenancy.context import in_public, in_tenant
from kinrw.tenancy.models import Tenant
from kinrw.workspace import figures
from kinrw.workspace.models import Measure, Outbox
from kinrw.workspace.services import session_record

GOAL_S = 5.0  # "freshness p95 ≤ 5 s from a commit in a workspace to its fact"
POLL_SECONDS = 0.02
DRAIN_SECONDS = 120.0  # after the last round: how long to wait for the last facts


@dataclass
class Target:
    """Where a KI writes: a running measure of this year and a person count of it."""

    tenant: Tenant
    measure: Measure
    indicator_id: int
    indicator_code: str
    days: list[dt.date]


@dataclass
class Commit:
    tenant_id: int
    indicator_id: int
    period: dt.date
    generation: int
    committed: float  # time.monotonic() right after the commit
    seen: float | None = None


def targets(today: dt.date, tenants: list[Tenant]) -> list[Target]:
    """One target per KI (a measure of this year with an active person-count indicator)."""
    found = []
    for tenant in tenants:
        with in_tenant(tenant):
            for measure in (
                Measure.objects.filter(is_deleted=False, starts_on__year=today.year)
                .select_related("programme")
                .order_by("pk")
            ):
                indicator = (
                    measure.programme.indicators.filter(is_active=True, counts_persons=True)
                    .order_by("sort_order", "code")
                    .first()
                )
                last = min(measure.ends_on or today, today)
                span = (last - measure.starts_on).days
                if indicator is None or span < 0:
                    continue
                days = [measure.starts_on + dt.timedelta(days=n) for n in range(span + 1)]
                found.append(Target(tenant, measure, indicator.pk, indicator.code, days))
                break
    return found


def start_worker(workdir: Path, env: dict[str, str]) -> subprocess.Popen[bytes]:
    """``celery worker -B`` with one process; returns once it is ready."""
    log = workdir / "worker.log"
    celery = str(Path(sys.executable).parent / "celery")
    process = subprocess.Popen(
        [
            *(celery, "-A", "kinrw.conf.celery", "worker", "-B", "--concurrency=1"),
            *("-Q", "kinrw", "-s", str(workdir / "beat"), "--logfile", str(log), "-l", "INFO"),
            *("--without-mingle", "--without-gossip"),
        ],
        env={**env, "KINRW_LOG_LEVEL": "INFO"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while not (log.exists() and "ready." in log.read_text()):
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise RuntimeError(f"Celery-Worker startet nicht:\n{_tail(log)}")
        time.sleep(0.2)
    return process


def stop_worker(process: subprocess.Popen[bytes]) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _tail(log: Path) -> str:
    return "\n".join(log.read_text().splitlines()[-30:]) if log.exists() else "(kein Log)"


def _purge() -> None:
    from kinrw.conf.celery import app

    app.control.purge()


class Poller(threading.Thread):
    """Marks commits as seen once their fact carries the commit's generation."""

    def __init__(self, commits: list[Commit], lock: threading.Lock) -> None:
        super().__init__(name="freshness-poller", daemon=True)
        self.commits, self.lock, self.stop = commits, lock, threading.Event()

    def run(self) -> None:
        try:
            while not self.stop.is_set():
                self.poll()
                time.sleep(POLL_SECONDS)
        finally:
            connection.close()

    def poll(self) -> None:
        with self.lock:
            open_ = [c for c in self.commits if c.seen is None]
        if not open_:
            return
        keys = {(c.tenant_id, c.indicator_id, c.period) for c in open_}
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT f.tenant_id, f.indicator_id, f.period, f.source_generation "
                "FROM public.state_fact f JOIN unnest(%s::bigint[], %s::bigint[], %s::date[]) "
                "AS k(t, i, p) ON f.tenant_id = k.t AND f.indicator_id = k.i AND f.period = k.p "
                "WHERE f.breakdown = ''",
                [[k[0] for k in keys], [k[1] for k in keys], [k[2] for k in keys]],
            )
            generations = {(t, i, p): g for t, i, p, g in cursor.fetchall()}
        now = time.monotonic()
        with self.lock:
            for c in open_:
                if generations.get((c.tenant_id, c.indicator_id, c.period), -1) >= c.generation:
                    c.seen = now


def _writer(
    target: Target,
    rounds: int,
    pause: float,
    barrier: threading.Barrier,
    commits: list[Commit],
    lock: threading.Lock,
    errors: list[str],
) -> None:
    rng = random.Random(f"freshness:{target.tenant.slug}")  # noqa: S311 (not for secrets)
    try:
        for _ in range(rounds):
            barrier.wait(timeout=120)
            day = rng.choice(target.days)
            with in_tenant(target.tenant):
                with transaction.atomic():
                    session_record(
                        actor=None,
                        measure=target.measure,
                        date=day,
                        starts_at=dt.time(rng.randint(8, 19), rng.choice((0, 15, 30, 45))),
                        counts={target.indicator_code: {"total": rng.randint(3, 30)}},
                    )
                    generation = figures.generation()
                committed = time.monotonic()
            with lock:
                commits.append(
                    Commit(
                        target.tenant.pk,
                        target.indicator_id,
                        day.replace(day=1),
                        generation,
                        committed,
                    )
                )
            time.sleep(pause)
    except Exception as exc:  # reported, and the barrier released for the others
        errors.append(f"{target.tenant.slug}: {exc!r}")
        barrier.abort()
    finally:
        connection.close()


def measure_freshness(
    *,
    rounds: int,
    pause: float,
    progress: Any,
    tenants: list[Tenant] | None = None,
    env: dict[str, str] | None = None,
    purge: bool = True,
) -> dict[str, Any]:
    """Start the worker, let every KI write ``rounds`` times at once, time each commit.

    ``tenants``: the writing KIs (default: all); ``env``: the worker's environment
    (default: this process's); ``purge``: empty the broker's queue first.
    """
    close_old_connections()
    today = timezone.localdate()
    if tenants is None:
        with in_public():
            tenants = list(active_tenants())
    chosen = targets(today, tenants)
    if not chosen:
        raise RuntimeError("Kein KI hat eine laufende Maßnahme mit Personenzahlen in diesem Jahr.")
    for tenant in tenants:  # nothing old in the way
        with in_tenant(tenant):
            Outbox.objects.filter(done_at__isnull=True).update(done_at=timezone.now())
    if purge:
        _purge()
    with tempfile.TemporaryDirectory(prefix="kinrw-bench-worker-") as tmp:
        workdir = Path(tmp)
        progress(f"Celery-Worker (1 Prozess, mit beat) starten; {len(chosen)} KI schreiben")
        worker = start_worker(workdir, env if env is not None else dict(os.environ))
        commits: list[Commit] = []
        lock = threading.Lock()
        errors: list[str] = []
        poller = Poller(commits, lock)
        poller.start()
        barrier = threading.Barrier(len(chosen))
        started = time.monotonic()
        try:
            writers = [
                threading.Thread(
                    target=_writer, args=(t, rounds, pause, barrier, commits, lock, errors)
                )
                for t in chosen
            ]
            for thread in writers:
                thread.start()
            for thread in writers:
                thread.join()
            progress(f"{len(commits)} Änderungen geschrieben; auf die letzten Kennzahlen warten")
            deadline = time.monotonic() + DRAIN_SECONDS
            while time.monotonic() < deadline:
                with lock:
                    if all(c.seen is not None for c in commits):
                        break
                time.sleep(0.1)
        finally:
            poller.stop.set()
            poller.join()
            stop_worker(worker)
            log = _tail(workdir / "worker.log")
    seconds = [c.seen - c.committed for c in commits if c.seen is not None]
    missing = sum(1 for c in commits if c.seen is None)
    progress("Kontrolle: kinrw state verify für dieses Jahr")
    drift = sum(len(verify(tenant=t.tenant, years=[today.year])) for t in chosen)
    p95 = percentile(seconds, 95)
    return {
        "kis": len(chosen),
        "rounds": rounds,
        "pause_s": pause,
        "commits": len(commits),
        "missing": missing,
        "errors": errors,
        "writing_s": time.monotonic() - started,
        "times_s": seconds,
        "p50_s": percentile(seconds, 50),
        "p95_s": p95,
        "max_s": max(seconds, default=None),
        "drift": drift,
        "goal_s": GOAL_S,
        "passed": bool(
            commits
            and not missing
            and not errors
            and not drift
            and p95 is not None
            and p95 <= GOAL_S
        ),
        "worker_log_tail": log if errors or missing or drift else "",
    }
