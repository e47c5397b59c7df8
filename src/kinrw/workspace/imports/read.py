"""Read an uploaded table (CSV or XLSX) into plain rows, with the row numbers of the file.

CSV: ``;`` or ``,`` as separator (whichever the first line uses more), UTF-8 with
or without BOM, else Windows-1252 (what Excel on Windows writes). XLSX: the first
worksheet, read-only; cells keep their type (numbers, dates, times). A formula is
never evaluated: its last saved result is used, or its text when there is none.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _g

from kinrw.core.export import FORMULA_START
from kinrw.workspace.services.errors import WorkspaceError

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5_000
MAX_UNPACKED = 100 * 1024 * 1024  # an XLSX is a zip: refuse one that unpacks to a flood
EXTENSIONS = (".csv", ".xlsx")


@dataclass
class Table:
    """The cells of a file; ``rows`` pairs each row's number in the file (1 = first) with it."""

    rows: list[tuple[int, list[Any]]]


def _fail(message: str) -> WorkspaceError:
    return WorkspaceError(message, field="file")


def read_table(*, file_name: str, data: bytes) -> Table:
    """The non-empty rows of the file; a :class:`WorkspaceError` when it can't be read."""
    name = file_name.lower()
    if not name.endswith(EXTENSIONS):
        raise _fail(
            _g(
                "Bitte eine CSV- oder Excel-Datei (.csv oder .xlsx) hochladen. Ältere "
                "Excel-Dateien (.xls) bitte in Excel unter „Speichern unter“ als .xlsx speichern."
            )
        )
    if len(data) > MAX_BYTES:
        raise _fail(
            _g(
                "Die Datei ist zu groß (%(size)s MB). Erlaubt sind höchstens "
                "5 MB; bitte die Datei aufteilen."
            )
            % {"size": f"{len(data) / 1024 / 1024:.1f}"}
        )
    if not data.strip():
        raise _fail(
            _g("Die Datei ist leer. Bitte eine Datei mit einer Kopfzeile und Terminen wählen.")
        )
    rows = _read_xlsx(data) if name.endswith(".xlsx") else _read_csv(data)
    filled = [(number, cells) for number, cells in rows if any(_filled(c) for c in cells)]
    if len(filled) > MAX_ROWS + 1:  # + the header row
        raise _fail(
            _g(
                "Die Datei hat %(rows)s Zeilen. Erlaubt sind höchstens %(max)s Zeilen "
                "je Import; bitte die Datei aufteilen (z. B. nach Monaten)."
            )
            % {"rows": len(filled) - 1, "max": MAX_ROWS}
        )
    if not filled:
        raise _fail(
            _g("Die Datei enthält keine Zeilen. Bitte eine Kopfzeile und Termine eintragen.")
        )
    return Table(rows=filled)


def _filled(cell: Any) -> bool:
    return cell is not None and (not isinstance(cell, str) or cell.strip() != "")


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _delimiter(text: str) -> str:
    first = next((line for line in text.splitlines() if line.strip()), "")
    return "," if first.count(",") > first.count(";") else ";"


def _unquote(text: str) -> str:
    """Undo the apostrophe our exports put before formula-like text (``'=…`` → ``=…``)."""
    if text.startswith("'") and text[1:].startswith(FORMULA_START):
        return text[1:]
    return text


def _read_csv(data: bytes) -> list[tuple[int, list[Any]]]:
    if b"\x00" in data[:4096]:
        raise _fail(
            _g(
                "Die Datei ist keine lesbare CSV-Datei. Bitte in Excel „Speichern unter“ → "
                "„CSV UTF-8 (durch Trennzeichen getrennt)“ wählen oder als .xlsx hochladen."
            )
        )
    text = _decode(data)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    try:
        return [(i, [_unquote(c) for c in cells]) for i, cells in enumerate(reader, start=1)]
    except csv.Error:
        raise _fail(
            _g(
                "Die CSV-Datei ist beschädigt (z. B. ein nicht geschlossenes "
                "Anführungszeichen). Bitte die Datei in Excel öffnen, prüfen und erneut "
                "speichern."
            )
        ) from None


def _sheet_rows(data: bytes, *, data_only: bool) -> list[tuple[int, list[Any]]]:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data), read_only=True, data_only=data_only)
    try:
        sheet = book.worksheets[0]
        rows = []
        for i, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
            rows.append((i, list(cells)))
            if i > MAX_ROWS * 3:  # many empty rows are fine, an endless sheet is not
                break
        return rows
    finally:
        book.close()


def _unpacked_size(data: bytes) -> int:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:  # a member never yields more than this
        return sum(member.file_size for member in archive.infolist())


def _read_xlsx(data: bytes) -> list[tuple[int, list[Any]]]:
    try:
        if _unpacked_size(data) > MAX_UNPACKED:
            raise _fail(
                _g(
                    "Die Excel-Datei ist entpackt zu groß. Bitte nur die Tabelle mit den "
                    "Terminen speichern (ohne Bilder und weitere Blätter) oder die Datei "
                    "aufteilen."
                )
            )
        rows = _sheet_rows(data, data_only=False)
        formulas = {
            (r, c)
            for r, cells in rows
            for c, v in enumerate(cells)
            if isinstance(v, str) and v.startswith("=")
        }
        if formulas:  # use the results Excel saved with the file, never evaluate ourselves
            saved = dict(_sheet_rows(data, data_only=True))
            for r, c in formulas:
                result = saved.get(r, [])[c] if c < len(saved.get(r, [])) else None
                if result is not None:
                    rows[r - 1][1][c] = result
    except WorkspaceError:
        raise
    except Exception:  # any damage in an untrusted file: one answer
        raise _fail(
            _g(
                "Die Excel-Datei lässt sich nicht lesen. Bitte in Excel öffnen und als "
                "„Excel-Arbeitsmappe (.xlsx)“ speichern, oder als CSV hochladen."
            )
        ) from None
    return rows
