"""``kinrw bench workspace``, the measuring process (Django set up).

``python -m kinrw.benchmarks.workspace_worker PARAMS_JSON`` with
``DJANGO_SETTINGS_MODULE`` (the production settings on the benchmark
database, :mod:`kinrw.benchmarks.settings_ours`): migrates the public schema,
loads the programme catalogue, onboards one KI of the registry (Köln), fills
it with the benchmark volume, ``VACUUM (ANALYZE)``, then measures
(:func:`measure`) and writes one JSON line to stdout; progress goes to stderr.
With ``reuse`` a KI that already holds exactly that volume is not filled again.
"""

from __future__ import annotations

import secrets
import sys
import time
from collections.abc import Callable
from typing import Any

SLUG = "koeln"
BENCH_EMAIL = "bench-leitung@koeln.example"

Progress = Callable[[str], None]


def _quiet(message: str) -> None:
    pass


def measure(
    *,
    tenant: Any,
    user: Any,
    host: str,
    requests: int,
    warmup: int,
    grid_rounds: int,
    progress: Progress = _quiet,
) -> dict[str, Any]:
    """Time every list URL and the month grid; {"subjects": …, "probes": [summary, …]}."""
    from dataclasses import asdict

    from kinrw.benchmarks import workspace_grid as grid
    from kinrw.benchmarks import workspace_measure as wm
    from kinrw.tenancy.context import in_tenant

    with in_tenant(tenant):
        grid.remove_previous()  # an earlier run's grid measure is not part of the fill
        subjects = wm.find_subjects()
    client = wm.bench_client(tenant, user, host)
    probes = wm.list_probes(subjects)
    for number, probe in enumerate(probes, 1):
        progress(f"{number}/{len(probes)} {probe.path}")
        wm.time_get(client, probe, warmup=warmup, requests=requests)
    progress(f"Monatsraster: 50 Termine anlegen, {grid_rounds}× speichern")
    with in_tenant(tenant):
        subject = grid.grid_create(user)
    probes.append(grid.time_grid_page(client, tenant, subject, rounds=grid_rounds))
    with in_tenant(tenant):
        probes.append(
            grid.time_grid_service(user, subject, rounds=grid_rounds, first=grid_rounds + 2)
        )
    return {"subjects": asdict(subjects), "probes": [p.summary() for p in probes]}


def bench_user(tenant: Any) -> Any:
    """A KI-Leitung account of the KI (made once; the client logs in without a password)."""
    from kinrw.accounts.models import User
    from kinrw.tenancy.context import in_tenant
    from kinrw.workspace.models import Membership, Role

    with in_tenant(tenant):
        user = User.objects.filter(email=BENCH_EMAIL).first() or User.objects.create_user(
            BENCH_EMAIL, secrets.token_urlsafe(24), full_name="Benchmark KI-Leitung"
        )
        # set-up, not a user's action: no audit entry
        Membership.objects.update_or_create(user=user, defaults={"role": Role.LEITUNG})
    return user


def volume(tenant: Any) -> dict[str, int]:
    """Measures and sessions of the fill (without the grid measure of an earlier run)."""
    from kinrw.benchmarks.workspace_grid import GRID_TITLE
    from kinrw.tenancy.context import in_tenant
    from kinrw.workspace.models import Measure, Session, SessionCount

    with in_tenant(tenant):
        return {
            "measures": Measure.objects.exclude(title=GRID_TITLE).count(),
            "sessions": Session.objects.exclude(measure__title=GRID_TITLE).count(),
            "counts": SessionCount.objects.count(),
        }


def prepare(params: dict[str, Any], progress: Progress) -> tuple[Any, dict[str, Any]]:
    """The database up to date, Köln onboarded and filled; (tenant, facts of the set-up)."""
    from django.core.management import call_command
    from django.db import connection

    from kinrw.catalogue.services import catalogue_apply
    from kinrw.tenancy import fleet, onboarding, registry
    from kinrw.tenancy.context import in_public
    from kinrw.tenancy.models import Tenant
    from kinrw.workspace.demo.bench import fill_bench

    facts: dict[str, Any] = {"postgres": connection.pg_version}
    started = time.perf_counter()
    fleet.migrate_fleet(parallel=1)
    catalogue_apply()
    with in_public():
        tenant = Tenant.objects.filter(slug=SLUG).first()
    if tenant is None:
        progress("KI Köln aus dem Register anlegen")
        entry = next(e for e in registry.load() if e.slug == SLUG)
        tenant = onboarding.tenant_create(entry=entry).tenant
    facts["setup_s"] = time.perf_counter() - started
    wanted = {"measures": params["measures"], "sessions": params["sessions"]}
    have = volume(tenant)
    facts["reused"] = bool(params.get("reuse")) and all(have[k] == v for k, v in wanted.items())
    if not facts["reused"]:
        progress(f"Köln füllen: {wanted['measures']} Maßnahmen, {wanted['sessions']} Termine")
        started = time.perf_counter()
        fill_bench(tenant, measures=wanted["measures"], sessions=wanted["sessions"])
        facts["fill_s"] = time.perf_counter() - started
        progress("VACUUM (ANALYZE)")
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE)")
        facts["vacuum_s"] = time.perf_counter() - started
    facts["volume"] = volume(tenant)
    progress("statische Dateien sammeln (wie in Produktion)")
    call_command("collectstatic", interactive=False, verbosity=0)
    return tenant, facts


def work(params: dict[str, Any], progress: Progress) -> dict[str, Any]:
    from kinrw.core.runtime import tune_gc
    from kinrw.tenancy import onboarding

    tenant, facts = prepare(params, progress)
    tune_gc()  # as the web workers do (kinrw.conf.wsgi)
    result = measure(
        tenant=tenant,
        user=bench_user(tenant),
        host=onboarding.primary_domain(tenant) or f"{SLUG}.localhost",
        requests=params.get("requests", 60),
        warmup=params.get("warmup", 5),
        grid_rounds=params.get("grid_rounds", 15),
        progress=progress,
    )
    return {**facts, **result}


if __name__ == "__main__":
    from kinrw.benchmarks.process import child_main

    sys.exit(child_main(sys.argv, work))
