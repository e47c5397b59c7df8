"""``kinrw bench state``, the measuring process (Django set up).

``python -m kinrw.benchmarks.state_worker PARAMS_JSON`` with the production
settings on the benchmark database: migrates, onboards the 54 KIs of the
registry, fills each with three years of demo data, computes their facts
(``kinrw state rebuild``), then measures the ministry dashboard's overview from
the facts and computed live, the freshness of facts while all KIs write, and the
overview with simulated KIs. One JSON line goes to stdout; progress to stderr.
With ``reuse`` a database that already holds the filled KIs is not filled again.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import Any

Progress = Callable[[str], None]
LAND_EMAIL = "bench-ministerium@land.example"


def _quiet(message: str) -> None:
    pass


def volume() -> dict[str, int]:
    """KIs, facts and (summed over all KIs) sessions of the fill."""
    from kinrw.state.facts import Fact
    from kinrw.tenancy.context import in_public, in_tenant
    from kinrw.tenancy.models import Tenant
    from kinrw.workspace.models import Measure, Session

    with in_public():
        tenants = list(Tenant.objects.filter(schema_name__startswith="ki_").order_by("slug"))
        facts = Fact.objects.count()
    measures = sessions = 0
    for tenant in tenants:
        with in_tenant(tenant):
            measures += Measure.objects.count()
            sessions += Session.objects.count()
    return {"kis": len(tenants), "measures": measures, "sessions": sessions, "facts": facts}


def fill(years: int, progress: Progress) -> dict[str, float]:
    """Demo data of ``years`` years in every KI, then their facts; outbox rows settled."""
    from django.utils import timezone

    from kinrw.state.rebuild import rebuild
    from kinrw.state.recompute import active_tenants
    from kinrw.tenancy.context import in_public, in_tenant
    from kinrw.workspace.demo import demo_fill
    from kinrw.workspace.models import Outbox

    with in_public():
        tenants = list(active_tenants())
    started = time.perf_counter()
    for number, tenant in enumerate(tenants, 1):
        progress(f"Demodaten {number}/{len(tenants)}: {tenant.slug}")
        demo_fill(tenant=tenant, years=years, copy=True)
    filled = time.perf_counter() - started
    progress("Kennzahlen aller KI berechnen (kinrw state rebuild)")
    started = time.perf_counter()
    this_year = timezone.localdate().year
    rebuild(years=range(this_year - years + 1, this_year + 1), restart=True)
    for tenant in tenants:  # the rebuild covered what the fill's triggers queued
        with in_tenant(tenant):
            Outbox.objects.filter(done_at__isnull=True).update(
                sent_at=timezone.now(), done_at=timezone.now()
            )
    return {"fill_s": filled, "rebuild_s": time.perf_counter() - started}


def prepare(params: dict[str, Any], progress: Progress) -> dict[str, Any]:
    """The database migrated, the KIs onboarded and filled (unless reused)."""
    from django.core.management import call_command
    from django.db import connection

    from kinrw.benchmarks.state_fleet import remove_simulated
    from kinrw.catalogue.services import catalogue_apply
    from kinrw.tenancy import apply, fleet, registry

    facts: dict[str, Any] = {"postgres": connection.pg_version}
    started = time.perf_counter()
    if "state_fact" in connection.introspection.table_names():
        remove_simulated()  # left over by an interrupted run (they have no schema to migrate)
    fleet.migrate_fleet(parallel=1)
    catalogue_apply()
    have = volume()
    facts["reused"] = bool(params.get("reuse")) and have["kis"] > 0 and have["facts"] > 0
    if not facts["reused"]:
        progress("die KI des Registers anlegen")
        apply.execute(apply.plan(registry.load()))
        facts["setup_s"] = time.perf_counter() - started
        facts.update(fill(params.get("years", 3), progress))
        progress("VACUUM (ANALYZE)")
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE)")
    facts["volume"] = volume()
    progress("statische Dateien sammeln (wie in Produktion)")
    call_command("collectstatic", interactive=False, verbosity=0)
    return facts


def land_user() -> Any:
    """A Ministerium account on the Land host (sees every KI)."""
    import secrets

    from kinrw.accounts.models import User
    from kinrw.state.models import LandAccess, LandRole
    from kinrw.tenancy.context import in_public

    with in_public():
        user = User.objects.filter(email=LAND_EMAIL).first() or User.objects.create_user(
            LAND_EMAIL, secrets.token_urlsafe(24), full_name="Benchmark Ministerium"
        )
        LandAccess.objects.update_or_create(user=user, defaults={"role": LandRole.MINISTERIUM})
    return user


def work(params: dict[str, Any], progress: Progress) -> dict[str, Any]:
    from kinrw.benchmarks import state_measure
    from kinrw.core.runtime import tune_gc

    facts = prepare(params, progress)
    tune_gc()  # as the web workers do (kinrw.conf.wsgi)
    return {**facts, **state_measure.measure_all(params, land_user(), progress)}


if __name__ == "__main__":
    from kinrw.benchmarks.process import child_main

    sys.exit(child_main(sys.argv, work))
