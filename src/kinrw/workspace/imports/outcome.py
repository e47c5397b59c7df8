"""The result of checking a file: rows to import (JSON), errors and warnings per row."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _g

from kinrw.catalogue.models import Breakdown
from kinrw.workspace.models import Measure, Session

MAX_PROBLEMS = 1000  # listed per kind; the count says how many there are in all


@dataclass
class Plan:
    rows: list[dict[str, Any]] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[dict[str, Any]] = field(default_factory=list)
    error_count: int = 0

    def error(self, row: int | None, column: str, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_PROBLEMS:
            self.errors.append({"row": row, "column": column, "message": message})
        elif len(self.errors) == MAX_PROBLEMS:
            self.errors.append(
                {"row": None, "column": "", "message": _g("Weitere Fehler werden nicht angezeigt.")}
            )

    def warn(self, row: int | None, column: str, message: str) -> None:
        if len(self.warnings) < MAX_PROBLEMS:
            self.warnings.append({"row": row, "column": column, "message": message})


@dataclass
class Draft:
    """A row that passed the checks of its own cells."""

    row: int
    measure: Measure
    date: dt.date
    starts_at: dt.time | None
    fields: dict[str, Any]
    counts: dict[str, dict[str, Any]]


def fmt(value: Decimal | str) -> str:
    """A number as Germans write it: ``12``, ``2,5``."""
    return format(Decimal(value).normalize(), "f").replace(".", ",")


def summary(
    counts: Mapping[str, Mapping[str, Any]] | None,
    labels: Mapping[str, str],
    breakdowns: Mapping[str, Breakdown],
) -> str:
    """``Kinder 8 (weiblich 5, männlich 3) · Familien 6``."""
    parts = []
    for code, entry in (counts or {}).items():
        text = f"{labels.get(code, code)} {fmt(entry['total'])}"
        cells = []
        for breakdown, by_value in (entry.get("by") or {}).items():
            names = {v["code"]: v["label"] for v in breakdowns[breakdown].values}
            cells += [f"{names.get(v, v)} {fmt(x)}" for v, x in by_value.items()]
        parts.append(f"{text} ({', '.join(cells)})" if cells else text)
    return " · ".join(parts)


def row_json(
    draft: Draft,
    *,
    target: Session | None,
    counts: dict[str, Any] | None,
    before: Mapping[str, Decimal] | None,
    labels: Mapping[str, str],
    breakdowns: Mapping[str, Breakdown],
) -> dict[str, Any]:
    """One row to import; ``counts`` None: the session keeps the counts it has."""
    return {
        "row": draft.row,
        "measure_id": draft.measure.pk,
        "measure": draft.measure.title,
        "date": draft.date.isoformat(),
        "starts_at": draft.starts_at.strftime("%H:%M") if draft.starts_at else None,
        "fields": draft.fields,
        "counts": counts,
        "session_id": target.pk if target else None,
        "summary": summary(counts, labels, breakdowns),
        "before": summary({c: {"total": v} for c, v in (before or {}).items()}, labels, breakdowns),
    }
