"""The rows of the month grid page: built from the sessions (GET) or from the posted form.

Input names: ``zeilen`` (number of rows), per row ``r<i>-id`` (session, empty for a
new one), ``r<i>-datum``, ``r<i>-uhrzeit``, ``r<i>-ausgefallen``, ``r<i>-ehrenamtliche``
and ``r<i>-n<j>`` for the total of the j-th indicator.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from kinrw.catalogue.models import Indicator
from kinrw.workspace.models import Session
from kinrw.workspace.services import GridRow
from kinrw.workspace.services.grid import MAX_ROWS

NEW_ROWS = 5


@dataclass
class Cell:
    name: str  # input name
    key: str  # cell key of the service's errors: field name or indicator code
    column: str  # id of the column header
    value: str
    error: str = ""
    note: str = ""  # e.g. "aufgeschlüsselt"


@dataclass
class Row:
    index: int
    session: Session | None
    date: Cell
    time: Cell
    cancelled: Cell
    volunteers: Cell
    totals: list[Cell]
    error: str = ""  # about the whole row
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def session_id(self) -> int | None:
        return self.session.pk if self.session is not None else self.extra.get("lost_id")

    @property
    def head_id(self) -> str:
        return f"r{self.index}-kopf"

    @property
    def cells(self) -> list[Cell]:
        return [self.date, self.time, self.cancelled, self.volunteers, *self.totals]


def _shown(value: Decimal | None) -> str:
    if value is None:
        return ""
    return format(value.normalize(), "f").replace(".", ",")


def _mark_split(row: Row, by_id: dict[int, str]) -> None:
    """Note the totals of a saved session that have breakdown cells (changed in its form)."""
    if row.session is None:
        return
    split = {by_id.get(c.indicator_id) for c in row.session.counts.all() if c.breakdown}
    for cell in row.totals:
        if cell.key in split:
            cell.note = str(_("aufgeschlüsselt – Summe im Terminformular ändern"))


def _row(i: int, session: Session | None, values: dict[str, str], codes: list[str]) -> Row:
    p = f"r{i}-"
    return Row(
        index=i,
        session=session,
        date=Cell(p + "datum", "date", "col-datum", values.get("date", "")),
        time=Cell(p + "uhrzeit", "starts_at", "col-uhrzeit", values.get("time", "")),
        cancelled=Cell(
            p + "ausgefallen", "cancelled", "col-ausgefallen", values.get("cancelled", "")
        ),
        volunteers=Cell(
            p + "ehrenamtliche",
            "volunteers_present",
            "col-ehrenamtliche",
            values.get("volunteers", ""),
        ),
        totals=[
            Cell(f"{p}n{j}", code, f"col-n{j}", values.get(code, ""))
            for j, code in enumerate(codes)
        ],
    )


def rows_from_sessions(sessions: list[Session], indicators: list[Indicator]) -> list[Row]:
    """The saved month (sessions need their ``counts`` prefetched) and empty rows to add dates."""
    codes = [i.code for i in indicators]
    by_id = {i.pk: i.code for i in indicators}
    rows = []
    for i, s in enumerate(sessions):
        values = {
            "date": s.date.isoformat(),
            "time": s.starts_at.strftime("%H:%M") if s.starts_at else "",
            "cancelled": "1" if s.cancelled else "",
            "volunteers": str(s.volunteers_present),
        }
        for c in s.counts.all():
            code = by_id.get(c.indicator_id)
            if code is not None and not c.breakdown:
                values[code] = _shown(c.value)
        row = _row(i, s, values, codes)
        _mark_split(row, by_id)
        rows.append(row)
    start = len(rows)
    rows += [_row(start + n, None, {}, codes) for n in range(NEW_ROWS)]
    return rows


def rows_from_post(
    post: QueryDict, sessions: list[Session], indicators: list[Indicator]
) -> tuple[list[Row], list[GridRow]]:
    """What was typed (to show again) and the service's rows (same order and index)."""
    codes = [i.code for i in indicators]
    by_id = {i.pk: i.code for i in indicators}
    known = {s.pk: s for s in sessions}
    try:
        count = min(int(post.get("zeilen", "0")), MAX_ROWS)
    except ValueError:
        count = 0
    rows, grid = [], []
    for i in range(max(count, 0)):
        p = f"r{i}-"
        raw_id = post.get(p + "id", "")
        session_id = int(raw_id) if raw_id.isdigit() else None
        values = {
            "date": post.get(p + "datum", ""),
            "time": post.get(p + "uhrzeit", ""),
            "cancelled": "1" if post.get(p + "ausgefallen") else "",
            "volunteers": post.get(p + "ehrenamtliche", ""),
        }
        totals = {code: post.get(f"{p}n{j}", "") for j, code in enumerate(codes)}
        session = known.get(session_id) if session_id is not None else None
        if session is not None:
            values["date"] = session.date.isoformat()
            values["time"] = session.starts_at.strftime("%H:%M") if session.starts_at else ""
        row = _row(i, session, {**values, **totals}, codes)
        _mark_split(row, by_id)
        if session_id is not None and session is None:
            row.extra["lost_id"] = session_id
        rows.append(row)
        grid.append(
            GridRow(
                session_id=session_id,
                date=None if session_id is not None else values["date"],
                starts_at=None if session_id is not None else values["time"],
                cancelled=bool(values["cancelled"]),
                volunteers_present=values["volunteers"],
                totals=totals,
            )
        )
    return rows, grid


def attach_errors(rows: list[Row], errors: dict[int, dict[str, str]]) -> None:
    for row in rows:
        for key, message in errors.get(row.index, {}).items():
            cell = next((c for c in row.cells if c.key == key), None)
            if cell is None:
                row.error = message
            else:
                cell.error = message


def month_bounds(year: int, month: int) -> tuple[dt.date, dt.date]:
    first = dt.date(year, month, 1)
    nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
    return first, nxt - dt.timedelta(days=1)
