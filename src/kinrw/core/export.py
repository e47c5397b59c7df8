"""Tabular exports for people who open them in Excel: CSV (German) and XLSX.

CSV: semicolon-separated, UTF-8 with BOM (Excel detects it), dates as
``TT.MM.JJJJ``, decimals with a comma, ``ja``/``nein``. Any text cell that a
spreadsheet would read as a formula (``= + - @``, tab, carriage return) gets a
leading apostrophe (OWASP "CSV injection"). XLSX: typed cells (numbers,
dates), text always stored as text, never as a formula.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from django.utils.text import slugify
from django.utils.translation import gettext as _

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
FORMATS = ("csv", "xlsx")
MAX_XLSX_TEXT = 32_767  # Excel's limit per cell


def safe_text(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_START) else value


def csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("ja") if value else _("nein")
    if isinstance(value, dt.datetime):
        return value.strftime("%d.%m.%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal | float):
        text = format(Decimal(str(value)).normalize(), "f")
        return text.replace(".", ",")
    return safe_text(str(value))


def csv_bytes(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow([safe_text(str(h)) for h in headers])
    for row in rows:
        writer.writerow([csv_cell(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _xlsx_cell(sheet: Any, value: Any) -> Any:
    from openpyxl.cell import WriteOnlyCell

    if isinstance(value, dt.datetime):
        value = value.replace(tzinfo=None)
    if value is None or isinstance(value, bool | int | float | Decimal | dt.date | dt.time):
        cell = WriteOnlyCell(sheet, value=value)
        if isinstance(value, dt.datetime):
            cell.number_format = "DD.MM.YYYY HH:MM"
        elif isinstance(value, dt.date):
            cell.number_format = "DD.MM.YYYY"
        return cell
    cell = WriteOnlyCell(sheet, value=str(value)[:MAX_XLSX_TEXT])
    cell.data_type = "s"  # text stays text, even when it starts with "="
    return cell


def xlsx_bytes(headers: Sequence[str], rows: Iterable[Sequence[Any]], *, title: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=(title or "Export")[:31])
    header_cells = []
    for h in headers:
        cell = _xlsx_cell(sheet, str(h))
        cell.font = Font(bold=True)
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        sheet.append([_xlsx_cell(sheet, v) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def export_response(
    *, fmt: str, name: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]
) -> HttpResponse:
    """A download of the table; ``name`` becomes the file name (with today's date)."""
    stem = f"{slugify(name) or 'export'}-{dt.date.today():%Y-%m-%d}"
    if fmt == "xlsx":
        body = xlsx_bytes(headers, rows, title=name)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    elif fmt == "csv":
        body = csv_bytes(headers, rows)
        content_type = "text/csv; charset=utf-8"
    else:
        raise ValueError(f"unknown export format {fmt!r}")
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{stem}.{fmt}"'
    response["Cache-Control"] = "no-store"
    return response
