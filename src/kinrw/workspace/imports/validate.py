"""Check every row of an imported table: what would be imported, and line-by-line errors.

Nothing is written here. The result (:class:`Plan`) is plain JSON: the rows to
import (a new session, or an update of the session the measure already has that
day) and the errors and warnings, each with the row number as in the file, the
column (header and letter) and a message saying what to fix (translated when the
file is checked, and stored so).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _g

from kinrw.workspace.imports import values
from kinrw.workspace.imports.columns import ProgrammeColumns
from kinrw.workspace.imports.layout import Layout, find_layout
from kinrw.workspace.imports.lookup import Catalogue, catalogue_for, measures_for, title_key
from kinrw.workspace.imports.measures import SKIP, measure_ref, resolve
from kinrw.workspace.imports.outcome import Draft, Plan, fmt
from kinrw.workspace.imports.read import Table
from kinrw.workspace.imports.targets import plan_targets
from kinrw.workspace.models import Measure
from kinrw.workspace.services.errors import WorkspaceError

PARSERS = {
    "duration_minutes": values.minutes,
    "cancelled": values.yes_no,
    "volunteers_present": values.whole,
    "note": values.note,
}


def plan_import(table: Table) -> Plan:
    """Check the table against the KI's measures, sessions and the programme catalogue."""
    layout = find_layout(table)
    body = [(number, cells) for number, cells in table.rows if number > layout.row]
    if not body:
        raise WorkspaceError(
            _g("Unter der Kopfzeile stehen keine Termine. Bitte je Termin eine Zeile eintragen."),
            field="file",
        )
    refs = {number: measure_ref(layout, cells) for number, cells in body}
    measures = measures_for(
        ids={n for r in refs.values() for n in r.numbers},
        titles={title_key(r.title) for r in refs.values() if r.title},
    )
    catalogue = catalogue_for(
        programme_ids={m.programme_id for m in measures.by_id.values()}, others=layout.others
    )
    plan = Plan()
    rows = _Rows(plan, layout, catalogue)
    drafts = []
    for number, cells in body:
        measure = resolve(plan, layout, number, refs[number], measures)
        if measure is not SKIP:
            draft = rows.draft(number, cells, measure)
            if draft is not None:
                drafts.append(draft)
    rows.header_notes()
    plan_targets(plan, layout, catalogue, drafts)
    return plan


