"""``kinrw bench state`` on a tiny fill: every part measures what it claims to measure."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from django.conf import settings

from kinrw.benchmarks import state_fleet, state_measure
from kinrw.benchmarks.state_freshness import measure_freshness
from kinrw.benchmarks.state_worker import land_user
from kinrw.catalogue.models import Programme
from kinrw.state.recompute import months_of, recompute
from kinrw.tenancy import onboarding, registry
from kinrw.tenancy.context import in_tenant
from kinrw.tenancy.models import Tenant
from kinrw.workspace.services import enrolment_create, measure_create, session_record
from tests.kit import KIT_SLUGS, Kit

BROKER = "redis://127.0.0.1:6379/9"


def _fill(tenant: Tenant, children: int) -> None:
    """A running measure of this year's default programme with two counted sessions."""
    indicator, year = state_measure.default_indicator()
    with in_tenant(tenant):
        programme = Programme.objects.get(pk=indicator.programme_id)
        enrolment_create(actor=None, programme=programme, year=year)
        measure = measure_create(
            actor=None, title="Bench", programme=programme, starts_on=dt.date(year, 1, 1)
        )
        for day in (dt.date(year, 1, 12), dt.date(year, 2, 9)):
            session_record(
                actor=None,
                measure=measure,
                date=day,
                counts={indicator.code: {"total": children}},
            )
    recompute(tenant, months_of(year))


@pytest.mark.django_db
def test_the_overview_from_facts_equals_the_live_one_and_both_are_timed(kit: Kit) -> None:
    _fill(kit.a.tenant, 7)
    _fill(kit.b.tenant, 5)
    client = state_measure.land_client(land_user(), settings.KINRW_BASE_DOMAIN)
    result = state_measure.measure_overview(client, warmup=1, requests=3, live_requests=2)
    assert result["checked"]["kis"] == 2 and result["checked"]["cells"] == 4
    probes = {p["key"]: p for p in result["probes"]}
    assert set(probes) == {"overview", "overview_uncached", "overview_live"}
    assert [len(probes[k]["times_s"]) for k in ("overview", "overview_uncached")] == [3, 3]
    assert len(probes["overview_live"]["times_s"]) == 2
    assert probes["overview_uncached"]["passed"] is not None and result["live_factor"] > 0
    assert result["rows"] == 2 + 1 + 1  # two KIs, their Bezirk (Köln), the Land


@pytest.mark.django_db
def test_the_live_baseline_really_reads_the_schemas(kit: Kit) -> None:
    _fill(kit.a.tenant, 7)
    indicator, year = state_measure.default_indicator()
    live = state_measure.live_indicator_year(indicator, year)
    assert live.values == {kit.a.tenant.pk: {1: 7, 2: 7}}
    with in_tenant(kit.a.tenant):  # a change not yet in the facts shows live only
        from kinrw.workspace.models import SessionCount

        SessionCount.objects.filter(indicator=indicator).update(value=9)
    assert state_measure.live_indicator_year(indicator, year).values[kit.a.tenant.pk][1] == 9
    with pytest.raises(RuntimeError, match="weichen ab"):
        state_measure.same_figures()


@pytest.mark.django_db
def test_simulated_kis_are_in_the_overview_and_gone_afterwards(kit: Kit) -> None:
    _fill(kit.a.tenant, 7)
    client = state_measure.land_client(land_user(), settings.KINRW_BASE_DOMAIN)
    real = Tenant.objects.count()
    result = state_measure.measure_fleet(client, total=60, warmup=1, requests=2)
    assert result["kis"] == 60 and result["simulated"] == 60 - real
    assert result["rows"] == 60 + 5 + 1  # every KI, the five Bezirke, the Land
    assert len(result["probe"]["times_s"]) == 2 and result["probe"]["passed"] is not None
    assert Tenant.objects.count() == real
    assert not Tenant.objects.filter(ags__startswith=state_fleet.SIM_PREFIX).exists()


@pytest.fixture
def writers(committed: Kit) -> list[Tenant]:
    taken = set(Tenant.objects.values_list("slug", flat=True)) | set(KIT_SLUGS)
    entries = [e for e in registry.load() if e.slug not in taken][:2]
    tenants = [onboarding.tenant_create(entry=e).tenant for e in entries]
    for number, tenant in enumerate(tenants):
        _fill(tenant, 4 + number)
    return tenants


@pytest.fixture
def broker() -> Iterator[str]:
    client = redis.Redis.from_url(BROKER)
    client.ping()  # Redis must run (`.ci/run` starts it)
    client.flushdb()
    yield BROKER
    client.flushdb()


@pytest.mark.slow
def test_freshness_with_a_real_worker_sees_every_commit(
    writers: list[Tenant], cli_env: dict[str, str], broker: str, tmp_path: Path
) -> None:
    env = {**cli_env, "CELERY_BROKER_URL": broker, "KINRW_DATA_DIR": str(tmp_path)}
    result = measure_freshness(
        rounds=3, pause=0.3, progress=lambda m: None, tenants=writers, env=env, purge=False
    )
    assert result["kis"] == 2 and result["commits"] == 6
    assert result["missing"] == 0 and result["errors"] == [] and result["drift"] == 0
    assert len(result["times_s"]) == 6 and all(t > 0 for t in result["times_s"])
    assert result["passed"], result
