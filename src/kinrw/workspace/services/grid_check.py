"""Checking the rows of the month grid against the month's sessions and counts.

:class:`Checker` loads what it needs in a fixed number of queries (indicators,
sessions of the month, their counts) and turns each row into a :class:`Plan` of
what changes, or into messages per cell (translated).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.dates import MONTHS
from django.utils.translation import gettext as _g

from kinrw.catalogue.models import Indicator
from kinrw.workspace.models import Measure, Session, SessionCount
from kinrw.workspace.services.grid_cells import (
    GridRow,
    blank,
    cell_date,
    cell_time,
    cell_value,
    cell_volunteers,
    plain,
)


def is_empty_row(row: GridRow) -> bool:
    return (
        row.session_id is None
        and blank(row.date)
        and blank(row.starts_at)
        and not row.cancelled
        and (blank(row.volunteers_present) or str(row.volunteers_present).strip() == "0")
        and all(blank(v) for v in row.totals.values())
    )


@dataclass
class Plan:
    session: Session
    is_new: bool
    changes: dict[str, list[Any]]
    totals: dict[str, Decimal | None]  # changed totals: code -> new value (None: removed)


class Checker:
    """Validates the rows against the month's sessions and counts (already loaded)."""

    def __init__(self, measure: Measure, year: int, month: int) -> None:
        self.measure, self.year, self.month = measure, year, month
        self.indicators = {
            i.code: i
            for i in Indicator.objects.filter(programme_id=measure.programme_id, is_active=True)
        }
        by_id = {i.pk: i.code for i in self.indicators.values()}
        self.sessions = {
            s.pk: s
            for s in Session.objects.filter(
                measure=measure, is_deleted=False, date__year=year, date__month=month
            )
        }
        self.totals: dict[int, dict[str, SessionCount]] = {pk: {} for pk in self.sessions}
        self.cells: dict[int, set[str]] = {pk: set() for pk in self.sessions}
        for count in SessionCount.objects.filter(session_id__in=list(self.sessions)):
            code = by_id.get(count.indicator_id)
            if code is None:
                continue  # an indicator no longer asked for: left as it is
            if count.breakdown:
                self.cells[count.session_id].add(code)
            else:
                self.totals[count.session_id][code] = count
        self.slots = {(s.date, s.starts_at) for s in self.sessions.values()}
        self.seen: set[int] = set()

    def check(self, row: GridRow, errors: dict[str, str]) -> Plan | None:
        if row.session_id is not None:
            session = self.sessions.get(row.session_id)
            if session is None or row.session_id in self.seen:
                errors["session"] = _g(
                    "Diesen Termin gibt es in diesem Monat der Maßnahme nicht (mehr); "
                    "bitte die Seite neu laden."
                )
                return None
            self.seen.add(row.session_id)
            old_totals = {c: n.value for c, n in self.totals[session.pk].items()}
            plan = Plan(session=session, is_new=False, changes={}, totals={})
        else:
            # on a bad date or time the row's other cells are still checked
            session = self._new_session(row, errors) or Session(measure=self.measure)
            old_totals = {}
            plan = Plan(session=session, is_new=True, changes={}, totals={})
        volunteers, cancelled = session.volunteers_present, session.cancelled
        if row.cancelled is not None:
            cancelled = bool(row.cancelled)
        if row.volunteers_present is not None:
            try:
                volunteers = cell_volunteers(row.volunteers_present)
            except ValueError as exc:
                errors["volunteers_present"] = str(exc)
        new_totals = dict(old_totals)
        for code, raw in row.totals.items():
            indicator = self.indicators.get(code)
            if indicator is None:
                errors[code] = _g(
                    "„%(code)s“ ist kein Indikator des Programms dieser Maßnahme."
                ) % {"code": code}
                continue
            if blank(raw):
                new_totals.pop(code, None)
                continue
            try:
                new_totals[code] = cell_value(raw, indicator)
            except ValueError as exc:
                errors[code] = str(exc)
        if cancelled and new_totals:
            errors["cancelled"] = _g(
                "Ein ausgefallener Termin hat keine Teilnahmezahlen; bitte die Zahlen leeren "
                "oder „ausgefallen“ abwählen."
            )
        for code in set(old_totals) | set(new_totals):
            if old_totals.get(code) == new_totals.get(code):
                continue
            plan.totals[code] = new_totals.get(code)
            if not plan.is_new and code in self.cells[session.pk] and code not in errors:
                errors[code] = _g(
                    "Dieser Wert ist im Terminformular aufgeschlüsselt "
                    "(bisher %(value)s); bitte Summe und Aufschlüsselung "
                    "dort gemeinsam ändern."
                ) % {"value": plain(old_totals.get(code))}
        if errors:
            return None
        if plan.is_new:
            session.cancelled, session.volunteers_present = cancelled, volunteers
            return plan
        for name, new in (("cancelled", cancelled), ("volunteers_present", volunteers)):
            if getattr(session, name) != new:
                plan.changes[name] = [getattr(session, name), new]
                setattr(session, name, new)
        if plan.totals:
            plan.changes["counts"] = [
                {c: plain(old_totals.get(c)) for c in sorted(plan.totals)},
                {c: plain(v) for c, v in sorted(plan.totals.items())},
            ]
        return plan if plan.changes else None

    def _new_session(self, row: GridRow, errors: dict[str, str]) -> Session | None:
        if blank(row.date):
            errors["date"] = _g("Bitte das Datum des neuen Termins eingeben.")
            return None
        try:
            date = cell_date(row.date)
        except ValueError as exc:
            errors["date"] = str(exc)
            return None
        try:
            starts_at = cell_time(row.starts_at)
        except ValueError as exc:
            errors["starts_at"] = str(exc)
            return None
        m = self.measure
        if (date.year, date.month) != (self.year, self.month):
            errors["date"] = _g(
                "Der %(date)s liegt nicht im %(month)s %(year)s; "
                "bitte den Termin im passenden Monat eintragen."
            ) % {"date": f"{date:%d.%m.%Y}", "month": MONTHS[self.month], "year": self.year}
        elif date < m.starts_on or (m.ends_on is not None and date > m.ends_on):
            until = m.ends_on.strftime("%d.%m.%Y") if m.ends_on else _g("offen")
            errors["date"] = _g(
                "Der %(date)s liegt außerhalb der Laufzeit der Maßnahme (%(start)s bis %(end)s)."
            ) % {"date": f"{date:%d.%m.%Y}", "start": f"{m.starts_on:%d.%m.%Y}", "end": until}
        elif (date, starts_at) in self.slots:
            errors["date"] = _g(
                "Zu diesem Datum und dieser Uhrzeit gibt es schon einen Termin; "
                "bitte dessen Zeile ausfüllen."
            )
        if errors:
            return None
        self.slots.add((date, starts_at))
        return Session(measure=m, date=date, starts_at=starts_at)
