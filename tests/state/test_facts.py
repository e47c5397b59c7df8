"""Facts (issue 4, parts 1 and 3): recompute, rebuild with its ledger, verify."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from click.testing import CliRunner

from kinrw.catalogue.models import Programme
from kinrw.cli.state import state
from kinrw.state import rebuild as rebuild_module
from kinrw.state.facts import Fact, RebuildLedger
from kinrw.state.rebuild import rebuild
from kinrw.state.recompute import months_of, recompute, verify
from kinrw.tenancy.context import in_tenant
from kinrw.tenancy.models import Tenant
from kinrw.workspace import figures
from kinrw.workspace.models import Session
from kinrw.workspace.services import (
    enrolment_create,
    measure_create,
    session_delete,
    session_record,
)
from tests.kit import Kit

pytestmark = pytest.mark.django_db

YEAR = 2026
SECRET = "Geheimtitel Familie Yılmaz"  # workspace text that must never reach a fact


def _record(tenant: Tenant, *, children: int, march_extra: int = 0) -> None:
    """Köln/Bonn: sessions in March (two) and May; one cancelled session in March."""
    with in_tenant(tenant):
        griffbereit = Programme.objects.get(code="griffbereit")
        enrolment_create(actor=None, programme=griffbereit, year=YEAR)
        measure = measure_create(
            actor=None, title=SECRET, programme=griffbereit, starts_on=dt.date(YEAR, 1, 1)
        )
        session_record(
            actor=None,
            measure=measure,
            date=dt.date(YEAR, 3, 3),
            note=SECRET,
            counts={
                "children": {
                    "total": children,
                    "by": {"gender": {"weiblich": children - 1, "maennlich": 1}},
                },
                "families": {"total": 5},
            },
        )
        session_record(
            actor=None,
            measure=measure,
            date=dt.date(YEAR, 3, 10),
            counts={"children": {"total": march_extra}},
        )
        session_record(actor=None, measure=measure, date=dt.date(YEAR, 3, 17), cancelled=True)
        session_record(
            actor=None, measure=measure, date=dt.date(YEAR, 5, 5), counts={"families": {"total": 2}}
        )


def _facts(tenant: Tenant) -> dict[tuple[str, str, str, str], Decimal]:
    return {
        (f.indicator.code, f"{f.period:%m}", f.breakdown, f.value_code): f.value
        for f in Fact.objects.filter(tenant=tenant).select_related("indicator")
    }


def _rows(tenant: Tenant) -> list[tuple[object, ...]]:
    return sorted(
        Fact.objects.filter(tenant=tenant).values_list(
            "pk", "indicator_id", "period", "breakdown", "value_code", "value", "source_generation"
        )
    )


def test_rebuild_equals_the_hand_computed_figures_of_each_ki(kit: Kit) -> None:
    _record(kit.a.tenant, children=7, march_extra=1234)
    _record(kit.b.tenant, children=3)
    result = rebuild(years=[YEAR], restart=True)
    assert {(slug, year) for slug, year, _ in result.done} >= {("koeln", YEAR), ("bonn", YEAR)}
    assert _facts(kit.a.tenant) == {
        ("children", "03", "", ""): Decimal(1241),  # 7 + 1234; the cancelled one counts nothing
        ("children", "03", "gender", "weiblich"): Decimal(6),
        ("children", "03", "gender", "maennlich"): Decimal(1),
        ("families", "03", "", ""): Decimal(5),
        ("families", "05", "", ""): Decimal(2),
    }
    # Bonn's facts are Bonn's figures alone: nothing of Köln mixed in
    assert _facts(kit.b.tenant) == {
        ("children", "03", "", ""): Decimal(3),
        ("children", "03", "gender", "weiblich"): Decimal(2),
        ("children", "03", "gender", "maennlich"): Decimal(1),
        ("families", "03", "", ""): Decimal(5),
        ("families", "05", "", ""): Decimal(2),
    }
    fact = Fact.objects.filter(tenant=kit.a.tenant).first()
    assert fact is not None and fact.programme.code == "griffbereit"
    with in_tenant(kit.a.tenant):
        assert {f.source_generation for f in Fact.objects.filter(tenant=kit.a.tenant)} == {
            figures.generation()
        }


def test_a_deleted_session_leaves_the_facts_on_recompute(kit: Kit) -> None:
    _record(kit.a.tenant, children=7, march_extra=1234)
    recompute(kit.a.tenant, months_of(YEAR))
    with in_tenant(kit.a.tenant):
        session_delete(actor=None, session=Session.objects.get(date=dt.date(YEAR, 3, 3)))
    recompute(kit.a.tenant, [dt.date(YEAR, 3, 15)])  # any day of the month names it
    assert _facts(kit.a.tenant) == {
        ("children", "03", "", ""): Decimal(1234),
        ("families", "05", "", ""): Decimal(2),
    }


def test_recompute_twice_changes_nothing(kit: Kit) -> None:
    _record(kit.a.tenant, children=7)
    assert recompute(kit.a.tenant, months_of(YEAR)) == 5
    first = _rows(kit.a.tenant)
    assert recompute(kit.a.tenant, months_of(YEAR)) == 5
    assert _rows(kit.a.tenant) == first


def test_recompute_of_some_months_leaves_the_others(kit: Kit) -> None:
    _record(kit.a.tenant, children=7)
    recompute(kit.a.tenant, months_of(YEAR))
    Fact.objects.filter(tenant=kit.a.tenant, period=dt.date(YEAR, 5, 1)).update(value=99)
    recompute(kit.a.tenant, [dt.date(YEAR, 3, 1)])
    assert _facts(kit.a.tenant)[("families", "05", "", "")] == 99


def test_rebuild_resumes_from_the_ledger_after_an_interruption(
    kit: Kit, monkeypatch: pytest.MonkeyPatch
) -> None:
    _record(kit.a.tenant, children=7)
    _record(kit.b.tenant, children=3)
    real = rebuild_module.facts.recompute
    calls: list[str] = []

    def failing(tenant: Tenant, months: list[dt.date]) -> int:
        if calls:
            raise RuntimeError("Verbindung verloren")
        calls.append(tenant.slug)
        return real(tenant, months)

    monkeypatch.setattr(rebuild_module.facts, "recompute", failing)
    with pytest.raises(RuntimeError):
        rebuild(years=[YEAR], restart=True)
    first = calls[0]
    latest = RebuildLedger.objects.order_by("-run_started_at", "-id").first()
    assert latest is not None
    run = RebuildLedger.objects.filter(run_id=latest.run_id)
    assert run.count() == 2 and run.filter(done_at__isnull=False).count() == 1

    resumed: list[str] = []

    def counting(tenant: Tenant, months: list[dt.date]) -> int:
        resumed.append(tenant.slug)
        return real(tenant, months)

    monkeypatch.setattr(rebuild_module.facts, "recompute", counting)
    result = rebuild(years=[YEAR])
    assert first not in resumed and result.skipped == 1 and result.run_id == latest.run_id
    assert set(resumed) == {"koeln", "bonn"} - {first}
    assert _facts(kit.a.tenant)[("children", "03", "", "")] == 7
    assert _facts(kit.b.tenant)[("children", "03", "", "")] == 3
    # the run is finished: the next rebuild begins a new run and does everything again
    resumed.clear()
    assert rebuild(years=[YEAR]).run_id != result.run_id
    assert set(resumed) == {"koeln", "bonn"}


def test_verify_reports_nothing_when_healthy_and_the_drifted_cell_otherwise(kit: Kit) -> None:
    _record(kit.a.tenant, children=7)
    rebuild(years=[YEAR], restart=True)
    assert verify(years=[YEAR]) == []
    ok = CliRunner().invoke(state, ["verify", "--years", str(YEAR)])
    assert ok.exit_code == 0 and "0 Abweichungen" in ok.output

    Fact.objects.filter(
        tenant=kit.a.tenant, indicator__code="families", period=dt.date(YEAR, 3, 1)
    ).update(value=6)
    drifted = CliRunner().invoke(state, ["verify", "--tenant", "koeln", "--years", str(YEAR)])
    assert drifted.exit_code == 1
    assert "koeln griffbereit/families 2026-03 Summe: erwartet 5, gespeichert 6" in drifted.output
    assert "1 Abweichungen" in drifted.output
    # Bonn's facts are not affected by Köln's drift
    assert verify(tenant=kit.b.tenant, years=[YEAR]) == []


def test_verify_finds_missing_and_superfluous_facts(kit: Kit) -> None:
    _record(kit.a.tenant, children=7)
    recompute(kit.a.tenant, months_of(YEAR))
    Fact.objects.filter(tenant=kit.a.tenant, period=dt.date(YEAR, 5, 1)).delete()
    bonn_fact = Fact.objects.filter(tenant=kit.a.tenant).first()
    assert bonn_fact is not None
    bonn_fact.pk, bonn_fact.tenant = None, kit.b.tenant
    bonn_fact.save()  # a figure Bonn never recorded
    drifts = {(d.tenant, d.period.month, d.expected, d.stored) for d in verify(years=[YEAR])}
    assert ("koeln", 5, Decimal(2), None) in drifts
    assert ("bonn", 3, None, bonn_fact.value) in drifts
    assert len(drifts) == 2


def test_the_cli_rebuilds_and_refuses_bad_input(kit: Kit) -> None:
    _record(kit.a.tenant, children=7)
    runner = CliRunner()
    done = runner.invoke(state, ["rebuild", "--tenant", "koeln", "--years", "2026", "--restart"])
    assert done.exit_code == 0, done.output
    assert "✓ koeln 2026: 5 Kennzahlen" in done.output and "1 KI-Jahre berechnet" in done.output
    assert not Fact.objects.filter(tenant=kit.b.tenant).exists()
    unknown = runner.invoke(state, ["rebuild", "--tenant", "atlantis"])
    assert unknown.exit_code == 2 and "atlantis" in unknown.output
    years = runner.invoke(state, ["verify", "--years", "2026-2024"])
    assert years.exit_code == 2 and "2024-2026" in years.output


def test_facts_carry_no_text_from_the_workspace(kit: Kit) -> None:
    _record(kit.a.tenant, children=7)
    recompute(kit.a.tenant, months_of(YEAR))
    for row in Fact.objects.values():
        for value in row.values():
            assert "Yılmaz" not in str(value) and "Geheimtitel" not in str(value)
        assert row["breakdown"] in ("", "gender") and row["value_code"] in (
            "",
            "weiblich",
            "maennlich",
        )
