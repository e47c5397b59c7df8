"""Reading the KI registry in ``tenants/`` (data only) into validated entries."""

from __future__ import annotations

import csv
import datetime as dt
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

from kinrw.tenancy.models import Kind, Regierungsbezirk

COLUMNS = (
    "slug",
    "ags",
    "ars",
    "name",
    "official_name",
    "kind",
    "regierungsbezirk",
    "nuts3",
    "population",
    "population_date",
)
SETTINGS_KEYS = {"domain"}
# Limits of the Tenant model, checked here so that apply refuses the registry before
# creating anything instead of failing half-way with a traceback.
SLUG_MAX = 60  # schema name "ki_<slug>" stays within PostgreSQL's 63 characters
NAME_MAX = 120
OFFICIAL_NAME_MAX = 200
POPULATION_MAX = 2_147_483_647

AGS_RE = re.compile(r"^05\d{3}(\d{3})?$")
ARS_RE = re.compile(r"^05\d{10}$")
NUTS3_RE = re.compile(r"^DEA[0-9A-Z]{2}$")
SLUG_RE = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
# RFC 1123 host names: labels of 1-63 letters, digits, hyphens; no leading/trailing hyphen.
DOMAIN_RE = re.compile(
    r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$"
)


class RegistryError(Exception):
    """The registry cannot be used; the message names file and line."""


@dataclass(frozen=True)
class RegistryEntry:
    slug: str
    ags: str
    ars: str
    name: str
    official_name: str
    kind: str
    regierungsbezirk: str
    nuts3: str
    population: int
    population_date: dt.date
    domain: str | None = None
    line: int = field(default=0, compare=False)

    def primary_domain(self) -> str:
        return self.domain or default_domain(self.slug)


def default_domain(slug: str) -> str:
    return f"{slug}.{settings.KINRW_BASE_DOMAIN}"


def schema_name_for(slug: str) -> str:
    return "ki_" + slug.replace("-", "_")


def valid_domain(domain: str) -> bool:
    """A syntactically valid host name that is not the Land's own host."""
    return bool(DOMAIN_RE.match(domain)) and domain != settings.KINRW_BASE_DOMAIN


def default_path() -> Path:
    return Path(settings.KINRW_REGISTRY_PATH)


def load(path: Path | str | None = None) -> list[RegistryEntry]:
    """Parse and validate the whole registry; raise RegistryError at the first broken row."""
    root = Path(path) if path is not None else default_path()
    csv_path = root / "registry.csv" if root.is_dir() else root
    settings_dir = (root if root.is_dir() else root.parent) / "settings"
    if not csv_path.is_file():
        raise RegistryError(f"Registerdatei nicht gefunden: {csv_path}")
    try:
        text = csv_path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RegistryError(f"{csv_path}: keine gültige UTF-8-Datei ({exc.reason}).") from exc
    reader = csv.DictReader(text.splitlines())
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise RegistryError(f"{csv_path}, Zeile 1: Spalten fehlen: {', '.join(missing)}")
    entries: list[RegistryEntry] = []
    seen: dict[str, dict[str, int]] = {"slug": {}, "ags": {}, "ars": {}, "domain": {}}
    for number, row in enumerate(reader, start=2):
        where = f"{csv_path}, Zeile {number}"
        if None in row or any(value is None for value in row.values()):
            raise RegistryError(f"{where}: falsche Anzahl von Feldern.")
        entry = _entry(row, number, where, _settings_for(settings_dir, row.get("slug", "")))
        for key in seen:
            value = entry.primary_domain() if key == "domain" else getattr(entry, key)
            if value in seen[key]:
                raise RegistryError(
                    f"{where}: {key} „{value}“ steht schon in Zeile {seen[key][value]}."
                )
            seen[key][value] = number
        entries.append(entry)
    if not entries:
        raise RegistryError(f"{csv_path}: das Register enthält keine KI.")
    return entries


def _entry(row: dict[str, str], number: int, where: str, extra: dict[str, str]) -> RegistryEntry:
    value = {k: (row.get(k) or "").strip() for k in COLUMNS}
    checks = [
        (SLUG_RE.match(value["slug"]), f"ungültiger Kurzname (slug) „{value['slug']}“"),
        (len(value["slug"]) <= SLUG_MAX, f"Kurzname zu lang (höchstens {SLUG_MAX} Zeichen)"),
        (AGS_RE.match(value["ags"]), f"ungültiger AGS „{value['ags']}“ (5 oder 8 Ziffern, 05…)"),
        (ARS_RE.match(value["ars"]), f"ungültiger ARS „{value['ars']}“ (12 Ziffern, 05…)"),
        (value["name"], "Name fehlt"),
        (len(value["name"]) <= NAME_MAX, f"Name zu lang (höchstens {NAME_MAX} Zeichen)"),
        (value["official_name"], "amtlicher Name fehlt"),
        (
            len(value["official_name"]) <= OFFICIAL_NAME_MAX,
            f"amtlicher Name zu lang (höchstens {OFFICIAL_NAME_MAX} Zeichen)",
        ),
        (value["kind"] in Kind.values, f"unbekannte Art „{value['kind']}“"),
        (
            value["regierungsbezirk"] in Regierungsbezirk.values,
            f"unbekannter Regierungsbezirk „{value['regierungsbezirk']}“",
        ),
        (NUTS3_RE.match(value["nuts3"]), f"ungültiger NUTS-3-Code „{value['nuts3']}“"),
        (
            re.fullmatch(r"[0-9]{1,10}", value["population"])
            and int(value["population"]) <= POPULATION_MAX,
            f"ungültige Einwohnerzahl „{value['population']}“",
        ),
    ]
    for ok, message in checks:
        if not ok:
            raise RegistryError(f"{where}: {message}.")
    if len(value["ags"]) == 8 and not value["ars"].startswith(value["ags"][:5]):
        raise RegistryError(f"{where}: ARS „{value['ars']}“ passt nicht zum AGS „{value['ags']}“.")
    try:
        population_date = dt.date.fromisoformat(value["population_date"])
    except ValueError:
        raise RegistryError(
            f"{where}: ungültiges Datum „{value['population_date']}“ (JJJJ-MM-TT)."
        ) from None
    domain = extra.get("domain")
    if domain is not None and not valid_domain(domain):
        raise RegistryError(f"{where}: ungültiger Domainname „{domain}“ in den Einstellungen.")
    return RegistryEntry(
        slug=value["slug"],
        ags=value["ags"],
        ars=value["ars"],
        name=value["name"],
        official_name=value["official_name"],
        kind=value["kind"],
        regierungsbezirk=value["regierungsbezirk"],
        nuts3=value["nuts3"],
        population=int(value["population"]),
        population_date=population_date,
        domain=domain,
        line=number,
    )


def _settings_for(settings_dir: Path, slug: str) -> dict[str, str]:
    path = settings_dir / f"{slug}.toml"
    if not slug or not path.is_file():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise RegistryError(f"{path}: keine gültige TOML-Datei ({exc}).") from exc
    unknown = sorted(set(data) - SETTINGS_KEYS)
    if unknown:
        raise RegistryError(f"{path}: unbekannte Einstellung(en): {', '.join(unknown)}.")
    domain = data.get("domain")
    if domain is not None and not isinstance(domain, str):
        raise RegistryError(f"{path}: „domain“ muss ein Text sein.")
    return {"domain": domain.lower()} if isinstance(domain, str) else {}


def find(entries: list[RegistryEntry], ags: str) -> RegistryEntry | None:
    return next((e for e in entries if e.ags == ags), None)
