"""Rebuild every fact, resumably: a ledger row per KI and year of a run.

``rebuild`` continues the latest run that is not finished and skips the KI
years it has done, so an interrupted rebuild picks up where it stopped;
``restart=True`` (``kinrw state rebuild --restart``) begins a new run.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from kinrw.state import recompute as facts
from kinrw.state.facts import RebuildLedger
from kinrw.tenancy.context import in_public
from kinrw.tenancy.models import Tenant


@dataclass
class RebuildResult:
    run_id: uuid.UUID
    done: list[tuple[str, int, int]] = field(default_factory=list)  # (slug, year, facts)
    skipped: int = 0


Progress = Callable[[Tenant, int, int], None]


def _current_run(*, restart: bool) -> tuple[uuid.UUID, object]:
    """The latest run if it has work left (and not ``restart``), else a new one."""
    latest = RebuildLedger.objects.order_by("-run_started_at", "-id").first()
    if (
        latest is not None
        and not restart
        and RebuildLedger.objects.filter(run_id=latest.run_id, done_at__isnull=True).exists()
    ):
        return latest.run_id, latest.run_started_at
    return uuid.uuid4(), timezone.now()


def rebuild(
    *,
    tenant: Tenant | None = None,
    years: Iterable[int] | None = None,
    restart: bool = False,
    on_progress: Progress | None = None,
) -> RebuildResult:
    """Recompute the facts of every KI (or one) for every year (or the given ones)."""
    wanted = sorted(set(years)) if years is not None else facts.default_years()
    with in_public():
        tenants = [tenant] if tenant else list(facts.active_tenants())
        run_id, started = _current_run(restart=restart)
        RebuildLedger.objects.bulk_create(
            [
                RebuildLedger(run_id=run_id, run_started_at=started, tenant=ki, year=year)
                for ki in tenants
                for year in wanted
            ],
            ignore_conflicts=True,
        )
        done = set(
            RebuildLedger.objects.filter(run_id=run_id, done_at__isnull=False).values_list(
                "tenant_id", "year"
            )
        )
    result = RebuildResult(run_id=run_id)
    for ki in tenants:
        for year in wanted:
            if (ki.pk, year) in done:
                result.skipped += 1
                continue
            with transaction.atomic():
                count = facts.recompute(ki, facts.months_of(year))
                with in_public():
                    RebuildLedger.objects.filter(run_id=run_id, tenant=ki, year=year).update(
                        done_at=timezone.now()
                    )
            result.done.append((ki.slug, year, count))
            if on_progress is not None:
                on_progress(ki, year, count)
    return result
