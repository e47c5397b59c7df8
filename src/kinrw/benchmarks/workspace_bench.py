"""``kinrw bench workspace``: list pages, API lists and the month grid of one full KI.

The issue's goal is the baseline: with one KI holding 20,000 measures and
200,000 sessions, every list page and API list answers at p95 ≤ 150 ms server
time, and saving a month grid of 50 sessions takes ≤ 500 ms. The orchestrator
(this module, no Django) makes the database ``kinrw_bench_wsdata`` on the
developer's server, runs :mod:`~kinrw.benchmarks.workspace_worker` in a process
of its own, prints the table (p50/p95/max per URL, factor = goal / p95) and
writes the JSON to ``bench/results/``.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from kinrw.benchmarks import database, process
from kinrw.benchmarks.runner import _loadavg, _resolve

DB_NAME = "kinrw_bench_wsdata"


@dataclass
class WorkspaceOptions:
    measures: int = 20_000
    sessions: int = 200_000
    requests: int = 60
    warmup: int = 5
    grid_rounds: int = 15
    keep_db: bool = False
    reuse_db: bool = False  # keep the filled database and use it again next time
    db_name: str = DB_NAME
    results: Path = Path("bench/results")
    registry: Path = Path("tenants")
    strict: bool = False


def run_workspace(options: WorkspaceOptions, console: Console) -> dict[str, Any]:
    """Prepare, measure, print, write; the result's ``goals_met`` says whether all passed."""
    status = Console(stderr=True)
    registry = _resolve(options.registry)
    database._check_name(options.db_name)  # before anything reads or reuses it
    server = database.find_server()
    keep = options.keep_db or options.reuse_db
    reuse = options.reuse_db and process.exists(server, options.db_name)
    started = dt.datetime.now().astimezone()
    meta: dict[str, Any] = {
        "started": started.isoformat(timespec="seconds"),
        "part": "workspace",
        "database": f"{server.host}:{server.port}/{options.db_name}",
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "loadavg_start": _loadavg(),
        "options": {k: str(v) if isinstance(v, Path) else v for k, v in options.__dict__.items()},
    }
    if not reuse:
        status.print(f"[dim]▸ Datenbank {options.db_name} neu anlegen[/]", highlight=False)
        database.recreate(server, options.db_name)
    try:
        with tempfile.TemporaryDirectory(prefix="kinrw-bench-ws-") as tmp:
            env = database.child_env(
                server, options.db_name, static_root=tmp, registry=str(registry)
            )
            params = {
                "measures": options.measures,
                "sessions": options.sessions,
                "requests": options.requests,
                "warmup": options.warmup,
                "grid_rounds": options.grid_rounds,
                "reuse": reuse,
            }
            result = process.run("kinrw.benchmarks.workspace_worker", env, params)
    finally:
        if keep:
            status.print(f"[dim]▸ Datenbank {options.db_name} bleibt erhalten[/]")
        else:
            status.print(f"[dim]▸ Datenbank {options.db_name} entfernen[/]")
            database.drop(server, options.db_name)
    meta["loadavg_end"] = _loadavg()
    probes = result.pop("probes")
    report = {
        "meta": meta,
        "setup": result,
        "rows": probes,
        "goals_met": all(p["passed"] is not False and not p["skipped"] for p in probes),
        "many_queries": [p["path"] for p in probes if p["many_queries"]],
        "missing": [p["path"] for p in probes if p["skipped"]],
    }
    path = _write_json(report, _resolve(options.results), started)
    report["meta"]["json"] = str(path)
    print_workspace(report, console)
    return report


def _write_json(report: dict[str, Any], directory: Path, started: dt.datetime) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"workspace-{started:%Y%m%dT%H%M%S}.json"
    text = json.dumps(report, indent=2, ensure_ascii=False, default=str) + "\n"
    path.write_text(text, encoding="utf-8")
    (directory / "workspace-latest.json").write_text(text, encoding="utf-8")
    return path


def _ms(value: float | None) -> str:
    return "–" if value is None else f"{value * 1000:.0f} ms"


def print_workspace(report: dict[str, Any], console: Console) -> None:
    meta, setup = report["meta"], report["setup"]
    vol = setup.get("volume", {})
    pg = setup.get("postgres")
    console.print(
        f"[bold]KI-Plattform NRW – Benchmark Arbeitsbereich[/] {meta['started']}\n"
        f"PostgreSQL {pg // 10000 if isinstance(pg, int) else '?'}, Python {meta['python']}, "
        f"{meta['cpus']} CPU, Systemlast {meta['loadavg_start']} → {meta['loadavg_end']}\n"
        f"Eine KI (Köln): {vol.get('measures')} Maßnahmen, {vol.get('sessions')} Termine, "
        f"{vol.get('counts')} Zahlen"
        + (" (Datenbank wiederverwendet)" if setup.get("reused") else "")
        + f". Je URL {meta['options']['warmup']} zum Aufwärmen, dann "
        f"{meta['options']['requests']} gemessen (Django-Testclient im Prozess: "
        "Middleware, Mandant, Sitzung, Sicht, Datenbank).",
        highlight=False,
    )
    table = Table(title="Ergebnis: Faktor = Ziel / p95 (> 1: Ziel erfüllt)", show_lines=False)
    for name, justify in (
        ("URL", "left"),
        ("p50", "right"),
        ("p95", "right"),
        ("max", "right"),
        ("SQL", "right"),
        ("Ziel", "right"),
        ("Faktor", "right"),
        ("", "left"),
    ):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    for row in report["rows"]:
        if row["skipped"]:
            verdict = "[red bold]FEHLT[/]"
        elif row["passed"] is None:
            verdict = "[dim]Info[/]"
        else:
            verdict = "[green]PASS[/]" if row["passed"] else "[red]FAIL[/]"
        label = row["path"] + (f"\n[dim]{row['note']}[/]" if row["note"] else "")
        queries = "–" if row["queries"] is None else str(row["queries"])
        if row["many_queries"]:
            queries = f"[yellow]{queries}![/]"
        table.add_row(
            label,
            _ms(row["p50_s"]),
            _ms(row["p95_s"]),
            _ms(row["max_s"]),
            queries,
            "Info" if row["goal_s"] is None else f"≤ {_ms(row['goal_s'])}",
            "–" if row["factor"] is None else f"{row['factor']:.2f}×",
            verdict,
        )
    console.print(table)
    if report["missing"]:
        console.print(f"[red bold]Nicht gemessen (404): {', '.join(report['missing'])}[/]")
    if report["many_queries"]:
        console.print(
            f"[yellow]Mehr als 15 SQL-Anfragen je Aufruf: {', '.join(report['many_queries'])}[/]"
        )
    verdict = "Alle Ziele erfüllt" if report["goals_met"] else "Nicht alle Ziele erfüllt"
    console.print(f"[bold]{verdict}.[/] Ergebnisse: {meta['json']}", highlight=False)
