"""The result of a run: its lines (:class:`Row`), the table printed, the JSON written."""

from __future__ import annotations

import json
import statistics
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from kinrw.benchmarks.options import MODEL_SETS, ModelSet

SQL_KIND_LABELS = {
    "view": "Seite",
    "health_check": "Health-Check",
    "search_path": "SET search_path",
    "tenant_lookup": "Mandant suchen",
    "connection_setup": "Verbindung",
    "other": "andere",
}


@dataclass
class Row:
    """One line of the result table: baseline and ours, factor (>1: ours is better)."""

    key: str
    title: str
    baseline_label: str
    ours_label: str
    baseline: float
    ours: float
    unit: str
    factor: float | None
    goal: str = ""
    passed: bool | None = None
    note: str = ""
    models: str = ""  # the ModelSet key, where the line depends on the models


@dataclass
class Report:
    meta: dict[str, Any] = field(default_factory=dict)
    setup: dict[str, Any] = field(default_factory=dict)  # the platform database (requests)
    setups: dict[str, dict[str, Any]] = field(default_factory=dict)  # per ModelSet key
    rows: list[Row] = field(default_factory=list)
    raw: dict[str, Any] = field(default_factory=dict)
    requests_detail: list[dict[str, Any]] = field(default_factory=list)

    @property
    def goals_met(self) -> bool:
        return all(row.passed is not False for row in self.rows)


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


# -- the lines of one model set ---------------------------------------------------


def models_note(setup: dict[str, Any]) -> str:
    """The note line saying which models a line of this model set ran on."""
    return (
        f"Modelle: {setup.get('tenant_models', '?')} Tenant-Modelle, "
        f"{setup.get('tenant_tables', '?')} Tabellen je KI-Schema, "
        f"{setup.get('migrations', '?')} Migrationen"
    )


def timing_row(
    models: ModelSet,
    *,
    key: str,
    title: str,
    baseline_label: str,
    ours_label: str,
    base: list[float],
    ours: list[float],
    goal: float | None = None,
    notes: Sequence[str] = (),
    problems: Sequence[str] = (),
) -> Row:
    """A line of one model set comparing durations: medians of the rounds, in seconds.

    ``key`` and ``title`` get the model set appended. The factor is judged
    against ``goal`` only on the set the goals are judged on, elsewhere the line
    is information. Any of ``problems`` fails the line and heads its note.
    """
    factor = median(base) / median(ours)
    passed: bool | None = None
    goal_text = "Info"
    if goal is not None and models.goal:
        passed = factor >= goal
        goal_text = f"≥ {goal:g}×"
    if problems:
        notes = ["; ".join(problems), *notes]
        passed = False
    return Row(
        key=f"{key}_{models.key}",
        title=f"{title} – {models.title}",
        baseline_label=baseline_label,
        ours_label=ours_label,
        baseline=median(base),
        ours=median(ours),
        unit="s",
        factor=factor,
        goal=goal_text,
        passed=passed,
        note="\n".join(n for n in notes if n),
        models=models.key,
    )


def raw_sides(
    base: list[float], ours: list[float], dt_check: dict[str, Any], our_check: dict[str, Any]
) -> dict[str, Any]:
    """The raw numbers of a django-tenants/kinrw worker pair, as the JSON keeps them."""
    return {
        "django_tenants_s": base,
        "kinrw_s": ours,
        "django_tenants_check": dt_check,
        "kinrw_check": our_check,
    }


# -- output -----------------------------------------------------------------------


def fmt(value: float, unit: str) -> str:
    if value != value:  # NaN
        return "–"
    if unit == "s":
        return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"
    if unit == "ms":
        return f"{value:.2f} ms"
    if unit == "req/s":
        return f"{value:.0f} /s"
    if unit == "SQL":
        return f"{value:.2f}"
    return f"{value:g} {unit}"


def _pg_version(number: object) -> str:
    return f"{int(number) // 10000}.{int(number) % 100}" if isinstance(number, int) else "?"


