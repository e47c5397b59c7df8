"""Find the header row of an imported table and the place of each fixed column."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _g

from kinrw.workspace.imports import values
from kinrw.workspace.imports.columns import FIXED, column_name, fixed_key, letter
from kinrw.workspace.imports.read import Table
from kinrw.workspace.services.errors import WorkspaceError

HEADER_SEARCH_ROWS = 10


@dataclass
class Layout:
    row: int  # number of the header row in the file
    fixed: dict[str, int]  # fixed column key → column index
    headers: dict[int, str]  # column index → header as written
    others: list[tuple[int, str]]  # columns that are not fixed: counts, or unknown

    def name(self, key_or_index: str | int) -> str:
        """A column as reports name it: header and letter (or the template's header)."""
        index = self.fixed.get(key_or_index) if isinstance(key_or_index, str) else key_or_index
        if index is None:
            return FIXED[str(key_or_index)][0]
        return column_name(self.headers.get(index, ""), index)

    def cell(self, cells: list[Any], key: str) -> Any:
        index = self.fixed.get(key)
        return cells[index] if index is not None and index < len(cells) else None


def find_layout(table: Table) -> Layout:
    """The first row (of the first ten) naming ``Datum`` and ``Maßnahme`` or ``Nr.``."""
    for number, cells in table.rows[:HEADER_SEARCH_ROWS]:
        keys = [fixed_key(c) for c in cells]
        if "date" in keys and ("measure" in keys or "nr" in keys):
            return _layout(number, cells, keys)
    first = ", ".join(f"„{values.text(c)}“" for c in table.rows[0][1] if not values.empty(c))
    raise WorkspaceError(
        _g(
            "Die Datei hat keine Kopfzeile mit den Spalten „Datum“ und „Maßnahme“ (oder "
            "„Nr.“). Gefunden wurde: %(found)s. Bitte die Überschriften wie in der "
            "Vorlage schreiben (Vorlage unten herunterladen)."
        )
        % {"found": first[:300] or _g("nichts")},
        field="file",
    )


def _layout(number: int, cells: list[Any], keys: list[str | None]) -> Layout:
    fixed: dict[str, int] = {}
    headers = {i: values.text(c) for i, c in enumerate(cells)}
    others = []
    for index, key in enumerate(keys):
        if key is None:
            others.append((index, headers[index]))
        elif key in fixed:
            raise WorkspaceError(
                _g(
                    "Die Spalte „%(header)s“ steht zweimal in der Kopfzeile (Spalte "
                    "%(first)s und Spalte %(second)s). Bitte eine davon löschen "
                    "oder umbenennen."
                )
                % {"header": FIXED[key][0], "first": letter(fixed[key]), "second": letter(index)},
                field="file",
            )
        else:
            fixed[key] = index
    return Layout(row=number, fixed=fixed, headers=headers, others=others)
