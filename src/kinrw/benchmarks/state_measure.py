"""The state benchmark's measurements of the ministry dashboard's overview.

Every request goes through ``django.test.Client`` on the Land host, logged in as
the Ministerium: the full Django stack (middleware, session, view, disclosure
control, map, template, database) without a network, the "server time" of the
issue's goals. The overview is ``/dashboard/`` with its defaults: the first
programme and indicator of the catalogue, this year, the map of all KIs, the
table with the Regierungsbezirk and Land totals, and the trend of 12 months.

The baseline computes the same page live: the view runs unchanged, but the
indicator's figures come from each KI's schema through the workspace's own
figures module (:func:`live_indicator_year`) instead of the Land's facts.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any
from unittest import mock

from django.core.cache.backends.dummy import DummyCache
from django.test import Client
from django.utils import timezone

from kinrw.benchmarks.workspace_measure import Probe, time_get
from kinrw.catalogue.models import Indicator
from kinrw.state import selectors
from kinrw.tenancy.context import in_public, in_tenant
from kinrw.workspace import figures

OVERVIEW = "/dashboard/"
OVERVIEW_GOAL_S = 0.050  # "the dashboard's overview at p95 ≤ 50 ms server time"
LIVE_FACTOR_GOAL = 20.0  # "≥ 20× faster than computing the same figures live"
FLEET_GOAL_S = 0.200  # "the same overview with 1,000 simulated KIs ≤ 200 ms"


def live_indicator_year(indicator: Indicator, year: int) -> selectors.IndicatorYear:
    """The indicator's monthly totals of ``year``, computed now in every KI's schema."""
    with in_public():
        tenants = selectors.land_tenants()
    values = {}
    for tenant in tenants:
        with in_tenant(tenant):
            months = figures.monthly_totals_many(indicators=[indicator], year=year)
        if months[indicator.pk]:
            values[tenant.pk] = months[indicator.pk]
    now = timezone.now()
    return selectors.IndicatorYear(values, {pk: now for pk in values})


@contextlib.contextmanager
def uncached() -> Iterator[None]:
    """The dashboard view computes its figures part on every request (no cache hit)."""
    with mock.patch("kinrw.state.views_dashboard.cache", DummyCache("none", {})):
        yield


@contextlib.contextmanager
def computed_live() -> Iterator[None]:
    """The dashboard view reads its figures from the KIs' schemas, not from the facts,
    on every request."""
    with uncached(), mock.patch("kinrw.state.views_dashboard.indicator_year", live_indicator_year):
        yield


def land_client(user: Any, host: str) -> Client:
    client = Client(HTTP_HOST=host)
    with in_public():
        client.force_login(user)
    return client


def default_indicator() -> tuple[Indicator, int]:
    """What the overview shows without parameters (see ``views_dashboard._selection``)."""
    from kinrw.catalogue.models import Programme

    programme = Programme.objects.filter(is_active=True).order_by("sort_order", "name").first()
    indicator = (
        Indicator.objects.filter(programme=programme, is_active=True)
        .order_by("sort_order", "code")
        .first()
    )
    if indicator is None:
        raise RuntimeError("Der Katalog hat keinen aktiven Indikator.")
    return indicator, timezone.localdate().year


def same_figures() -> dict[str, Any]:
    """Facts and the live computation agree on the overview's figures (else no comparison)."""
    indicator, year = default_indicator()
    stored = selectors.indicator_year(indicator, year).values
    live = live_indicator_year(indicator, year).values
    if stored != live:
        raise RuntimeError(
            "Kennzahlen und Live-Berechnung weichen ab: erst `kinrw state verify`, dann messen."
        )
    cells = sum(len(m) for m in stored.values())
    return {
        "indicator": f"{indicator.programme.code}/{indicator.code}",
        "year": year,
        "kis": len(stored),
        "cells": cells,
    }


def time_overview(
    client: Client, *, key: str, goal_s: float | None, warmup: int, requests: int, note: str = ""
) -> Probe:
    probe = Probe(key=key, kind="html", path=OVERVIEW, goal_s=goal_s, note=note)
    return time_get(client, probe, warmup=warmup, requests=requests)


