"""``kinrw bench workspace`` on a tiny fill: every URL answers 200, the grid saves."""

from __future__ import annotations

import pytest

from kinrw.benchmarks.workspace_grid import GRID_TITLE
from kinrw.benchmarks.workspace_measure import percentile
from kinrw.benchmarks.workspace_worker import bench_user, measure, volume
from kinrw.tenancy.context import in_tenant
from kinrw.workspace.demo.bench import fill_bench
from kinrw.workspace.models import Measure
from tests.kit import Kit

pytestmark = pytest.mark.django_db

LIST_URLS = 24  # 13 pages and 11 API lists of the goal


def test_the_bench_measures_every_url_and_the_grid_saves(kit: Kit) -> None:
    fill_bench(kit.a.tenant, measures=50, sessions=500)
    assert volume(kit.a.tenant)["measures"] == 50
    result = measure(
        tenant=kit.a.tenant,
        user=bench_user(kit.a.tenant),
        host=kit.a.host,
        requests=3,
        warmup=1,
        grid_rounds=2,
    )
    probes = {p["key"]: p for p in result["probes"]}
    lists = [p for p in result["probes"] if p["kind"] in ("html", "api")]
    assert len(lists) == LIST_URLS
    missing = [p["path"] for p in lists if p["skipped"] or p["status"] != 200]
    assert missing == []
    assert all(len(p["times_s"]) == 3 and p["queries"] for p in lists)
    assert all(p["passed"] is not None and p["factor"] for p in lists)
    # the grid: 50 sessions posted twice (timed) after a warm-up, each save checked in the DB
    grid = probes["grid_post"]
    assert grid["status"] == 302 and len(grid["times_s"]) == 2 and grid["queries"]
    assert len(probes["grid_service"]["times_s"]) == 2
    with in_tenant(kit.a.tenant):
        measure_ = Measure.objects.get(title=GRID_TITLE)
        assert measure_.sessions.count() == 50
    with in_tenant(kit.b.tenant):  # the other KI got nothing
        assert not Measure.objects.filter(title=GRID_TITLE).exists()


def test_a_second_run_replaces_the_grid_measure(kit: Kit) -> None:
    from kinrw.benchmarks.workspace_grid import grid_create

    user = bench_user(kit.a.tenant)
    with in_tenant(kit.a.tenant):
        first = grid_create(user)
        second = grid_create(user)
        assert list(Measure.objects.filter(title=GRID_TITLE)) == [second.measure]
        assert first.measure.pk != second.measure.pk and len(second.session_ids) == 50


def test_percentile_is_nearest_rank() -> None:
    values = [float(n) for n in range(1, 61)]
    assert percentile(values, 95) == 57.0
    assert percentile(values, 50) == 30.0
    assert percentile([], 95) is None
