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

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from kinrw.benchmarks import process

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
    with process.bench_database(options, "workspace") as run:
        params = {
            "measures": options.measures,
            "sessions": options.sessions,
            "requests": options.requests,
            "warmup": options.warmup,
            "grid_rounds": options.grid_rounds,
            "reuse": run.reuse,
        }
        result = process.run("kinrw.benchmarks.workspace_worker", run.env, params)
    meta = run.meta
    probes = result.pop("probes")
    report = {
        "meta": meta,
        "setup": result,
        "rows": probes,
        "goals_met": all(p["passed"] is not False and not p["skipped"] for p in probes),
        "many_queries": [p["path"] for p in probes if p["many_queries"]],
        "missing": [p["path"] for p in probes if p["skipped"]],
    }
    path = process.write_json(report, options.results, run)
    report["meta"]["json"] = str(path)
    print_workspace(report, console)
    return report


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
