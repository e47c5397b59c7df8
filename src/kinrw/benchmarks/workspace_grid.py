"""The workspace benchmark's month grid: 50 sessions of one month saved in one go.

A measure of its own (removed again at the start of the next run) gets 50
sessions in one month, three a day at different times. Then the grid page
``/massnahmen/<pk>/monat/<year>/<month>/`` is posted with every row's totals
changed, alternating between two sets of values; each save must answer 302
and leave exactly the posted values in the database (checked outside the
clock). The service :func:`~kinrw.workspace.services.sessions_save_month` is
timed on its own as well (information).
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlencode

from django.http import HttpResponse
from django.test import Client
from django.utils import timezone

from kinrw.accounts.models import User
from kinrw.benchmarks.workspace_measure import GRID_GOAL_S, PROGRAMME, Probe, count_queries
from kinrw.catalogue.models import Indicator, Programme
from kinrw.tenancy.context import in_tenant
from kinrw.tenancy.models import Tenant
from kinrw.workspace import services
from kinrw.workspace.models import Measure, MeasureStatus, Session, SessionCount
from kinrw.workspace.selectors import programme_indicators
from kinrw.workspace.services import GridRow

GRID_TITLE = "Benchmark: Monatsraster mit 50 Terminen"
SESSIONS = 50
TIMES = (dt.time(9, 0), dt.time(13, 30), dt.time(17, 0))  # three sessions a day
EMPTY_ROWS = 5  # the page offers five empty rows for new sessions; a browser posts them too


@dataclass
class GridSubject:
    measure: Measure
    year: int
    month: int
    indicators: list[Indicator]
    session_ids: list[int]  # in the page's order (date, time, id)

    @property
    def path(self) -> str:
        return f"/massnahmen/{self.measure.pk}/monat/{self.year}/{self.month}/"


def _month() -> tuple[int, int]:
    """Last month: a month that has passed, as most grids people fill in."""
    first = timezone.localdate().replace(day=1) - dt.timedelta(days=1)
    return first.year, first.month


def remove_previous() -> None:
    """The grid measure of an earlier run (``--reuse-db``), with its sessions and counts."""
    measures = Measure.objects.filter(title=GRID_TITLE)
    sessions = Session.objects.filter(measure__in=measures)
    SessionCount.objects.filter(session__in=sessions).delete()
    sessions.delete()
    measures.delete()


def values(subject: GridSubject, variant: int) -> dict[tuple[int, str], Decimal]:
    """{(session id, indicator code): total} of one of two alternating variants."""
    base = 10 if variant % 2 == 0 else 20
    return {
        (sid, ind.code): Decimal(base + (row + col) % 7)
        for row, sid in enumerate(subject.session_ids)
        for col, ind in enumerate(subject.indicators)
    }


def grid_create(user: User) -> GridSubject:
    """The measure and its 50 sessions (with totals), through the services (in the KI)."""
    remove_previous()
    year, month = _month()
    first = dt.date(year, month, 1)
    programme = Programme.objects.get(code=PROGRAMME)
    measure = services.measure_create(
        actor=user,
        title=GRID_TITLE,
        programme=programme,
        starts_on=first,
        ends_on=first + dt.timedelta(days=27),
        status=MeasureStatus.LAUFEND,
    )
    indicators = programme_indicators(programme=programme)
    rows = [
        GridRow(
            date=first + dt.timedelta(days=n // len(TIMES)),
            starts_at=TIMES[n % len(TIMES)],
            totals={i.code: "1" for i in indicators},
        )
        for n in range(SESSIONS)
    ]
    services.sessions_save_month(actor=user, measure=measure, year=year, month=month, rows=rows)
    ids = list(
        Session.objects.filter(measure=measure)
        .order_by("date", "starts_at", "pk")
        .values_list("pk", flat=True)
    )
    return GridSubject(measure, year, month, indicators, ids)


def form_data(subject: GridSubject, variant: int) -> dict[str, str]:
    """The posted form as the page sends it (names from ``web/grid_rows.py``)."""
    wanted = values(subject, variant)
    data = {"zeilen": str(len(subject.session_ids) + EMPTY_ROWS)}
    for i, sid in enumerate(subject.session_ids):
        data[f"r{i}-id"] = str(sid)
        data[f"r{i}-ehrenamtliche"] = "0"
        for j, ind in enumerate(subject.indicators):
            data[f"r{i}-n{j}"] = str(wanted[(sid, ind.code)])
    for i in range(len(subject.session_ids), len(subject.session_ids) + EMPTY_ROWS):
        for name in ("id", "datum", "uhrzeit", "ehrenamtliche"):
            data[f"r{i}-{name}"] = ""
        for j in range(len(subject.indicators)):
            data[f"r{i}-n{j}"] = ""
    return data


def post(client: Client, subject: GridSubject, variant: int) -> HttpResponse:
    """As a browser sends the page's form (no file field: urlencoded, not multipart)."""
    return client.post(
        subject.path,
        urlencode(form_data(subject, variant)),
        content_type="application/x-www-form-urlencoded",
        secure=True,
    )


def saved(subject: GridSubject) -> dict[tuple[int, str], Decimal]:
    codes = {i.pk: i.code for i in subject.indicators}
    counts = SessionCount.objects.filter(session_id__in=subject.session_ids, breakdown="")
    return {(c.session_id, codes[c.indicator_id]): c.value for c in counts}


def check_saved(subject: GridSubject, variant: int) -> None:
    if saved(subject) != values(subject, variant):
        raise RuntimeError(f"{subject.path}: gespeicherte Werte stimmen nicht (Runde {variant})")


def time_grid_page(client: Client, tenant: Tenant, subject: GridSubject, *, rounds: int) -> Probe:
    """POST the grid: one warm-up, ``rounds`` timed, one counted; every save checked.

    Variants 0 … ``rounds`` + 1 are posted; the last one is what the grid holds after.
    """
    probe = Probe(key="grid_post", kind="grid", path=subject.path, goal_s=GRID_GOAL_S)
    probe.note = (
        f"POST: {len(subject.session_ids)} Termine × {len(subject.indicators)} Summen geändert"
    )
    for variant in range(rounds + 2):
        if variant == rounds + 1:  # counted, not timed
            response, probe.queries = count_queries(lambda v=variant: post(client, subject, v))
        else:
            started = time.perf_counter()
            response = post(client, subject, variant)
            if variant:
                probe.times_s.append(time.perf_counter() - started)
        probe.status = response.status_code
        if response.status_code != 302:
            raise RuntimeError(f"{subject.path}: Status {response.status_code} statt 302")
        with in_tenant(tenant):
            check_saved(subject, variant)
    return probe


def time_grid_service(user: User, subject: GridSubject, *, rounds: int, first: int) -> Probe:
    """``sessions_save_month`` alone, ``rounds`` times from variant ``first`` (in the KI)."""
    probe = Probe(key="grid_service", kind="service", path="sessions_save_month()", goal_s=None)
    probe.note = "nur der Dienst, ohne Seite (Information)"
    for variant in range(first, first + rounds):
        wanted = values(subject, variant)
        rows = [
            GridRow(
                session_id=sid,
                totals={i.code: str(wanted[(sid, i.code)]) for i in subject.indicators},
            )
            for sid in subject.session_ids
        ]
        started = time.perf_counter()
        services.sessions_save_month(
            actor=user, measure=subject.measure, year=subject.year, month=subject.month, rows=rows
        )
        probe.times_s.append(time.perf_counter() - started)
        check_saved(subject, variant)
    return probe
