"""Fill one KI with demo data, or remove it again; one transaction per KI."""

from __future__ import annotations

import datetime as dt
import random
import time
from dataclasses import dataclass, field

import holidays
from django.db import transaction
from django.utils import timezone

from kinrw.accounts.models import User
from kinrw.tenancy.context import in_tenant
from kinrw.tenancy.models import Tenant
from kinrw.tenancy.selectors import gemeinden_of
from kinrw.workspace.demo.context import DemoContext, Volume, catalogue_plans, demo_volume
from kinrw.workspace.demo.manifest import DemoError, manifest_remove, manifest_write
from kinrw.workspace.demo.measures import make_enrolments, measure_drafts, save_measures
from kinrw.workspace.demo.partners import make_gremien, make_organisations
from kinrw.workspace.demo.sessions import make_sessions
from kinrw.workspace.demo.sink import CopySink, ModelSink
from kinrw.workspace.demo.staff import demo_accounts_create, demo_hash, marker_email

CHUNK = 500  # measures saved (with their sessions and counts) at a time


@dataclass(frozen=True)
class DemoResult:
    tenant: Tenant
    skipped: bool = False  # had demo data, no reset asked
    made: dict[str, int] = field(default_factory=dict)  # model label: rows
    removed: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


def _closed_days(years: list[int]) -> set[dt.date]:
    """NRW public holidays and the Christmas break (24 December to 6 January)."""
    span = range(years[0], years[-1] + 2)
    closed = set(holidays.country_holidays("DE", subdiv="NW", years=span))
    for year in span:
        closed |= {dt.date(year, 12, day) for day in range(24, 32)}
        closed |= {dt.date(year, 1, day) for day in range(1, 7)}
    return closed


def _marker(tenant: Tenant) -> User | None:
    return User.objects.filter(email=marker_email(tenant)).first()


def demo_remove(*, tenant: Tenant) -> dict[str, int]:
    """Remove a KI's demo data and demo accounts; {model label: rows removed} ({} if none)."""
    with in_tenant(tenant), transaction.atomic():
        marker = _marker(tenant)
        return {} if marker is None else manifest_remove(tenant=tenant, marker=marker)


def demo_fill(
    *,
    tenant: Tenant,
    seed: int = 0,
    years: int = 3,
    scale: float = 1.0,
    reset: bool = False,
    today: dt.date | None = None,
    volume: Volume | None = None,
    password_hash: str | None = None,
    copy: bool = False,
) -> DemoResult:
    """Fill one KI; the same seed, years, scale and ``today`` give the same data.

    A KI that has demo data (its demo KI-Leitung account exists) is skipped
    unless ``reset``: then its demo data is removed first, in the same
    transaction. ``volume`` overrides the population-based amount and ``copy``
    writes measures, sessions and counts with COPY instead of ``bulk_create``
    (both for the benchmark volume, :func:`~kinrw.workspace.demo.bench.fill_bench`).
    """
    if not 1 <= years <= 10:
        raise DemoError("Bitte 1 bis 10 Jahre angeben.")
    if scale <= 0:
        raise DemoError("Der Faktor für die Menge muss größer als 0 sein.")
    started = time.monotonic()
    today = today or timezone.localdate()
    span = list(range(today.year - years + 1, today.year + 1))
    with in_tenant(tenant), transaction.atomic():
        marker, removed = _marker(tenant), {}
        if marker is not None:
            if not reset:
                return DemoResult(tenant=tenant, skipped=True)
            removed = manifest_remove(tenant=tenant, marker=marker)
        gemeinden = list(gemeinden_of(tenant=tenant).order_by("ags"))
        if not gemeinden:
            raise DemoError(f"Für das KI {tenant.slug} sind keine Gemeinden hinterlegt.")
        ctx = DemoContext(
            tenant=tenant,
            rng=random.Random(f"kinrw-demo:{seed}:{tenant.slug}"),  # noqa: S311 (not for secrets)
            today=today,
            years=span,
            volume=volume or demo_volume(population=tenant.population, scale=scale),
            gemeinden=gemeinden,
            plans=catalogue_plans(),
            closed=_closed_days(span),
            sink=CopySink() if copy else ModelSink(),
        )
        ctx.staff = demo_accounts_create(tenant=tenant, password_hash=password_hash or demo_hash())
        organisations = make_organisations(ctx)
        make_gremien(ctx, organisations)
        per_year = make_enrolments(ctx)
        chunk = []
        for draft in measure_drafts(ctx, per_year, organisations):
            chunk.append(draft)
            if len(chunk) == CHUNK:
                save_measures(ctx, chunk)
                make_sessions(ctx, chunk)
                chunk = []
        if chunk:
            save_measures(ctx, chunk)
            make_sessions(ctx, chunk)
        made = dict(sorted(ctx.created.counts.items()))
        summary = {"seed": seed, "years": years, "scale": scale, "today": today.isoformat()}
        manifest_write(
            marker=ctx.staff[0], summary={**summary, "made": made}, ids=ctx.created.ranges()
        )
    return DemoResult(tenant=tenant, made=made, removed=removed, seconds=time.monotonic() - started)
