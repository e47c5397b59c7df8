"""The outbox relay: a KI's rows leave right after their commit, on a notification.

The relay runs here in a thread of the test process against the committed test
database (a notification is delivered only when the writing transaction commits).
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable, Iterator

import pytest
from django.db import transaction

from kinrw.catalogue.models import Programme
from kinrw.state.relay import Relay
from kinrw.tenancy import onboarding, registry
from kinrw.tenancy.context import in_tenant
from kinrw.tenancy.models import Tenant
from kinrw.workspace.models import Measure, Outbox
from kinrw.workspace.services import enrolment_create, measure_create, session_record
from tests.kit import KIT_SLUGS, Kit

pytestmark = pytest.mark.slow

YEAR = 2026


def _wait_for(check: Callable[[], bool], what: str, seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, f"nach {seconds} s nicht erreicht: {what}"
        time.sleep(0.05)


class Sent:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.messages: list[tuple[str, list[int]]] = []

    def __call__(self, tenant: Tenant, ids: list[int]) -> None:
        with self.lock:
            self.messages.append((tenant.slug, list(ids)))

    def slugs(self) -> list[str]:
        with self.lock:
            return [slug for slug, _ in self.messages]


@pytest.fixture
def two(committed: Kit) -> tuple[Tenant, Tenant]:
    """Two KIs onboarded for the test (removed with everything in them afterwards)."""
    taken = set(Tenant.objects.values_list("slug", flat=True)) | set(KIT_SLUGS)
    entries = [e for e in registry.load() if e.slug not in taken][:2]
    first, second = (onboarding.tenant_create(entry=e).tenant for e in entries)
    return first, second


@pytest.fixture
def relay(committed: Kit) -> Iterator[tuple[Relay, Sent]]:
    sent = Sent()
    relay = Relay(sent)
    thread = relay.start()
    try:
        assert relay.listening.wait(10), "der Relay hört nicht zu"
        yield relay, sent
    finally:
        relay.stop.set()
        thread.join(10)


def _measure(tenant: Tenant, title: str) -> Measure:
    with in_tenant(tenant):
        griffbereit = Programme.objects.get(code="griffbereit")
        enrolment_create(actor=None, programme=griffbereit, year=YEAR)
        return measure_create(
            actor=None, title=title, programme=griffbereit, starts_on=dt.date(YEAR, 1, 1)
        )


def _record(tenant: Tenant, measure: Measure, day: dt.date) -> None:
    with in_tenant(tenant):
        session_record(actor=None, measure=measure, date=day, counts={"children": {"total": 4}})


def test_a_commit_is_relayed_at_once_for_its_own_ki_only(
    two: tuple[Tenant, Tenant], relay: tuple[Relay, Sent]
) -> None:
    _, sent = relay
    a, _b = two
    measure = _measure(a, "Relay sofort")
    _record(a, measure, dt.date(YEAR, 6, 2))
    _wait_for(lambda: sent.slugs() == [a.slug], "die KI gesendet")
    with in_tenant(a):
        pending = set(Outbox.objects.filter(done_at__isnull=True).values_list("pk", flat=True))
        assert set(sent.messages[0][1]) == pending  # exactly the KI's due rows, marked sent
        assert not Outbox.objects.filter(pk__in=pending, sent_at__isnull=True).exists()
    time.sleep(0.5)
    assert sent.slugs() == [a.slug]  # nothing for the other KI, nothing twice


def test_a_rolled_back_change_sends_nothing(
    two: tuple[Tenant, Tenant], relay: tuple[Relay, Sent]
) -> None:
    _, sent = relay
    _a, b = two
    measure = _measure(b, "Relay zurückgerollt")

    class Undo(Exception):
        pass

    with pytest.raises(Undo), transaction.atomic():
        _record(b, measure, dt.date(YEAR, 6, 3))
        raise Undo
    time.sleep(1.0)
    assert sent.slugs() == []
    _record(b, measure, dt.date(YEAR, 6, 4))  # the relay still listens
    _wait_for(lambda: sent.slugs() == [b.slug], "die KI gesendet")


def test_a_failing_send_leaves_the_rows_to_the_sweep(two: tuple[Tenant, Tenant]) -> None:
    def broken(tenant: Tenant, ids: list[int]) -> None:
        raise ConnectionError("Broker nicht erreichbar")

    relay = Relay(broken)
    a, _b = two
    measure = _measure(a, "Relay Broker weg")
    _record(a, measure, dt.date(YEAR, 6, 5))
    assert relay.relay([a.schema_name, "ki_gibt_es_nicht"]) == 0
    with in_tenant(a):  # unmarked again: the next sweep sends them
        assert Outbox.objects.filter(done_at__isnull=True, sent_at__isnull=True).exists()


def test_the_beat_process_starts_one_relay_although_both_beat_signals_come(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from celery.signals import beat_embedded_init, beat_init

    from kinrw.conf import celery as celery_conf

    started: list[object] = []

    class Counting:
        def __init__(self, send: object) -> None:
            started.append(send)

        def start(self) -> None:
            pass

    monkeypatch.setattr("kinrw.state.relay.Relay", Counting)
    monkeypatch.setattr(celery_conf, "_relay_started", set())
    beat_init.send(sender=None)  # an embedded beat (worker -B) sends both
    beat_embedded_init.send(sender=None)
    assert len(started) == 1
    monkeypatch.setenv("KINRW_OUTBOX_RELAY", "0")
    monkeypatch.setattr(celery_conf, "_relay_started", set())
    beat_init.send(sender=None)
    assert len(started) == 1  # switched off