def rows_shown(client: Client) -> int:
    """KI rows of the overview's table (links to the KI pages), to check what was measured."""
    html = client.get(OVERVIEW, secure=True).content.decode()
    table = html.split('id="tabelle-heading"')[1].split("</table>")[0]
    return table.count('scope="row"')


def measure_overview(
    client: Client, *, warmup: int, requests: int, live_requests: int
) -> dict[str, Any]:
    """The overview as served (figures part cached under the Land's version), the same
    computed from the facts on every request, and computed live; factors of medians."""
    checked = same_figures()
    with uncached():
        computed = time_overview(
            client,
            key="overview_uncached",
            goal_s=OVERVIEW_GOAL_S,
            warmup=warmup,
            requests=requests,
            note="jede Anfrage berechnet Karte, Tabelle und Verlauf aus den Kennzahlen",
        )
    served = time_overview(client, key="overview", goal_s=None, warmup=warmup, requests=requests)
    with computed_live():
        live = time_overview(
            client,
            key="overview_live",
            goal_s=None,
            warmup=1,
            requests=live_requests,
            note="Basislinie: dieselbe Seite, Zahlen live aus den Schemas der KI",
        )
    summaries = [p.summary() for p in (served, computed, live)]
    medians = {row["key"]: row["p50_s"] or 0 for row in summaries}
    factor = medians["overview_live"] / (medians["overview"] or 1)
    return {
        "checked": checked,
        "rows": rows_shown(client),
        "probes": summaries,
        "live_factor": factor,
        "live_factor_uncached": medians["overview_live"] / (medians["overview_uncached"] or 1),
        "live_passed": factor >= LIVE_FACTOR_GOAL,
    }


def measure_fleet(client: Client, *, total: int, warmup: int, requests: int) -> dict[str, Any]:
    """The overview with ``total`` KIs (simulated ones added, removed afterwards): computed
    on every request (the goal), and as served."""
    from kinrw.benchmarks import state_fleet

    added = state_fleet.simulate(total)
    try:
        with in_public():
            kis = len(selectors.land_tenants())
        with uncached():
            computed = time_overview(
                client, key="fleet", goal_s=FLEET_GOAL_S, warmup=warmup, requests=requests
            )
            rows = rows_shown(client)
        served = time_overview(
            client, key="fleet_served", goal_s=None, warmup=warmup, requests=requests
        )
    finally:
        state_fleet.remove_simulated()
    return {
        "kis": kis,
        "simulated": added,
        "rows": rows,
        "probe": computed.summary(),
        "served": served.summary(),
    }


def measure_all(params: dict[str, Any], user: Any, progress: Any) -> dict[str, Any]:
    """Overview (facts and live), freshness with a real worker, then 1,000 KIs."""
    from django.conf import settings

    from kinrw.benchmarks.state_freshness import measure_freshness

    client = land_client(user, settings.KINRW_BASE_DOMAIN)
    requests, warmup = params.get("requests", 100), params.get("warmup", 10)
    progress(f"Übersicht: {warmup} zum Aufwärmen, {requests} gemessen; live zum Vergleich")
    overview = measure_overview(
        client, warmup=warmup, requests=requests, live_requests=params.get("live_requests", 10)
    )
    progress(_summary(overview["probes"]) + f"; Faktor {overview['live_factor']:.1f}×")
    freshness = measure_freshness(
        rounds=params.get("writes", 20), pause=params.get("pause", 2.0), progress=progress
    )
    progress(_summary([freshness]) + f"; {freshness['missing']} fehlen, Drift {freshness['drift']}")
    progress(f"Übersicht mit {params.get('fleet', 1000)} KI")
    fleet = measure_fleet(client, total=params.get("fleet", 1000), warmup=warmup, requests=requests)
    progress(_summary([fleet["probe"], fleet["served"]]))
    return {"overview": overview, "freshness": freshness, "fleet": fleet}


def _summary(rows: list[dict[str, Any]]) -> str:
    return "; ".join(
        f"{row.get('key', 'Aktualität')}: p50 {1000 * (row['p50_s'] or 0):.1f} ms, "
        f"p95 {1000 * (row['p95_s'] or 0):.1f} ms"
        for row in rows
    )
