"""``kinrw bench state``: the ministry dashboard and the freshness of the Land's facts.

The issue's goals: with 54 KIs holding three years of demo data, the dashboard's
overview at p95 ≤ 50 ms server time and ≥ 20× faster than computing the same
figures live from the 54 schemas; the same overview with 1,000 simulated KIs
≤ 200 ms; freshness p95 ≤ 5 s from a commit in a workspace to its fact, with one
worker, while the 54 KIs write at once. The orchestrator (this module, no
Django) makes the database ``kinrw_bench_state``, chooses the broker, runs
:mod:`~kinrw.benchmarks.state_worker` in a process of its own, prints the table
and writes the JSON to ``bench/results/``.
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from kinrw.benchmarks import process

DB_NAME = "kinrw_bench_state"
REDIS_DB = 8  # a database of its own on the machine's Redis, emptied before the run


@dataclass
class StateOptions:
    years: int = 3
    requests: int = 100
    warmup: int = 10
    live_requests: int = 10
    fleet: int = 1000
    writes: int = 20  # rounds in which every KI commits once
    pause: float = 2.0  # seconds between the rounds
    keep_db: bool = False
    reuse_db: bool = False
    db_name: str = DB_NAME
    results: Path = Path("bench/results")
    registry: Path = Path("tenants")
    strict: bool = False


def _redis_up(host: str = "127.0.0.1", port: int = 6379) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def broker_url(data_dir: str) -> str:
    """``CELERY_BROKER_URL`` if set; else the machine's Redis; else the filesystem transport."""
    if os.environ.get("CELERY_BROKER_URL"):
        return os.environ["CELERY_BROKER_URL"]
    if _redis_up():
        return f"redis://127.0.0.1:6379/{REDIS_DB}"
    return "filesystem://"  # in KINRW_DATA_DIR (a temporary folder), ADR 0011


def run_state(options: StateOptions, console: Console) -> dict[str, Any]:
    """Prepare, measure, print, write; the result's ``goals_met`` says whether all passed."""
    names = ("years", "requests", "warmup", "live_requests", "fleet", "writes", "pause")
    with process.bench_database(options, "state") as run:
        run.env["KINRW_DATA_DIR"] = run.tmp  # beat's schedule file, the filesystem broker
        run.env["CELERY_BROKER_URL"] = run.meta["broker"] = broker_url(run.tmp)
        params = {name: getattr(options, name) for name in names}
        result = process.run(
            "kinrw.benchmarks.state_worker", run.env, {**params, "reuse": run.reuse}
        )
    meta = run.meta
    report = {"meta": meta, **result}
    report["goals_met"] = all(row["passed"] for row in goal_rows(report))
    path = process.write_json(report, options.results, run)
    report["meta"]["json"] = str(path)
    print_state(report, console)
    return report


def _ms(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value * 1000:.1f} ms" if value < 0.1 else f"{value * 1000:.0f} ms"


def goal_rows(report: dict[str, Any]) -> list[dict[str, Any]]:
    """The four goals of the issue, each with its measured value and verdict."""
    overview = report["overview"]
    served, computed, live = overview["probes"]
    fleet = report["fleet"]["probe"]
    fresh = report["freshness"]
    return [
        {
            "goal": "Übersicht (54 KI) p95 ≤ 50 ms",
            "value": f"{_ms(computed['p95_s'])} jedes Mal berechnet, "
            f"{_ms(served['p95_s'])} ausgeliefert",
            "passed": bool(computed["passed"]) and served["p95_s"] <= computed["goal_s"],
        },
        {
            "goal": "≥ 20× schneller als live aus 54 Schemas",
            "value": f"{overview['live_factor']:.0f}× (Median {_ms(live['p50_s'])} "
            f"gegen {_ms(served['p50_s'])}; jedes Mal berechnet: "
            f"{overview['live_factor_uncached']:.0f}×)",
            "passed": bool(overview["live_passed"]),
        },
        {
            "goal": f"Übersicht ({report['fleet']['kis']} KI) p95 ≤ 200 ms",
            "value": _ms(fleet["p95_s"]),
            "passed": bool(fleet["passed"]),
        },
        {
            "goal": "Aktualität p95 ≤ 5 s (1 Worker, alle KI schreiben)",
            "value": f"{_ms(fresh['p95_s'])} (p50 {_ms(fresh['p50_s'])}, "
            f"max {_ms(fresh['max_s'])}, {fresh['commits']} Änderungen)",
            "passed": bool(fresh["passed"]),
        },
    ]


