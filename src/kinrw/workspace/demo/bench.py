"""Benchmark volume in one KI: the demo generator with exact totals instead of population."""

from __future__ import annotations

import datetime as dt

from kinrw.tenancy.models import Tenant
from kinrw.workspace.demo.context import Volume
from kinrw.workspace.demo.runner import DemoResult, demo_fill


def fill_bench(
    tenant: Tenant,
    measures: int = 20_000,
    sessions: int = 200_000,
    *,
    seed: int = 0,
    years: int = 5,
    today: dt.date | None = None,
) -> DemoResult:
    """Exactly ``measures`` measures and ``sessions`` sessions (with counts) in ``tenant``.

    Replaces earlier demo or bench data of that KI (``reset``); the measures are
    spread over ``years`` years, the sessions evenly over the measures.
    """
    volume = Volume(
        organisations=max(50, measures // 20),
        gremien=10,
        measures_total=measures,
        sessions_total=sessions,
    )
    return demo_fill(
        tenant=tenant, seed=seed, years=years, reset=True, today=today, volume=volume, copy=True
    )