def print_report(report: Report, console: Console) -> None:
    meta = report.meta
    console.print(
        f"[bold]KI-Plattform NRW – Benchmark[/] {meta['started']}\n"
        f"PostgreSQL {_pg_version(meta.get('postgres'))}, "
        f"Django {meta['django']}, django-tenants {meta['django_tenants']}, "
        f"Python {meta['python']}, {meta['cpus']} CPU, "
        f"Systemlast {meta['loadavg_start']} → {meta.get('loadavg_end')}",
        highlight=False,
    )
    for key, setup in report.setups.items():
        models = MODEL_SETS[key]
        by_app = ", ".join(f"{app} {n}" for app, n in setup.get("tenant_models_by_app", {}).items())
        console.print(
            f"[bold]{models.title}[/]: {models.description}. Datenbank "
            f"{meta['databases'][key]}: {setup['tenant_models']} Tenant-Modelle ({by_app}), "
            f"{setup['tenant_tables']} Tabellen je KI-Schema, {setup['migrations']} Migrationen "
            f"im Code (davon benchws {setup.get('bench_workspace_migrations', 0)}). "
            f"Flotte: {setup['created']} KI aus dem Register angelegt "
            f"({setup['apply_s']:.1f} s).",
            highlight=False,
        )
    table = Table(title="Ergebnis: Mediane; Faktor > 1 heißt kinrw ist besser", show_lines=True)
    table.add_column("Messung (Basislinie gegen kinrw)", ratio=3)
    table.add_column("Basislinie", justify="right", no_wrap=True)
    table.add_column("kinrw", justify="right", no_wrap=True)
    table.add_column("Faktor", justify="right", no_wrap=True)
    table.add_column("Ziel", no_wrap=True)
    table.add_column("", no_wrap=True)
    for row in report.rows:
        if row.passed is None:
            verdict = "[dim]Info[/]"
        else:
            verdict = "[green]erfüllt[/]" if row.passed else "[red]verfehlt[/]"
        if row.factor is not None:
            factor = f"{row.factor:.2f}×"
        else:
            factor = f"{row.ours - row.baseline:+.2f}"
        title = f"[bold]{row.title}[/]\n[dim]{row.baseline_label} gegen {row.ours_label}[/]"
        if row.note:
            title += f"\n{row.note}"
        table.add_row(
            title,
            fmt(row.baseline, row.unit),
            fmt(row.ours, row.unit),
            factor,
            row.goal,
            verdict,
        )
    console.print(table)
    if report.requests_detail:
        detail = Table(title="Anfragen im Einzelnen", show_lines=True)
        detail.add_column("Szenario / Server")
        detail.add_column("Anfragen/s\n(min–max)", justify="right")
        detail.add_column("× Django", justify="right")
        detail.add_column("CPU je\nAnfrage", justify="right")
        detail.add_column("p50 / p95", justify="right")
        detail.add_column("SQL je Anfrage")
        for d in report.requests_detail:
            kinds = ", ".join(
                f"{SQL_KIND_LABELS.get(k, k)} {v:.2f}"
                for k, v in d["sql_kinds_per_request"].items()
                if v >= 0.005
            )
            rounds = d["rps_rounds"]
            detail.add_row(
                f"{d['scenario']}\n[bold]{d['label']}[/]",
                f"{d['rps_median']:.0f}\n({min(rounds):.0f}–{max(rounds):.0f})",
                f"{d['rps_vs_plain']:.2f}×" if d["rps_vs_plain"] else "–",
                fmt(d["cpu_ms_per_request_median"], "ms"),
                f"{d['latency_ms_p50']:.1f} / {d['latency_ms_p95']:.1f} ms",
                f"[bold]{d['sql_per_request']:.2f}[/]\n{kinds}",
            )
        console.print(detail)
        req = report.raw.get("requests", {})
        g = req.get("gunicorn", {})
        console.print(
            f"Gleiche Einstellungen für alle Server: gunicorn gthread {g.get('workers')} Worker × "
            f"{g.get('threads')} Threads, Keep-alive; DEBUG aus; CONN_MAX_AGE "
            f"{meta.get('conn_max_age')} s; CONN_HEALTH_CHECKS an (daher 1 „SELECT 1“ je "
            f"Anfrage auf beiden Seiten). Last: {req.get('connections')} Verbindungen, "
            f"{req.get('requests_per_round')} Anfragen je Runde an {req.get('path')}.",
            highlight=False,
        )
    verdict = "Alle Ziele erfüllt" if report.goals_met else "Nicht alle Ziele erfüllt"
    console.print(f"[bold]{verdict}.[/] Ergebnisse: {meta.get('json', '–')}", highlight=False)


def write_json(report: Report, directory: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    stamp = report.meta["started"].replace(":", "").replace("-", "")
    path = directory / f"bench-{stamp}.json"
    report.meta["json"] = str(path)
    data = {
        "meta": report.meta,
        "setup": {
            key: {k: v for k, v in setup.items() if k not in ("schemas", "hosts")}
            for key, setup in report.setups.items()
        },
        "rows": [asdict(row) for row in report.rows],
        "goals_met": report.goals_met,
        "requests_detail": report.requests_detail,
        "raw": report.raw,
    }
    text = json.dumps(data, indent=2, ensure_ascii=False, default=str)
    path.write_text(text + "\n", encoding="utf-8")
    (directory / "latest.json").write_text(text + "\n", encoding="utf-8")
    return path
