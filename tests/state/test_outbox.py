"""Outbox (issue 4, part 2): triggers write changed months, the handler makes facts of them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import transaction

from kinrw.catalogue.models import Programme
from kinrw.state import outbox
from kinrw.state.facts import Fact
from kinrw.state.recompute import compute, months_of
from kinrw.tenancy.context import in_tenant
from kinrw.tenancy.models import Tenant
from kinrw.workspace.models import Measure, Outbox, Session
from kinrw.workspace.services import (
    enrolment_create,
    measure_create,
    measure_delete,
    session_delete,
    session_record,
    session_update,
)
from tests.kit import Kit

pytestmark = pytest.mark.django_db

YEAR = 2026
MARCH, APRIL, MAY = (dt.date(YEAR, m, 1) for m in (3, 4, 5))


def _measure(tenant: Tenant) -> Measure:
    with in_tenant(tenant):
        griffbereit = Programme.objects.get(code="griffbereit")
        enrolment_create(actor=None, programme=griffbereit, year=YEAR)
        return measure_create(
            actor=None, title="Eltern-Café", programme=griffbereit, starts_on=dt.date(YEAR, 1, 1)
        )


def _record(measure: Measure, day: dt.date, children: int) -> Session:
    return session_record(
        actor=None, measure=measure, date=day, counts={"children": {"total": children}}
    )


def _pending(tenant: Tenant) -> list[dt.date]:
    """The months waiting, oldest row first; marks them done so the next step starts empty."""
    with in_tenant(tenant):
        rows = Outbox.objects.filter(done_at__isnull=True).order_by("pk")
        months = list(rows.values_list("month", flat=True))
        rows.update(done_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    return months


def _facts(tenant: Tenant) -> dict[tuple[int, dt.date, str, str], Decimal]:
    return {
        (f.indicator_id, f.period, f.breakdown, f.value_code): f.value
        for f in Fact.objects.filter(tenant=tenant)
    }


def test_a_recorded_session_writes_its_month_once(kit: Kit) -> None:
    measure = _measure(kit.a.tenant)
    with in_tenant(kit.a.tenant):
        _pending(kit.a.tenant)
        _record(measure, dt.date(YEAR, 3, 3), 5)  # session insert and count insert
        _record(measure, dt.date(YEAR, 3, 10), 2)
        assert _pending(kit.a.tenant) == [MARCH]  # not a flood: one row while unsent
    assert _pending(kit.b.tenant) == []  # Bonn's outbox knows nothing of Köln


def test_a_rolled_back_change_writes_no_row(kit: Kit) -> None:
    measure = _measure(kit.a.tenant)
    with in_tenant(kit.a.tenant):
        _pending(kit.a.tenant)
        with pytest.raises(RuntimeError), transaction.atomic():
            _record(measure, dt.date(YEAR, 3, 3), 5)
            assert Outbox.objects.filter(done_at__isnull=True).count() == 1  # same transaction
            raise RuntimeError
        assert _pending(kit.a.tenant) == []


def test_months_of_update_delete_and_measure_delete(kit: Kit) -> None:
    measure = _measure(kit.a.tenant)
    with in_tenant(kit.a.tenant):
        session = _record(measure, dt.date(YEAR, 3, 3), 5)
        _record(measure, dt.date(YEAR, 5, 5), 1)
        _pending(kit.a.tenant)

        session_update(actor=None, session=session, date=dt.date(YEAR, 4, 2))
        assert sorted(_pending(kit.a.tenant)) == [MARCH, APRIL]  # moved: both months

        session_update(actor=None, session=session, note="nur eine Notiz")
        assert _pending(kit.a.tenant) == []  # nothing that moves a figure

        session_update(actor=None, session=session, counts={"children": {"total": 9}})
        assert _pending(kit.a.tenant) == [APRIL]  # counts: the month of their session

        Session.objects.filter(pk=session.pk).update(cancelled=True)  # plain SQL counts too
        assert _pending(kit.a.tenant) == [APRIL]
        Session.objects.filter(pk=session.pk).update(cancelled=False)
        _pending(kit.a.tenant)

        session_delete(actor=None, session=session)
        assert _pending(kit.a.tenant) == [APRIL]

        measure_delete(actor=None, measure=measure)
        assert _pending(kit.a.tenant) == [MAY]  # its sessions' months (April's is deleted too)


def test_a_sent_row_does_not_hide_a_later_change(kit: Kit) -> None:
    measure = _measure(kit.a.tenant)
    with in_tenant(kit.a.tenant):
        _record(measure, dt.date(YEAR, 3, 3), 5)
        Outbox.objects.update(sent_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
        _record(measure, dt.date(YEAR, 3, 4), 1)
        assert Outbox.objects.filter(sent_at__isnull=True, done_at__isnull=True).count() == 1


def test_process_makes_the_facts_of_a_fresh_computation_and_a_replay_changes_nothing(
    kit: Kit,
) -> None:
    measure = _measure(kit.a.tenant)
    with in_tenant(kit.a.tenant):
        _record(measure, dt.date(YEAR, 3, 3), 5)
        session = _record(measure, dt.date(YEAR, 5, 5), 2)
        ids = list(Outbox.objects.values_list("pk", flat=True))
    assert outbox.process(kit.a.tenant, ids) == 2
    _, expected = compute(kit.a.tenant, months_of(YEAR))
    assert _facts(kit.a.tenant) == expected and len(expected) == 2
    first = sorted(Fact.objects.filter(tenant=kit.a.tenant).values_list("pk", "value"))

    assert outbox.process(kit.a.tenant, ids) == 0  # done rows are skipped
    with in_tenant(kit.a.tenant):
        Outbox.objects.update(done_at=None)
    outbox.process(kit.a.tenant, ids)  # a replay recomputes: same cells, same values
    assert sorted(Fact.objects.filter(tenant=kit.a.tenant).values_list("pk", "value")) == first

    with in_tenant(kit.a.tenant):
        session_delete(actor=None, session=session)
        ids = list(Outbox.objects.filter(done_at__isnull=True).values_list("pk", flat=True))
    outbox.process(kit.a.tenant, ids)
    assert _facts(kit.a.tenant) == compute(kit.a.tenant, months_of(YEAR))[1]
    assert {period for _, period, _, _ in _facts(kit.a.tenant)} == {MARCH}
    assert not Fact.objects.filter(tenant=kit.b.tenant).exists()


def test_process_ignores_ids_of_another_ki(kit: Kit) -> None:
    measure = _measure(kit.b.tenant)
    with in_tenant(kit.b.tenant):
        _record(measure, dt.date(YEAR, 3, 3), 5)
        ids = list(Outbox.objects.values_list("pk", flat=True))
    outbox.process(kit.a.tenant, ids)  # Köln's rows of those ids do not exist
    assert not Fact.objects.exists()
    with in_tenant(kit.b.tenant):
        assert Outbox.objects.filter(pk__in=ids, done_at__isnull=True).count() == 1


def test_sweep_sends_due_rows_per_ki_and_resends_what_was_not_done(kit: Kit) -> None:
    for tenant in (kit.a.tenant, kit.b.tenant):
        with in_tenant(tenant):
            _record(_measure(tenant), dt.date(YEAR, 3, 3), 5)
    sent: list[tuple[str, list[int]]] = []
    assert outbox.sweep(lambda tenant, ids: sent.append((tenant.slug, ids))) == 2
    assert sorted(slug for slug, _ in sent) == ["bonn", "koeln"]
    sent.clear()
    assert outbox.sweep(lambda tenant, ids: sent.append((tenant.slug, ids))) == 0  # in flight
    with in_tenant(kit.a.tenant):
        Outbox.objects.update(sent_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
        assert outbox.sweep(lambda tenant, ids: sent.append((tenant.slug, ids))) == 1
        assert [slug for slug, _ in sent] == ["koeln"]
        assert list(Outbox.objects.values_list("attempts", flat=True)) == [2]


def test_a_failed_send_leaves_the_rows_due(kit: Kit) -> None:
    with in_tenant(kit.a.tenant):
        _record(_measure(kit.a.tenant), dt.date(YEAR, 3, 3), 5)

    def broken(tenant: Tenant, ids: list[int]) -> None:
        raise ConnectionError("Broker nicht erreichbar")

    with pytest.raises(ConnectionError):
        outbox.sweep(broken)
    assert outbox.due(kit.a.tenant) != []


def test_process_takes_the_kis_other_pending_rows_along_and_a_late_message_is_a_no_op(
    kit: Kit,
) -> None:
    measure = _measure(kit.a.tenant)
    with in_tenant(kit.a.tenant):
        _record(measure, dt.date(YEAR, 3, 3), 5)
        first = list(Outbox.objects.values_list("pk", flat=True))
        _record(measure, dt.date(YEAR, 4, 4), 2)  # a second message would carry this row
        later = list(Outbox.objects.exclude(pk__in=first).values_list("pk", flat=True))
    assert len(first) == 1 and len(later) == 1
    assert outbox.process(kit.a.tenant, first) == 2  # April taken along
    assert {period for _, period, _, _ in _facts(kit.a.tenant)} == {MARCH, APRIL}
    with in_tenant(kit.a.tenant):
        assert not Outbox.objects.filter(done_at__isnull=True).exists()
    assert outbox.process(kit.a.tenant, later) == 0  # the late message finds nothing to do


def test_relay_sends_one_kis_due_rows_and_leaves_the_other_ki_alone(kit: Kit) -> None:
    for tenant in (kit.a.tenant, kit.b.tenant):
        with in_tenant(tenant):
            _record(_measure(tenant), dt.date(YEAR, 3, 3), 5)
    sent: list[tuple[str, list[int]]] = []
    assert outbox.relay(kit.a.tenant, lambda t, ids: sent.append((t.slug, ids))) == 1
    assert [slug for slug, _ in sent] == ["koeln"]
    assert outbox.relay(kit.a.tenant, lambda t, ids: sent.append((t.slug, ids))) == 0  # sent
    assert outbox.due(kit.b.tenant) != []  # Bonn's row still waits for its own relay
