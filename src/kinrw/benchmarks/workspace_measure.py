"""The workspace benchmark's measurements, in a process with Django set up.

Every request goes through ``django.test.Client`` on the KI's host: the full
Django stack (middleware, tenant resolution, session, views, templates or the
API's renderer, the database), without a network or a WSGI server. That is the
"server time" of the issue's goals. Each URL gets ``warmup`` requests, then
``requests`` timed ones, then one more with its SQL statements counted (not
timed). Used by :mod:`~kinrw.benchmarks.workspace_worker` on the benchmark
database and by the fast test on the test database.
"""

from __future__ import annotations

import math
import re
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext

from kinrw.accounts.models import User
from kinrw.tenancy.context import in_tenant
from kinrw.tenancy.models import Tenant
from kinrw.workspace.models import Measure, MeasureStatus, Organisation, Session

LIST_GOAL_S = 0.150  # "list pages and API lists at p95 ≤ 150 ms server time"
GRID_GOAL_S = 0.500  # "saving a month grid of 50 sessions ≤ 500 ms"
QUERY_WARN = 15  # more SQL statements than this on a list page: suspicious
PROGRAMME = "griffbereit"  # the programme of the filtered lists and the grid's measure


@dataclass
class Probe:
    """One measured line: a URL (or the service), its goal, its timings."""

    key: str
    kind: str  # "html", "api", "grid" or "service"
    path: str
    goal_s: float | None  # None: information only
    times_s: list[float] = field(default_factory=list)
    status: int | None = None
    queries: int | None = None
    note: str = ""
    skipped: bool = False

    def summary(self) -> dict[str, Any]:
        """The JSON of the line: timings, p50/p95/max, factor goal/p95, passed (None: info)."""
        p95 = percentile(self.times_s, 95)
        passed = None
        if self.goal_s is not None and not self.skipped:
            passed = p95 is not None and p95 <= self.goal_s
        return {
            **asdict(self),
            "p50_s": percentile(self.times_s, 50),
            "p95_s": p95,
            "max_s": max(self.times_s, default=None),
            "factor": self.goal_s / p95 if self.goal_s and p95 else None,
            "passed": passed,
            "many_queries": self.queries is not None and self.queries > QUERY_WARN,
        }


def percentile(values: list[float], pct: float) -> float | None:
    """Nearest-rank percentile (p95 of 60 values: the 57th smallest)."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(pct / 100 * len(ordered)) - 1)]


@dataclass
class Subjects:
    """What the URLs point at, looked up in the KI's data before anything is timed."""

    word: str  # a word that occurs in measure titles
    org_word: str  # a word that occurs in organisation names
    org_kind: str
    busy_measure: int  # the measure with the most sessions
    busy_sessions: int
    year: int  # a year with sessions
    measures: int = 0
    sessions: int = 0

    def page(self, wanted: int, rows: int, per_page: int = 50) -> int:
        """``wanted``, or the last API page on a smaller fill (beyond it the API says 404)."""
        return max(1, min(wanted, rows // per_page))


def _common_word(texts: list[str], fallback: str) -> str:
    words = Counter(
        w.lower() for text in texts for w in re.findall(r"[^\W\d_]{5,}", text, flags=re.UNICODE)
    )
    return words.most_common(1)[0][0] if words else fallback


def find_subjects() -> Subjects:
    """In the KI's schema (the caller switches to it)."""
    titles = list(Measure.objects.order_by("pk").values_list("title", flat=True)[:2000])
    orgs = list(Organisation.objects.order_by("pk").values_list("name", "kind")[:500])
    busy = (
        Session.objects.filter(is_deleted=False)
        .values("measure_id")
        .annotate(n=Count("id"))
        .order_by("-n", "measure_id")
        .first()
    )
    if busy is None:
        raise RuntimeError("Die KI hat keine Termine: erst mit Daten füllen.")
    year = Session.objects.filter(measure_id=busy["measure_id"]).order_by("date").first()
    return Subjects(
        word=_common_word(titles, "kurs"),
        org_word=_common_word([name for name, _ in orgs], "verein"),
        org_kind=orgs[0][1] if orgs else "",
        busy_measure=busy["measure_id"],
        busy_sessions=busy["n"],
        year=year.date.year if year else 2025,
        measures=Measure.objects.filter(is_deleted=False).count(),
        sessions=Session.objects.filter(is_deleted=False).count(),
    )


def list_probes(s: Subjects) -> list[Probe]:
    """The HTML lists and API lists of the issue's goal (p95 ≤ 150 ms each)."""
    html = [
        "/massnahmen/",
        "/massnahmen/?seite=500",
        "/massnahmen/?sortierung=titel",
        f"/massnahmen/?q={s.word}",
        f"/massnahmen/?status={MeasureStatus.LAUFEND}&programm={PROGRAMME}",
        "/termine/",
        "/termine/?seite=5000",
        "/partner/",
        "/gremien/",
        "/programme/",
        "/protokoll/",
        f"/massnahmen/{s.busy_measure}/",
        "/",
    ]
    api = [
        "/api/v1/measures/",
        f"/api/v1/measures/?page={s.page(100, s.measures)}",
        f"/api/v1/measures/?status={MeasureStatus.LAUFEND}&programme={PROGRAMME}",
        f"/api/v1/measures/?search={s.word}",
        "/api/v1/sessions/",
        f"/api/v1/sessions/?page={s.page(1000, s.sessions)}",
        f"/api/v1/sessions/?programme={PROGRAMME}&year={s.year}",
        f"/api/v1/sessions/?search={s.word}",
        "/api/v1/organisations/",
        f"/api/v1/organisations/?kind={s.org_kind}",
        f"/api/v1/organisations/?search={s.org_word}",
    ]
    probes = [Probe(key=p, kind="html", path=p, goal_s=LIST_GOAL_S) for p in html]
    probes += [Probe(key=p, kind="api", path=p, goal_s=LIST_GOAL_S) for p in api]
    probes[len(html) - 2].note = f"Maßnahme mit {s.busy_sessions} Terminen"
    return probes


def bench_client(tenant: Tenant, user: User, host: str) -> Client:
    client = Client(HTTP_HOST=host)
    with in_tenant(tenant):
        client.force_login(user)
    return client


def count_queries(call: Callable[[], Any]) -> tuple[Any, int]:
    with CaptureQueriesContext(connection) as captured:
        result = call()
    return result, len(captured.captured_queries)


def time_get(client: Client, probe: Probe, *, warmup: int, requests: int) -> Probe:
    """Warm-up, ``requests`` timed GETs, one counted; a 404 is skipped with a note."""
    response = client.get(probe.path, secure=True)
    probe.status = response.status_code
    if response.status_code == 404:
        probe.skipped = True
        probe.note = "FEHLT: die Seite antwortet 404 – nicht gemessen"
        return probe
    if response.status_code != 200:
        raise RuntimeError(f"{probe.path}: Status {response.status_code} statt 200")
    for _ in range(max(0, warmup - 1)):
        client.get(probe.path, secure=True)
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get(probe.path, secure=True)
        probe.times_s.append(time.perf_counter() - started)
        if response.status_code != 200:
            raise RuntimeError(f"{probe.path}: Status {response.status_code} statt 200")
    _, probe.queries = count_queries(lambda: client.get(probe.path, secure=True))
    return probe
