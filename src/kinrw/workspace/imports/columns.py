"""Which column of a file is what: the fixed columns, and the indicator columns of a programme.

Headers match case-insensitively and whitespace-tolerantly, by German label or by
code; a hint in brackets ("Datum (TT.MM.JJJJ)") is ignored. Breakdown columns are
"<Indikator> – <Ausprägung>" ("Kinder – weiblich"), or, where a value exists in two
breakdowns of the indicator, "<Indikator> – <Aufschlüsselung>: <Ausprägung>".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _g
from openpyxl.utils import get_column_letter

from kinrw.catalogue.models import Breakdown, Indicator

# key: (header the template writes, other accepted headers)
FIXED: dict[str, tuple[str, tuple[str, ...]]] = {
    "nr": ("Nr.", ("Nr", "Nummer", "Maßnahme Nr.", "Maßnahmen-Nr.", "Maßnahmennummer")),
    "measure": ("Maßnahme", ("Massnahme", "Titel", "Maßnahme (Titel)", "Angebot")),
    "date": ("Datum", ("Termin am", "Tag")),
    "starts_at": ("Beginn", ("Uhrzeit", "Startzeit", "Zeit", "Beginn (HH:MM)")),
    "duration_minutes": ("Dauer (Minuten)", ("Dauer", "Dauer in Minuten", "Minuten")),
    "cancelled": ("ausgefallen", ("Ausfall", "abgesagt", "fällt aus")),
    "volunteers_present": (
        "Ehrenamtliche",
        (
            "anwesende Ehrenamtliche",
            "Ehrenamtliche / Elternbegleiter:innen",
            "anwesende Ehrenamtliche / Elternbegleiter:innen",
        ),
    ),
    "note": ("Notiz", ("Bemerkung", "Bemerkungen", "Anmerkung", "Kommentar")),
}
FIXED_HEADERS = [header for header, _ in FIXED.values()]
_DASH = re.compile(r"[\u2010-\u2015\u2212-]")
_SPLIT = re.compile(r"\s+[\u2010-\u2015\u2212-]\s+")
_HINT = re.compile(r"\s*\([^)]*\)\s*$")


def norm(text: Any) -> str:
    """Compare form of a header: case, width, dashes, spaces and a trailing ``:``/``*`` ignored."""
    value = unicodedata.normalize("NFKC", str(text or "")).casefold()
    value = _DASH.sub("-", value)
    value = re.sub(r"\s*-\s*", "-", value)
    value = re.sub(r"\s*([:/])\s*", r"\1 ", value)
    return " ".join(value.split()).rstrip(":* ").strip()


def _without_hint(text: str) -> str:
    return _HINT.sub("", text)


_FIXED_KEYS = {norm(name): key for key, (header, more) in FIXED.items() for name in (header, *more)}


def letter(index: int) -> str:
    return get_column_letter(index + 1)


def column_name(header: str, index: int) -> str:
    """How reports name a column: its header and its letter in Excel."""
    if header:
        return _g("%(header)s (Spalte %(letter)s)") % {"header": header, "letter": letter(index)}
    return _g("Spalte %(letter)s") % {"letter": letter(index)}


def fixed_key(header: Any) -> str | None:
    text = str(header or "")
    return _FIXED_KEYS.get(norm(text)) or _FIXED_KEYS.get(norm(_without_hint(text)))


@dataclass(frozen=True)
class CountColumn:
    index: int
    header: str
    indicator: str  # code
    breakdown: str = ""  # "" = the indicator's total
    value: str = ""


@dataclass
class ProgrammeColumns:
    """The count columns of one programme; ``problems``: columns that match, but not clearly."""

    columns: list[CountColumn] = field(default_factory=list)
    problems: dict[int, str] = field(default_factory=dict)


def _names(code: str, label: str) -> set[str]:
    return {norm(code), norm(label)}


def _cells_of(
    indicator: Indicator, breakdowns: Mapping[str, Breakdown]
) -> dict[str, list[tuple[str, str]]]:
    """Compare form of a cell name → [(breakdown code, value code)] (more than one: ambiguous)."""
    cells: dict[str, list[tuple[str, str]]] = {}
    for code in indicator.breakdowns:
        breakdown = breakdowns.get(code)
        if breakdown is None:
            continue
        for value in breakdown.values:
            target = (code, value["code"])
            for name in _names(value["code"], value["label"]):
                cells.setdefault(name, []).append(target)
            for prefix in _names(code, breakdown.label):
                for name in _names(value["code"], value["label"]):
                    cells.setdefault(norm(f"{prefix}: {name}"), []).append(target)
    return {name: sorted(set(targets)) for name, targets in cells.items()}


def _splits(header: str) -> Iterable[tuple[str, str]]:
    parts = _SPLIT.split(header)
    for k in range(1, len(parts)):
        yield " - ".join(parts[:k]), " - ".join(parts[k:])
    if " " not in header.strip() and header.count(".") == 2:  # children.gender.weiblich
        code, breakdown, value = header.strip().split(".")
        yield code, f"{breakdown}: {value}"


def _match(
    header: str,
    indicators: Mapping[str, Indicator],
    cells: Mapping[str, dict[str, list[tuple[str, str]]]],
) -> tuple[str, str, str] | str | None:
    """(indicator, breakdown, value), or a problem (translated), or None when nothing matches."""
    for text in (header, _without_hint(header)):
        if norm(text) in indicators:
            return indicators[norm(text)].code, "", ""
    for left, right in _splits(header):
        indicator = indicators.get(norm(left))
        if indicator is None:
            continue
        targets = cells[indicator.code].get(norm(right), [])
        if len(targets) == 1:
            return indicator.code, *targets[0]
        if len(targets) > 1:
            return _g(
                "„%(header)s“ ist nicht eindeutig; bitte die Aufschlüsselung nennen, z. B. "
                "„%(indicator)s – <Aufschlüsselung>: %(value)s“ (siehe Vorlage)."
            ) % {"header": header, "indicator": indicator.label, "value": right.strip()}
        return _g(
            "„%(value)s“ ist keine Ausprägung, nach der „%(indicator)s“ "
            "aufgeschlüsselt wird; bitte die Überschrift wie in der Vorlage schreiben."
        ) % {"value": right.strip(), "indicator": indicator.label}
    return None


def programme_columns(
    others: Sequence[tuple[int, str]],
    indicators: Sequence[Indicator],
    breakdowns: Mapping[str, Breakdown],
) -> ProgrammeColumns:
    """Match the non-fixed columns of the file against one programme's indicators."""
    by_name: dict[str, Indicator] = {}
    for indicator in indicators:
        for name in _names(indicator.code, indicator.label):
            by_name.setdefault(name, indicator)
    cells = {i.code: _cells_of(i, breakdowns) for i in indicators}
    result = ProgrammeColumns()
    seen: dict[tuple[str, str, str], int] = {}
    for index, header in others:
        found = _match(header, by_name, cells)
        if found is None:
            continue
        if isinstance(found, str):
            result.problems[index] = found
            continue
        if found in seen:
            result.problems[index] = _g(
                "Die Spalte „%(header)s“ meint dasselbe wie Spalte %(other)s; "
                "bitte eine der beiden löschen."
            ) % {"header": header, "other": letter(seen[found])}
            continue
        seen[found] = index
        result.columns.append(CountColumn(index, header, *found))
    return result


def template_headers(
    indicators: Sequence[Indicator], breakdowns: Mapping[str, Breakdown]
) -> list[tuple[str, tuple[str, str, str]]]:
    """The count columns a template offers: (header, (indicator, breakdown, value))."""
    headers = []
    for indicator in indicators:
        headers.append((indicator.label, (indicator.code, "", "")))
        cells = _cells_of(indicator, breakdowns)
        for code in indicator.breakdowns:
            breakdown = breakdowns.get(code)
            for value in breakdown.values if breakdown else []:
                plain = norm(value["label"])
                name = value["label"]
                if len(cells.get(plain, [])) > 1:
                    name = f"{breakdown.label}: {value['label']}"  # type: ignore[union-attr]
                headers.append(
                    (f"{indicator.label} – {name}", (indicator.code, code, value["code"]))
                )
    return headers
