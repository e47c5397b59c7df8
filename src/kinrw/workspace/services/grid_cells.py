"""A row of the month grid as typed, and reading its cells (numbers, dates, times).

Each ``cell_*`` function raises ``ValueError`` with the message for that cell (translated).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _g

from kinrw.catalogue.models import Indicator
from kinrw.workspace.services.sessions import WHOLE_UNITS


@dataclass
class GridRow:
    """One row of the grid. ``session_id`` None: a new session (then date and time count).

    ``totals`` maps indicator codes to values; ``""`` or None removes a figure, a code
    that is absent leaves it as it is. ``cancelled`` and ``volunteers_present`` None: as
    they are (new sessions: not cancelled, 0); ``""`` volunteers: 0.
    """

    session_id: int | None = None
    date: dt.date | str | None = None
    starts_at: dt.time | str | None = None
    cancelled: bool | None = None
    volunteers_present: int | str | None = None
    totals: Mapping[str, Any] = field(default_factory=dict)


def blank(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


_GROUPED = re.compile(r"^-?\d{1,3}(\.\d{3})+(,\d*)?$")


def number_text(raw: str) -> str:
    """A number as Germans type it (``1.234,5`` or ``2,5``) as Python reads it (``1234.5``)."""
    text = raw.strip().replace(" ", "")
    if _GROUPED.match(text):
        text = text.replace(".", "")
    return text.replace(",", ".")


def cell_value(raw: Any, indicator: Indicator) -> Decimal:
    text = number_text(raw) if isinstance(raw, str) else str(raw)
    try:
        value = Decimal(text)
    except (InvalidOperation, ValueError):
        raise ValueError(_g("„%(value)s“ ist keine Zahl.") % {"value": raw}) from None
    if not value.is_finite():
        raise ValueError(_g("„%(value)s“ ist keine Zahl.") % {"value": raw})
    if value < 0:
        raise ValueError(_g("Bitte keine negative Zahl eingeben."))
    if indicator.unit in WHOLE_UNITS and value != value.to_integral_value():
        raise ValueError(_g("Bitte eine ganze Zahl eingeben."))
    if abs(value) >= Decimal("1e10") or value != value.quantize(Decimal("0.01")):
        raise ValueError(_g("Bitte höchstens zwei Nachkommastellen und unter 10 Milliarden."))
    return value


def cell_volunteers(raw: Any) -> int:
    if blank(raw):
        return 0
    try:
        value = int(str(raw).strip())
    except ValueError:
        raise ValueError(_g("Bitte die Zahl der Ehrenamtlichen als ganze Zahl eingeben.")) from None
    if value < 0:
        raise ValueError(_g("Bitte keine negative Zahl eingeben."))
    if value > 100_000:
        raise ValueError(_g("Diese Zahl ist zu groß."))
    return value


def cell_date(raw: Any) -> dt.date:
    if isinstance(raw, dt.date):
        return raw
    for fmt in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(str(raw).strip(), fmt).date()
        except ValueError:
            continue
    raise ValueError(
        _g("„%(value)s“ ist kein Datum; bitte als TT.MM.JJJJ eingeben.") % {"value": raw}
    )


def cell_time(raw: Any) -> dt.time | None:
    if blank(raw):
        return None
    if isinstance(raw, dt.time):
        return raw
    for fmt in ("%H:%M", "%H:%M:%S", "%H.%M"):
        try:
            return dt.datetime.strptime(str(raw).strip(), fmt).time()
        except ValueError:
            continue
    raise ValueError(
        _g("„%(value)s“ ist keine Uhrzeit; bitte als Stunden:Minuten eingeben, z. B. 16:30.")
        % {"value": raw}
    )


def plain(value: Decimal | None) -> str | None:
    return None if value is None else format(value.normalize(), "f")
