"""Disclosure control for every figure the Land sees (pages, API, exports).

Pure Python, no database. One table is one indicator and one period: a cell per
KI (optionally split by one breakdown, e.g. age groups, with the KI's value as
row total), a total per Regierungsbezirk and one for the Land.

Rules (German statistics practice, see docs/state.md "Disclosure control"):

- Primary suppression: a person count with 0 < value < threshold is secret
  (symbol "."). A true zero is shown ("–", nichts vorhanden): it names nobody.
  A cell without a report (None) is also "–".
- Secondary suppression: in every additive group (a KI's breakdown cells with
  the KI's total; the KIs of a Regierungsbezirk with its total; the Bezirke
  with the Land total; all KIs with the Land total) a hidden cell must not be
  recomputable. While a group with a published total has exactly one hidden
  cell, or its hidden cells must all be 1 (every hidden cell is at least 1, so
  "k cells sum to k" pins them), the smallest published positive member is
  hidden too (ties: key order), or else the total. Finally an exact linear
  algebra check over all groups together hides more cells while any hidden cell
  is still determined; everything repeats until nothing changes.
- Indicators that do not count persons (euros, sessions) are never suppressed.

Hidden values never leave this module: a `ProtectedCell` has no hidden value.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from types import MappingProxyType
from typing import NamedTuple

Number = int | Decimal
Key = tuple[str, ...]  # ("land",) | ("bezirk", name) | ("ki", slug) | ("part", slug, value)
Group = tuple[Key, tuple[Key, ...]]  # (total, members); total == sum(members)

CONFIDENTIAL = "."  # Zahlenwert unbekannt oder geheimzuhalten
NOTHING = "–"  # nichts vorhanden
PRIMARY = "primary"
SECONDARY = "secondary"
LAND: Key = ("land",)


def bezirk_key(name: str) -> Key:
    return ("bezirk", name)


def ki_key(slug: str) -> Key:
    return ("ki", slug)


def part_key(slug: str, value: str) -> Key:
    return ("part", slug, value)


class KiFigures(NamedTuple):
    """One KI's figure; `parts` (breakdown value -> figure) must add up to `value`.

    Named tuples, not dataclasses: a page with 1,000 KIs builds 13,000 of them."""

    ki: str
    bezirk: str
    value: Number | None
    parts: Mapping[str, Number | None] = MappingProxyType({})


class ProtectedCell(NamedTuple):
    value: Number | None  # None when hidden or nothing reported
    symbol: str  # "" (a number), "." (secret) or "–" (nothing)
    reason: str = ""  # "primary" / "secondary" for operators and tests; never rendered

    def __str__(self) -> str:
        return self.symbol or str(self.value)

    @property
    def hidden(self) -> bool:
        return self.symbol == CONFIDENTIAL


@dataclass(frozen=True)
class ProtectedTable:
    cells: Mapping[Key, ProtectedCell]
    groups: tuple[Group, ...]

    def __getitem__(self, key: Key) -> ProtectedCell:
        return self.cells[key]

    @property
    def land(self) -> ProtectedCell:
        return self.cells[LAND]

    def bezirk(self, name: str) -> ProtectedCell:
        return self.cells[bezirk_key(name)]

    def ki(self, slug: str) -> ProtectedCell:
        return self.cells[ki_key(slug)]

    def part(self, slug: str, value: str) -> ProtectedCell:
        return self.cells[part_key(slug, value)]

    def hidden(self) -> dict[Key, str]:
        """{key: reason} of every secret cell (for operators and tests)."""
        return {key: cell.reason for key, cell in self.cells.items() if cell.hidden}


def protect(
    rows: Iterable[KiFigures], *, threshold: int = 3, counts_persons: bool = True
) -> ProtectedTable:
    """Return the table as the Land may see it."""
    values, groups = _build(list(rows))
    reasons: dict[Key, str] = {}
    if counts_persons:
        for key, value in values.items():
            if value is not None and 0 < value < threshold:
                reasons[key] = PRIMARY
        while (extra := _next_to_hide(values, groups, reasons)) is not None:
            reasons[extra] = SECONDARY
    cells = {key: _cell(value, reasons.get(key, "")) for key, value in values.items()}
    return ProtectedTable(cells=cells, groups=tuple(groups))


def _cell(value: Number | None, reason: str) -> ProtectedCell:
    if reason:
        return ProtectedCell(value=None, symbol=CONFIDENTIAL, reason=reason)
    if value is None or value == 0:
        return ProtectedCell(value=value, symbol=NOTHING)
    return ProtectedCell(value=value, symbol="")


def _sum(values: Iterable[Number | None]) -> Number | None:
    present = [value for value in values if value is not None]
    return sum(present) if present else None


def _build(rows: list[KiFigures]) -> tuple[dict[Key, Number | None], list[Group]]:
    values: dict[Key, Number | None] = {}
    groups: list[Group] = []
    by_bezirk: dict[str, list[Key]] = {}
    for row in sorted(rows, key=lambda row: row.ki):
        key = ki_key(row.ki)
        if key in values:
            raise ValueError(f"KI {row.ki} appears twice")
        value = row.value
        if row.parts:
            members = tuple(part_key(row.ki, name) for name in sorted(row.parts))
            values.update({part_key(row.ki, name): row.parts[name] for name in row.parts})
            parts_sum = _sum(row.parts.values())
            if value is None:
                value = parts_sum
            elif value != (parts_sum or 0):
                raise ValueError(f"breakdown of KI {row.ki} does not add up to its value")
            groups.append((key, members))
        values[key] = value
        by_bezirk.setdefault(row.bezirk, []).append(key)
    for name in sorted(by_bezirk):
        members = tuple(by_bezirk[name])
        values[bezirk_key(name)] = _sum(values[m] for m in members)
        groups.append((bezirk_key(name), members))
    values[LAND] = _sum(values[bezirk_key(name)] for name in by_bezirk)
    groups.append((LAND, tuple(bezirk_key(name) for name in sorted(by_bezirk))))
    groups.append((LAND, tuple(key for m in by_bezirk.values() for key in m)))
    return values, groups


def _smallest(
    keys: Iterable[Key], values: Mapping[Key, Number | None], reasons: Mapping[Key, str]
) -> Key | None:
    """The smallest published positive cell (ties: key order), or None."""
    open_ = [k for k in keys if k not in reasons and (values[k] or 0) > 0]
    return min(open_, key=lambda k: (values[k], k), default=None)


def _group_fix(
    group: Group, values: Mapping[Key, Number | None], reasons: Mapping[Key, str]
) -> Key | None:
    """The cell to hide next so this group alone reveals no hidden cell, or None."""
    total, members = group
    hidden = [key for key in members if key in reasons]
    if total in reasons:
        # Total unknown: the group reveals something only if it has no other unknown.
        return None if hidden else _smallest(members, values, reasons)
    if not hidden:
        return None
    rest = (values[total] or 0) - sum(values[m] or 0 for m in members if m not in reasons)
    if len(hidden) >= 2 and rest > len(hidden):
        return None
    return _smallest(members, values, reasons) or _smallest([total], values, reasons)


def _next_to_hide(
    values: Mapping[Key, Number | None], groups: list[Group], reasons: Mapping[Key, str]
) -> Key | None:
    for group in groups:
        if (key := _group_fix(group, values, reasons)) is not None:
            return key
    for key in determined(groups, set(reasons)):
        for total, members in groups:
            if key == total or key in members:
                pick = _smallest(members, values, reasons) or _smallest([total], values, reasons)
                if pick is not None:
                    return pick
    return None


def determined(groups: Iterable[Group], hidden: set[Key]) -> list[Key]:
    """Hidden cells whose value follows exactly from the published cells.

    Each group is one linear equation over the hidden cells; a cell is determined
    iff its unit vector lies in the row space: in the reduced row echelon form
    that is a row with a single entry.
    """
    pivots: dict[Key, dict[Key, Fraction]] = {}
    for total, members in groups:
        row: dict[Key, Fraction] = {}
        for key in members:
            if key in hidden:
                row[key] = row.get(key, Fraction(0)) + 1
        if total in hidden:
            row[total] = row.get(total, Fraction(0)) - 1
        for col in [col for col in row if col in pivots]:
            _subtract(row, pivots[col], row[col])
        if not row:
            continue
        pivot = min(row)
        factor = row[pivot]
        row = {col: value / factor for col, value in row.items()}
        for other in pivots.values():
            if pivot in other:
                _subtract(other, row, other[pivot])
        pivots[pivot] = row
    return sorted(col for col, row in pivots.items() if len(row) == 1)


def _subtract(row: dict[Key, Fraction], other: Mapping[Key, Fraction], factor: Fraction) -> None:
    for col, value in other.items():
        new = row.get(col, Fraction(0)) - factor * value
        if new:
            row[col] = new
        else:
            row.pop(col, None)
