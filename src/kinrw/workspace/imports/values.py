"""Cell values of an imported file: German dates, times, numbers and yes/no, or an error.

Cells come as text (CSV, or text cells in Excel) or typed (Excel numbers, dates,
times). Text that looks like a formula (``=SUM(A1)``) is only ever text here: it
is not a number, and a note keeps it as written.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _g

from kinrw.workspace.services.sessions import WHOLE_UNITS

NOTE_MAX = 300
_YES = {"ja", "j", "x", "1", "wahr", "true", "yes", "ausgefallen"}
_NO = {"nein", "n", "0", "falsch", "false", "no", "-", "–"}
_GERMAN_THOUSANDS = re.compile(r"^\d{1,3}(\.\d{3})+(,\d+)?$")
_EXCEL_EPOCH = dt.date(1899, 12, 30)


class CellError(ValueError):
    """The cell's value can't be used; the message (translated) says what to write instead."""


def empty(cell: Any) -> bool:
    return cell is None or (isinstance(cell, str) and cell.strip() == "")


def text(cell: Any) -> str:
    if empty(cell):
        return ""
    if isinstance(cell, dt.datetime):
        return cell.strftime("%d.%m.%Y %H:%M")
    if isinstance(cell, dt.date):
        return cell.strftime("%d.%m.%Y")
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return " ".join(str(cell).split())


def _shown(cell: Any) -> str:
    value = text(cell)
    return value if len(value) <= 40 else value[:39] + "…"


def date(cell: Any) -> dt.date:
    if isinstance(cell, dt.datetime):
        return cell.date()
    if isinstance(cell, dt.date):
        return cell
    if isinstance(cell, int | float) and not isinstance(cell, bool) and 36_526 <= cell < 73_051:
        return _EXCEL_EPOCH + dt.timedelta(days=int(cell))  # an Excel date without date format
    raw = text(cell)
    german = re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4}|\d{2})(?: \d{1,2}:\d{2}(?::\d{2})?)?", raw)
    iso = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})(?:[ T][\d:.]+)?", raw)
    try:
        if german:
            year = int(german[3]) + (2000 if len(german[3]) == 2 else 0)
            value = dt.date(year, int(german[2]), int(german[1]))
        elif iso:
            value = dt.date(int(iso[1]), int(iso[2]), int(iso[3]))
        else:
            value = None
    except ValueError:
        value = None  # 31.02.2026
    if value is None or not 2000 <= value.year <= 2099:
        raise CellError(
            _g(
                "„%(value)s“ ist kein gültiges Datum. Bitte als TT.MM.JJJJ eintragen, "
                "z. B. 12.01.2026."
            )
            % {"value": _shown(cell)}
        )
    return value


def time(cell: Any) -> dt.time:
    if isinstance(cell, dt.datetime):
        return cell.time().replace(second=0, microsecond=0)
    if isinstance(cell, dt.time):
        return cell.replace(second=0, microsecond=0)
    if isinstance(cell, float) and 0 <= cell < 1:  # Excel stores times as parts of a day
        minutes = round(cell * 24 * 60)
        return dt.time(minutes // 60 % 24, minutes % 60)
    raw = text(cell).lower().removesuffix("uhr").strip()
    match = re.fullmatch(r"(\d{1,2})(?:[:.](\d{2}))?(?::\d{2})?", raw)
    if match and int(match[1]) < 24 and int(match[2] or 0) < 60:
        return dt.time(int(match[1]), int(match[2] or 0))
    raise CellError(
        _g("„%(value)s“ ist keine Uhrzeit. Bitte als HH:MM eintragen, z. B. 09:30.")
        % {"value": _shown(cell)}
    )


def _not_a_number(cell: Any) -> str:
    return _g("„%(value)s“ ist keine Zahl. Bitte eine Zahl eintragen, z. B. 12.") % {
        "value": _shown(cell)
    }


def decimal(cell: Any) -> Decimal:
    """A non-negative number (German ``1.234,5`` or ``12,5`` as well as ``12.5``)."""
    if isinstance(cell, bool):
        raise CellError(_not_a_number(cell))
    if isinstance(cell, int | float | Decimal):
        value = Decimal(repr(cell)) if isinstance(cell, float) else Decimal(cell)
    else:
        raw = text(cell).replace(" ", "").replace("\u00a0", "")
        if _GERMAN_THOUSANDS.match(raw):
            raw = raw.replace(".", "")
        raw = raw.replace(",", ".")
        try:
            value = Decimal(raw)
        except InvalidOperation:
            raise CellError(
                _g(
                    "„%(value)s“ ist keine Zahl. Bitte nur eine Zahl eintragen, z. B. 12 "
                    "(ohne Text, ohne Formel)."
                )
                % {"value": _shown(cell)}
            ) from None
    if not value.is_finite():
        raise CellError(_not_a_number(cell))
    if value < 0:
        raise CellError(
            _g("%(value)s ist negativ. Bitte 0 oder eine positive Zahl eintragen.")
            % {"value": _shown(cell)}
        )
    rounded = value.quantize(Decimal("0.01"))
    if abs(value - rounded) > Decimal("1e-9"):
        raise CellError(
            _g("%(value)s hat zu viele Nachkommastellen; höchstens zwei sind erlaubt.")
            % {"value": _shown(cell)}
        )
    if rounded >= Decimal("1e10"):
        raise CellError(
            _g("%(value)s ist zu groß. Bitte den Wert prüfen.") % {"value": _shown(cell)}
        )
    return rounded


def amount(cell: Any, unit: str) -> Decimal:
    """A value of an indicator: whole numbers for persons, groups and the like."""
    value = decimal(cell)
    if unit in WHOLE_UNITS and value != value.to_integral_value():
        raise CellError(
            _g("%(value)s: hier zählen nur ganze Zahlen, z. B. 12.") % {"value": _shown(cell)}
        )
    return value


def whole(cell: Any, *, positive: bool = False) -> int:
    value = decimal(cell)
    if value != value.to_integral_value():
        raise CellError(
            _g("%(value)s: bitte eine ganze Zahl eintragen, z. B. 3.") % {"value": _shown(cell)}
        )
    if positive and value == 0:
        raise CellError(_g("Bitte eine Zahl größer als 0 eintragen oder die Zelle leer lassen."))
    return int(value)


def minutes(cell: Any) -> int:
    """Minutes; ``1:30`` (or an Excel time) is read as one and a half hours."""
    if isinstance(cell, dt.time):
        value = cell.hour * 60 + cell.minute
    elif isinstance(cell, str) and re.fullmatch(r"\s*\d{1,2}:\d{2}\s*", cell):
        hours, mins = cell.strip().split(":")
        value = int(hours) * 60 + int(mins)
    else:
        value = whole(
            re.sub(r"\s*min(uten)?\.?\s*$", "", cell, flags=re.I) if isinstance(cell, str) else cell
        )
    if value <= 0:
        raise CellError(
            _g("Die Dauer muss größer als 0 sein (in Minuten, z. B. 90); oder leer lassen.")
        )
    return value


def yes_no(cell: Any) -> bool:
    if empty(cell):
        return False
    if isinstance(cell, bool):
        return cell
    raw = text(cell).lower()
    if raw in _YES:
        return True
    if raw in _NO:
        return False
    raise CellError(
        _g("„%(value)s“ ist weder ja noch nein. Bitte „ja“ oder „nein“ eintragen.")
        % {"value": _shown(cell)}
    )


def note(cell: Any) -> str:
    value = "" if empty(cell) else str(cell).strip()
    if len(value) > NOTE_MAX:
        raise CellError(
            _g("Die Notiz hat %(length)s Zeichen; höchstens %(max)s sind erlaubt. Bitte kürzen.")
            % {"length": len(value), "max": NOTE_MAX}
        )
    return value
