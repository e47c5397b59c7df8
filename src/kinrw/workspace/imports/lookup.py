"""What a check of an import reads: measures, catalogue, existing sessions (a few queries)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q
from django.db.models.functions import Lower, Trim

from kinrw.catalogue.models import Breakdown, Indicator
from kinrw.workspace.imports.columns import ProgrammeColumns, programme_columns
from kinrw.workspace.models import Measure, Session, SessionCount


def title_key(title: str) -> str:
    return " ".join(title.split()).lower()


@dataclass
class Measures:
    by_id: dict[int, Measure] = field(default_factory=dict)
    by_title: dict[str, list[Measure]] = field(default_factory=lambda: defaultdict(list))


def measures_for(*, ids: Iterable[int], titles: Iterable[str]) -> Measures:
    """Measures by number (deleted ones too, to say so) and by title (not deleted)."""
    found = Measures()
    ids, titles = set(ids), set(titles)
    if not ids and not titles:
        return found
    queryset = (
        Measure.objects.select_related("programme")
        .annotate(title_key=Lower(Trim("title")))
        .filter(Q(pk__in=ids) | Q(title_key__in=titles, is_deleted=False))
        .order_by("pk")
    )
    for measure in queryset:
        found.by_id[measure.pk] = measure
        if not measure.is_deleted:
            found.by_title[title_key(measure.title)].append(measure)
    return found


@dataclass
class Catalogue:
    indicators: dict[int, dict[str, Indicator]]  # programme id → code → indicator
    breakdowns: dict[str, Breakdown]
    columns: dict[int, ProgrammeColumns]  # programme id → its columns in this file

    def labels(self, programme_id: int) -> dict[str, str]:
        return {code: i.label for code, i in self.indicators.get(programme_id, {}).items()}


def catalogue_for(*, programme_ids: Iterable[int], others: Sequence[tuple[int, str]]) -> Catalogue:
    indicators: dict[int, dict[str, Indicator]] = defaultdict(dict)
    for indicator in Indicator.objects.filter(
        programme_id__in=set(programme_ids), is_active=True
    ).order_by("programme_id", "sort_order", "code"):
        indicators[indicator.programme_id][indicator.code] = indicator
    breakdowns = {b.code: b for b in Breakdown.objects.all()}
    columns = {
        pid: programme_columns(others, list(by_code.values()), breakdowns)
        for pid, by_code in indicators.items()
    }
    return Catalogue(indicators=dict(indicators), breakdowns=breakdowns, columns=columns)


def sessions_on(pairs: Iterable[tuple[int, dt.date]]) -> dict[tuple[int, dt.date], list[Session]]:
    """The sessions (not deleted) of each (measure, day)."""
    pairs = set(pairs)
    found: dict[tuple[int, dt.date], list[Session]] = defaultdict(list)
    if not pairs:
        return found
    measure_ids, dates = {m for m, _ in pairs}, {d for _, d in pairs}
    for session in Session.objects.filter(
        measure_id__in=measure_ids, date__in=dates, is_deleted=False
    ).order_by("starts_at", "pk"):
        if (session.measure_id, session.date) in pairs:
            found[(session.measure_id, session.date)].append(session)
    return found


def totals_of(session_ids: Iterable[int]) -> dict[int, dict[str, Decimal]]:
    """Each session's totals: indicator code → value."""
    found: dict[int, dict[str, Decimal]] = defaultdict(dict)
    rows = (
        SessionCount.objects.filter(session_id__in=set(session_ids), breakdown="")
        .order_by("indicator__sort_order", "indicator__code")
        .values_list("session_id", "indicator__code", "value")
    )
    for session_id, code, value in rows:
        found[session_id][code] = value
    return found