class _Rows:
    def __init__(self, plan: Plan, layout: Layout, catalogue: Catalogue) -> None:
        self.plan, self.layout, self.catalogue = plan, layout, catalogue
        self.filled: set[int] = set()  # other columns with a value in some row
        self.bad_headers: dict[int, str] = {}

    def draft(self, number: int, cells: list[Any], measure: Measure | None) -> Draft | None:
        errors_before = self.plan.error_count
        date = self._value(number, cells, "date", values.date, required=True)
        if measure is not None and date is not None:
            self._check_period(number, measure, date)
        starts_at = self._value(number, cells, "starts_at", values.time)
        fields = {}
        for key, parse in PARSERS.items():
            if key in self.layout.fixed:
                parsed = self._value(number, cells, key, parse)
                if parsed is not None:  # empty: a new session's default, an update keeps it
                    fields[key] = parsed
        counts = self._counts(number, cells, measure) if measure is not None else {}
        if fields.get("cancelled") and counts:
            if any(Decimal(c["total"]) for c in counts.values()):
                self.plan.error(
                    number,
                    self.layout.name("cancelled"),
                    _g(
                        "Der Termin ist als ausgefallen markiert, hat aber Teilnahmezahlen. Bitte "
                        "„nein“ eintragen oder die Zahlen löschen."
                    ),
                )
            counts = {}
        if self.plan.error_count > errors_before or measure is None or date is None:
            return None
        return Draft(number, measure, date, starts_at, fields, counts)

    def _value(
        self, number: int, cells: list[Any], key: str, parse: Any, *, required: bool = False
    ) -> Any:
        cell = self.layout.cell(cells, key)
        if values.empty(cell):
            if required:
                self.plan.error(
                    number,
                    self.layout.name(key),
                    _g("Das Datum fehlt. Bitte das Datum des Termins eintragen (TT.MM.JJJJ)."),
                )
            return None
        try:
            return parse(cell)
        except values.CellError as exc:
            self.plan.error(number, self.layout.name(key), str(exc))
            return None

    def _check_period(self, number: int, measure: Measure, date: dt.date) -> None:
        if date < measure.starts_on or (measure.ends_on is not None and date > measure.ends_on):
            end = measure.ends_on.strftime("%d.%m.%Y") if measure.ends_on else _g("offen")
            self.plan.error(
                number,
                self.layout.name("date"),
                _g(
                    "Der %(date)s liegt außerhalb der Laufzeit der Maßnahme „%(title)s“ "
                    "(%(start)s bis %(end)s). Bitte das Datum prüfen oder die "
                    "Laufzeit der Maßnahme ändern."
                )
                % {
                    "date": f"{date:%d.%m.%Y}",
                    "title": measure.title,
                    "start": f"{measure.starts_on:%d.%m.%Y}",
                    "end": end,
                },
            )

    def _counts(self, number: int, cells: list[Any], measure: Measure) -> dict[str, Any]:
        own = self.catalogue.columns.get(measure.programme_id, ProgrammeColumns())
        indicators = self.catalogue.indicators.get(measure.programme_id, {})
        mine = {c.index for c in own.columns}
        for index, header in self.layout.others:
            if index in mine or index >= len(cells) or values.empty(cells[index]):
                continue
            self.filled.add(index)
            if index in own.problems:
                self.bad_headers[index] = own.problems[index]
            elif any(
                index in {c.index for c in pc.columns} for pc in self.catalogue.columns.values()
            ):
                self.plan.error(
                    number,
                    self.layout.name(index),
                    _g(
                        "Die Maßnahme „%(title)s“ gehört zum Programm "
                        "„%(programme)s“, das „%(header)s“ nicht zählt. Bitte die Zelle "
                        "leeren oder die Maßnahme prüfen."
                    )
                    % {
                        "title": measure.title,
                        "programme": measure.programme.name,
                        "header": header,
                    },
                )
        totals: dict[str, Decimal] = {}
        by: dict[str, dict[str, dict[str, Decimal]]] = defaultdict(lambda: defaultdict(dict))
        where: dict[tuple[str, str], int] = {}
        for col in own.columns:
            cell = cells[col.index] if col.index < len(cells) else None
            if values.empty(cell):
                continue
            self.filled.add(col.index)
            indicator = indicators[col.indicator]
            try:
                value = values.amount(cell, indicator.unit)
            except values.CellError as exc:
                self.plan.error(number, self.layout.name(col.index), f"{indicator.label}: {exc}")
                continue
            if col.breakdown:
                by[col.indicator][col.breakdown][col.value] = value
            else:
                totals[col.indicator] = value
            where.setdefault((col.indicator, col.breakdown), col.index)
        counts: dict[str, Any] = {}
        for code, indicator in indicators.items():
            if code not in totals and code not in by:
                continue
            total = totals.get(code)
            first = None
            for breakdown, cell_values in by.get(code, {}).items():
                label = self.catalogue.breakdowns[breakdown].label
                subtotal = sum(cell_values.values(), Decimal(0))
                if total is None:
                    total, first = subtotal, label
                elif subtotal != total:
                    against = (
                        _g("die nach „%(breakdown)s“ %(total)s")
                        % {"breakdown": first, "total": fmt(total)}
                        if first
                        else _g("die Summe in „%(header)s“ ist %(total)s")
                        % {"header": self.layout.headers[where[(code, "")]], "total": fmt(total)}
                    )
                    self.plan.error(
                        number,
                        self.layout.name(where[(code, breakdown)]),
                        _g(
                            "%(indicator)s: die Aufschlüsselung nach „%(breakdown)s“ ergibt "
                            "%(subtotal)s, %(against)s. Bitte die Zahlen angleichen (wer nicht "
                            "zuzuordnen ist, z. B. unter „keine Angabe“)."
                        )
                        % {
                            "indicator": indicator.label,
                            "breakdown": label,
                            "subtotal": fmt(subtotal),
                            "against": against,
                        },
                    )
            # stored as the database keeps them ("3.00"): an unchanged value stays unchanged
            entry: dict[str, Any] = {"total": str(total)}
            if by.get(code):
                entry["by"] = {b: {v: str(x) for v, x in c.items()} for b, c in by[code].items()}
            counts[code] = entry
        return counts

    def header_notes(self) -> None:
        """Columns that are not imported: an error when they hold values, else a warning."""
        matched = {c.index for pc in self.catalogue.columns.values() for c in pc.columns}
        problems = {i: m for pc in self.catalogue.columns.values() for i, m in pc.problems.items()}
        for index, header in self.layout.others:
            name = self.layout.name(index)
            if index in self.bad_headers:
                self.plan.error(self.layout.row, name, self.bad_headers[index])
            elif index in problems and index not in matched:
                self.plan.warn(self.layout.row, name, problems[index])
            elif index not in matched and (header or index in self.filled):
                self.plan.warn(
                    self.layout.row,
                    name,
                    _g(
                        "Diese Spalte passt zu keiner Zahl der Programme in dieser Datei und wird "
                        "nicht importiert. Soll sie Zahlen enthalten: Überschrift wie in der "
                        "Vorlage schreiben."
                    ),
                )
