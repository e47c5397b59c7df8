"""Which measure a row means: by its number ("Nr.") or its title ("Maßnahme")."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _g

from kinrw.workspace.imports import values
from kinrw.workspace.imports.layout import Layout
from kinrw.workspace.imports.lookup import Measures, title_key
from kinrw.workspace.imports.outcome import Plan
from kinrw.workspace.models import Measure

SKIP = object()  # a row of sums: not a session
SUM_ROWS = {"summe", "summen", "gesamt", "insgesamt"}
_NUMBER = re.compile(r"(?:nr\.?|#)?\s*(\d{1,18})", re.IGNORECASE)


@dataclass(frozen=True)
class MeasureRef:
    numbers: tuple[int, ...] = ()  # the "Nr." (or a number in the title column)
    title: str = ""
    by_number: bool = False  # the number comes from the "Nr." column
    error: str = ""  # the "Nr." cell is not a number


def _number(cell: Any) -> int | None:
    if isinstance(cell, bool):
        return None
    if isinstance(cell, int) or (isinstance(cell, float) and cell.is_integer()):
        return int(cell)
    match = _NUMBER.fullmatch(values.text(cell))
    return int(match[1]) if match else None


def measure_ref(layout: Layout, cells: list[Any]) -> MeasureRef:
    nr_cell, title = layout.cell(cells, "nr"), values.text(layout.cell(cells, "measure"))
    if not values.empty(nr_cell):
        number = _number(nr_cell)
        if number is None:
            return MeasureRef(
                title=title,
                error=_g(
                    "„%(value)s“ ist keine Nr. einer Maßnahme. Bitte die "
                    "Nr. aus der Maßnahmenliste eintragen oder die Zelle leeren."
                )
                % {"value": values.text(nr_cell)[:40]},
            )
        return MeasureRef(numbers=(number,), title=title, by_number=True)
    number = _number(title) if title else None
    return MeasureRef(numbers=(number,) if number is not None else (), title=title)


def resolve(
    plan: Plan, layout: Layout, row: int, ref: MeasureRef, measures: Measures
) -> Measure | object | None:
    """The measure, None after recording an error, or :data:`SKIP` for a row of sums."""
    nr_column, title_column = layout.name("nr"), layout.name("measure")
    if ref.error:
        plan.error(row, nr_column, ref.error)
        return None
    if not ref.by_number and title_key(ref.title) in SUM_ROWS:
        plan.warn(row, title_column, _g("Summenzeile: wird nicht als Termin importiert."))
        return SKIP
    found = measures.by_id.get(ref.numbers[0]) if ref.numbers else None
    if ref.by_number:
        if found is None:
            plan.error(
                row,
                nr_column,
                _g(
                    "Es gibt keine Maßnahme mit der Nr. %(number)s. Bitte die Nr. in der "
                    "Maßnahmenliste nachsehen."
                )
                % {"number": ref.numbers[0]},
            )
            return None
        if ref.title and title_key(ref.title) != title_key(found.title):
            plan.error(
                row,
                title_column,
                _g(
                    "Nr. %(number)s ist die Maßnahme „%(title)s“, in der Zeile steht "
                    "„%(written)s“. Bitte Nr. oder Titel korrigieren."
                )
                % {"number": found.pk, "title": found.title, "written": ref.title},
            )
            return None
    elif not ref.title:
        plan.error(
            row,
            title_column,
            _g("Die Maßnahme fehlt. Bitte Titel oder Nr. der Maßnahme eintragen."),
        )
        return None
    elif found is None or title_key(ref.title) in measures.by_title:
        same = measures.by_title.get(title_key(ref.title), [])
        if len(same) > 1:
            numbers = ", ".join(str(m.pk) for m in same)
            plan.error(
                row,
                title_column,
                _g(
                    "Mehrere Maßnahmen heißen „%(title)s“ (Nr. %(numbers)s). Bitte eine Spalte "
                    "„Nr.“ mit der Nr. der gemeinten Maßnahme ergänzen."
                )
                % {"title": ref.title, "numbers": numbers},
            )
            return None
        if not same:
            plan.error(
                row,
                title_column,
                _g(
                    "Es gibt keine Maßnahme „%(title)s“. Bitte den Titel genau wie in der "
                    "Maßnahmenliste schreiben oder die Nr. angeben."
                )
                % {"title": ref.title},
            )
            return None
        found = same[0]
    if found.is_deleted:
        plan.error(
            row,
            nr_column if ref.by_number else title_column,
            _g(
                "Die Maßnahme „%(title)s“ ist gelöscht; für sie lassen sich keine Termine "
                "mehr erfassen."
            )
            % {"title": found.title},
        )
        return None
    return found
