"""Reading and validating the catalogue file (``data/programmes.toml``)."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kinrw.catalogue.models import Handlungsfeld, Unit

DEFAULT_PATH = Path(__file__).resolve().parent / "data" / "programmes.toml"
CODE_RE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


class CatalogueError(Exception):
    """The catalogue file cannot be used; the message names the entry."""


@dataclass(frozen=True)
class BreakdownSpec:
    code: str
    label: str
    values: list[dict[str, str]]
    sort_order: int


@dataclass(frozen=True)
class IndicatorSpec:
    code: str
    label: str
    unit: str
    counts_persons: bool
    breakdowns: list[str]
    sort_order: int


@dataclass(frozen=True)
class ProgrammeSpec:
    code: str
    name: str
    funding_line: str
    handlungsfeld: str
    active_from: int
    active_until: int | None
    own_measure: bool
    description: str
    sort_order: int
    indicators: list[IndicatorSpec] = field(default_factory=list)


@dataclass(frozen=True)
class CatalogueSpec:
    breakdowns: list[BreakdownSpec]
    programmes: list[ProgrammeSpec]


def load(path: Path | str | None = None) -> CatalogueSpec:
    source = Path(path) if path is not None else DEFAULT_PATH
    try:
        data = tomllib.loads(source.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CatalogueError(f"Katalogdatei nicht gefunden: {source}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise CatalogueError(f"{source}: keine gültige TOML-Datei ({exc}).") from exc
    breakdowns = [_breakdown(source, i, raw) for i, raw in enumerate(data.get("breakdown", []))]
    _unique(source, "Aufschlüsselung", [b.code for b in breakdowns])
    known = {b.code for b in breakdowns}
    programmes = [
        _programme(source, i, raw, known) for i, raw in enumerate(data.get("programme", []))
    ]
    _unique(source, "Programm", [p.code for p in programmes])
    if not programmes:
        raise CatalogueError(f"{source}: der Katalog enthält kein Programm.")
    return CatalogueSpec(breakdowns=breakdowns, programmes=programmes)


def _unique(source: Path, what: str, codes: list[str]) -> None:
    seen: set[str] = set()
    for code in codes:
        if code in seen:
            raise CatalogueError(f"{source}: {what} „{code}“ steht doppelt im Katalog.")
        seen.add(code)


def _text(raw: dict[str, Any], key: str, where: str, *, required: bool = True) -> str:
    value = raw.get(key, "")
    if not isinstance(value, str) or (required and not value.strip()):
        raise CatalogueError(f"{where}: „{key}“ fehlt oder ist kein Text.")
    return value.strip()


def _code(raw: dict[str, Any], where: str) -> str:
    code = _text(raw, "code", where)
    if not CODE_RE.match(code):
        raise CatalogueError(f"{where}: ungültiger Schlüssel „{code}“ (a–z, 0–9, _).")
    return code


def _breakdown(source: Path, index: int, raw: dict[str, Any]) -> BreakdownSpec:
    where = f"{source}, Aufschlüsselung {index + 1}"
    code = _code(raw, where)
    where = f"{source}, Aufschlüsselung „{code}“"
    values = raw.get("values", [])
    if not isinstance(values, list) or not values:
        raise CatalogueError(f"{where}: „values“ fehlt oder ist leer.")
    cleaned = []
    for value in values:
        if not isinstance(value, dict):
            raise CatalogueError(f"{where}: jede Ausprägung braucht code und label.")
        cleaned.append({"code": _code(value, where), "label": _text(value, "label", where)})
    _unique(source, f"Ausprägung von „{code}“", [v["code"] for v in cleaned])
    return BreakdownSpec(
        code=code, label=_text(raw, "label", where), values=cleaned, sort_order=index
    )


def _programme(source: Path, index: int, raw: dict[str, Any], known: set[str]) -> ProgrammeSpec:
    where = f"{source}, Programm {index + 1}"
    code = _code(raw, where)
    where = f"{source}, Programm „{code}“"
    handlungsfeld = _text(raw, "handlungsfeld", where)
    if handlungsfeld not in Handlungsfeld.values:
        raise CatalogueError(f"{where}: unbekanntes Handlungsfeld „{handlungsfeld}“.")
    active_from, active_until = raw.get("active_from"), raw.get("active_until", 0)
    if not isinstance(active_from, int) or not 1990 <= active_from <= 2100:
        raise CatalogueError(f"{where}: „active_from“ muss ein Jahr sein.")
    if not isinstance(active_until, int) or (active_until and active_until < active_from):
        raise CatalogueError(f"{where}: „active_until“ muss 0 oder ein Jahr ab active_from sein.")
    indicators = [
        _indicator(where, i, item, known) for i, item in enumerate(raw.get("indicator", []))
    ]
    _unique(source, f"Indikator in „{code}“", [i.code for i in indicators])
    if not indicators:
        raise CatalogueError(f"{where}: das Programm deklariert keinen Indikator.")
    return ProgrammeSpec(
        code=code,
        name=_text(raw, "name", where),
        funding_line=_text(raw, "funding_line", where, required=False),
        handlungsfeld=handlungsfeld,
        active_from=active_from,
        active_until=active_until or None,
        own_measure=bool(raw.get("own_measure", False)),
        description=_text(raw, "description", where, required=False),
        sort_order=index,
        indicators=indicators,
    )


def _indicator(where: str, index: int, raw: dict[str, Any], known: set[str]) -> IndicatorSpec:
    code = _code(raw, f"{where}, Indikator {index + 1}")
    where = f"{where}, Indikator „{code}“"
    unit = _text(raw, "unit", where)
    if unit not in Unit.values:
        raise CatalogueError(f"{where}: unbekannte Einheit „{unit}“.")
    breakdowns = raw.get("breakdowns", [])
    if not isinstance(breakdowns, list) or not all(isinstance(b, str) for b in breakdowns):
        raise CatalogueError(f"{where}: „breakdowns“ muss eine Liste von Schlüsseln sein.")
    unknown = [b for b in breakdowns if b not in known]
    if unknown:
        raise CatalogueError(f"{where}: unbekannte Aufschlüsselung „{unknown[0]}“.")
    counts_persons = raw.get("counts_persons", False)
    if not isinstance(counts_persons, bool):
        raise CatalogueError(f"{where}: „counts_persons“ muss true oder false sein.")
    return IndicatorSpec(
        code=code,
        label=_text(raw, "label", where),
        unit=unit,
        counts_persons=counts_persons,
        breakdowns=list(breakdowns),
        sort_order=index,
    )