def print_state(report: dict[str, Any], console: Console) -> None:
    meta, vol = report["meta"], report.get("volume", {})
    pg = report.get("postgres")
    checked = report["overview"]["checked"]
    console.print(
        f"[bold]KI-Plattform NRW – Benchmark Landesebene[/] {meta['started']}\n"
        f"PostgreSQL {pg // 10000 if isinstance(pg, int) else '?'}, Python {meta['python']}, "
        f"{meta['cpus']} CPU, Systemlast {meta['loadavg_start']} → {meta['loadavg_end']}, "
        f"Broker {meta['broker'].split('://')[0]}\n"
        f"{vol.get('kis')} KI mit {meta['options']['years']} Jahren Demodaten: "
        f"{vol.get('measures')} Maßnahmen, {vol.get('sessions')} Termine, "
        f"{vol.get('facts')} Kennzahlen"
        + (" (Datenbank wiederverwendet)" if report.get("reused") else "")
        + f".\nÜbersicht /dashboard/: {checked['indicator']} {checked['year']}, "
        f"{report['overview']['rows']} Zeilen; Django-Testclient im Prozess "
        "(Middleware, Sitzung, Sicht, Geheimhaltung, Karte, Vorlage, Datenbank).",
        highlight=False,
    )
    table = Table(title="Messungen", show_lines=False)
    for name, justify in (
        ("Messung", "left"),
        ("n", "right"),
        ("p50", "right"),
        ("p95", "right"),
        ("max", "right"),
        ("SQL", "right"),
    ):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    labels = {
        "overview": "Übersicht, wie ausgeliefert (54 KI)",
        "overview_uncached": "Übersicht, jedes Mal aus den Kennzahlen berechnet",
        "overview_live": "dieselbe Übersicht live aus 54 Schemas (Basislinie)",
        "fleet": f"Übersicht mit {report['fleet']['kis']} KI, jedes Mal berechnet",
        "fleet_served": f"Übersicht mit {report['fleet']['kis']} KI, wie ausgeliefert",
    }
    rows = [*report["overview"]["probes"], report["fleet"]["probe"], report["fleet"]["served"]]
    for row in rows:
        table.add_row(
            labels.get(row["key"], row["key"]),
            str(len(row["times_s"])),
            _ms(row["p50_s"]),
            _ms(row["p95_s"]),
            _ms(row["max_s"]),
            "–" if row["queries"] is None else str(row["queries"]),
        )
    fresh = report["freshness"]
    table.add_row(
        "Aktualität: Commit im KI → Kennzahl sichtbar",
        str(fresh["commits"]),
        _ms(fresh["p50_s"]),
        _ms(fresh["p95_s"]),
        _ms(fresh["max_s"]),
        "–",
    )
    console.print(table)
    goals = Table(title="Ziele des Issues", show_lines=False)
    for name in ("Ziel", "gemessen", ""):
        goals.add_column(name)
    for row in goal_rows(report):
        verdict = "[green]PASS[/]" if row["passed"] else "[red]FAIL[/]"
        goals.add_row(row["goal"], row["value"], verdict)
    console.print(goals)
    verdict = "Alle Ziele erfüllt" if report["goals_met"] else "Nicht alle Ziele erfüllt"
    console.print(f"[bold]{verdict}.[/] Ergebnisse: {meta['json']}", highlight=False)
