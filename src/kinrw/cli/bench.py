"""``kinrw bench …``: benchmarks (see bench/README.md)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from kinrw.cli.main import EXIT_FAILED


@click.group()
def bench() -> None:
    """Messungen gegen die Basislinie von django-tenants und Django."""


def _options(command: Callable[..., None]) -> Callable[..., None]:
    decorators = [
        click.option(
            "--rounds",
            "onboarding_rounds",
            default=7,
            show_default=True,
            type=click.IntRange(1, 50),
            help="KI anlegen: gemessene KI je Seite.",
        ),
        click.option(
            "--migrate-rounds",
            default=3,
            show_default=True,
            type=click.IntRange(1, 20),
            help="No-op-Migration: gemessene Läufe je Seite (im Prozess).",
        ),
        click.option(
            "--cli-rounds",
            default=2,
            show_default=True,
            type=click.IntRange(0, 20),
            help="No-op-Migration als Befehl (mit Python-Start); 0: nicht messen.",
        ),
        click.option(
            "--request-rounds",
            default=5,
            show_default=True,
            type=click.IntRange(1, 50),
            help="Anfragen: Runden je Server.",
        ),
        click.option(
            "--requests",
            default=3000,
            show_default=True,
            type=click.IntRange(100, 1_000_000),
            help="Anfragen je Runde und Server.",
        ),
        click.option(
            "--concurrency",
            default=8,
            show_default=True,
            type=click.IntRange(1, 64),
            help="Gleichzeitige Keep-alive-Verbindungen des Lastgenerators.",
        ),
        click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 16)),
        click.option("--threads", default=4, show_default=True, type=click.IntRange(1, 64)),
        click.option(
            "--stock/--no-stock",
            default=True,
            show_default=True,
            help="Zum Vergleich auch django-tenants' eigenen Anfrageweg messen.",
        ),
        click.option(
            "--mixed/--no-mixed",
            default=True,
            show_default=True,
            help="Zusätzlich Anfragen an alle KI im Wechsel.",
        ),
        click.option(
            "--models",
            default="both",
            show_default=True,
            type=click.Choice(["both", "workspace", "platform"]),
            help="KI anlegen und No-op-Migration: mit den Modellen der Plattform heute, mit den "
            "26 Arbeitsbereich-Modellen der Bench-App (daran werden die Ziele gemessen) oder "
            "beiden.",
        ),
        click.option(
            "--keep-db", is_flag=True, help="Benchmark-Datenbanken danach nicht entfernen."
        ),
        click.option(
            "--db-name",
            default="kinrw_bench",
            show_default=True,
            help="Name der Benchmark-Datenbank (muss mit kinrw_bench beginnen); die mit den "
            "26 Arbeitsbereich-Modellen heißt genauso mit _ws am Ende.",
        ),
        click.option(
            "--results",
            default=Path("bench/results"),
            show_default=True,
            type=click.Path(path_type=Path, file_okay=False),
            help="Verzeichnis für die JSON-Ergebnisse.",
        ),
        click.option(
            "--registry",
            default=Path("tenants"),
            show_default=True,
            type=click.Path(path_type=Path),
            help="KI-Register, aus dem die Flotte angelegt wird.",
        ),
        click.option("--strict", is_flag=True, help="Exit-Code 1, wenn ein Ziel verfehlt wird."),
    ]

    for decorator in reversed(decorators):
        command = decorator(command)
    return command


def _run(parts: list[str], **kwargs: Any) -> None:
    from rich.console import Console

    from kinrw.benchmarks.database import BenchDatabaseError
    from kinrw.benchmarks.options import BenchError, Options
    from kinrw.benchmarks.runner import run

    console = Console()
    if not console.is_terminal:
        console = Console(width=120)  # files and pipes: wide enough for the table
    try:
        report = run(parts, Options(**kwargs), console)
    except (BenchError, BenchDatabaseError) as exc:
        click.echo(f"Fehler: {exc}", err=True)
        raise SystemExit(EXIT_FAILED) from exc
    if kwargs.get("strict") and not report.goals_met:
        raise SystemExit(EXIT_FAILED)


@bench.command("all")
@_options
def all_(**kwargs: Any) -> None:
    """Alles: KI anlegen, No-op-Migration der Flotte, Anfragen."""
    _run(["onboarding", "migrate", "requests"], **kwargs)


@bench.command()
@_options
def onboarding(**kwargs: Any) -> None:
    """KI anlegen: django-tenants (Migrationen) gegen kinrw (Vorlage)."""
    _run(["onboarding"], **kwargs)


@bench.command()
@_options
def migrate(**kwargs: Any) -> None:
    """No-op-Migration aller KI: migrate_schemas gegen kinrw migrate."""
    _run(["migrate"], **kwargs)


@bench.command()
@_options
def requests(**kwargs: Any) -> None:
    """Anfragen an eine triviale KI-Seite gegen dieselbe Seite in schlichtem Django."""
    _run(["requests"], **kwargs)


def _data_options(db_name: str, registry_help: str) -> Callable[..., Any]:
    """The options of the benchmarks that fill a database of their own."""

    def decorate(command: Callable[..., None]) -> Callable[..., None]:
        for decorator in reversed(
            [
                click.option(
                    "--keep-db", is_flag=True, help="Benchmark-Datenbank danach nicht entfernen."
                ),
                click.option(
                    "--reuse-db",
                    is_flag=True,
                    help="Datenbank behalten und beim nächsten Lauf ohne neues Füllen "
                    "wiederverwenden.",
                ),
                click.option(
                    "--db-name",
                    default=db_name,
                    show_default=True,
                    help="Name der Benchmark-Datenbank (muss mit kinrw_bench beginnen).",
                ),
                click.option(
                    "--results",
                    default=Path("bench/results"),
                    show_default=True,
                    type=click.Path(path_type=Path, file_okay=False),
                    help="Verzeichnis für die JSON-Ergebnisse.",
                ),
                click.option(
                    "--registry",
                    default=Path("tenants"),
                    show_default=True,
                    type=click.Path(path_type=Path),
                    help=registry_help,
                ),
                click.option(
                    "--strict", is_flag=True, help="Exit-Code 1, wenn ein Ziel verfehlt wird."
                ),
            ]
        ):
            command = decorator(command)
        return command

    return decorate


def _run_data_bench(run: Callable[[Any], dict[str, Any]], kwargs: dict[str, Any]) -> None:
    from rich.console import Console

    from kinrw.benchmarks.database import BenchDatabaseError
    from kinrw.benchmarks.options import BenchError

    console = Console()
    if not console.is_terminal:
        console = Console(width=120)  # files and pipes: wide enough for the table
    try:
        report = run(console)
    except (BenchError, BenchDatabaseError) as exc:
        click.echo(f"Fehler: {exc}", err=True)
        raise SystemExit(EXIT_FAILED) from exc
    if kwargs["strict"] and not report["goals_met"]:
        raise SystemExit(EXIT_FAILED)


@bench.command()
@click.option(
    "--measures",
    default=20_000,
    show_default=True,
    type=click.IntRange(10, 1_000_000),
    help="Maßnahmen in der KI.",
)
@click.option(
    "--sessions",
    default=200_000,
    show_default=True,
    type=click.IntRange(100, 10_000_000),
    help="Termine in der KI.",
)
@click.option(
    "--requests",
    default=60,
    show_default=True,
    type=click.IntRange(1, 10_000),
    help="Gemessene Aufrufe je URL.",
)
@click.option(
    "--warmup", default=5, show_default=True, type=click.IntRange(1, 100), help="Aufwärmen je URL."
)
@click.option(
    "--grid-rounds",
    default=15,
    show_default=True,
    type=click.IntRange(1, 1000),
    help="Gemessene Speicherungen des Monatsrasters.",
)
@_data_options("kinrw_bench_wsdata", "KI-Register, aus dem Köln angelegt wird.")
def workspace(**kwargs: Any) -> None:
    """Listen, API und Monatsraster einer KI mit 20.000 Maßnahmen und 200.000 Terminen."""
    from kinrw.benchmarks.workspace_bench import WorkspaceOptions, run_workspace

    _run_data_bench(lambda console: run_workspace(WorkspaceOptions(**kwargs), console), kwargs)


@bench.command()
@click.option(
    "--years", default=3, show_default=True, type=click.IntRange(1, 10), help="Jahre Demodaten."
)
@click.option(
    "--requests",
    default=100,
    show_default=True,
    type=click.IntRange(1, 10_000),
    help="Gemessene Aufrufe der Übersicht (aus den Kennzahlen, auch mit vielen KI).",
)
@click.option(
    "--warmup", default=10, show_default=True, type=click.IntRange(1, 100), help="Aufwärmen."
)
@click.option(
    "--live-requests",
    default=10,
    show_default=True,
    type=click.IntRange(1, 1000),
    help="Gemessene Aufrufe der live berechneten Übersicht (Basislinie).",
)
@click.option(
    "--fleet",
    default=1000,
    show_default=True,
    type=click.IntRange(54, 100_000),
    help="So viele KI für die Übersicht mit simulierten KI.",
)
@click.option(
    "--writes",
    default=20,
    show_default=True,
    type=click.IntRange(1, 1000),
    help="Aktualität: Runden, in denen jedes KI gleichzeitig eine Änderung speichert.",
)
@click.option(
    "--pause",
    default=2.0,
    show_default=True,
    type=click.FloatRange(0, 60),
    help="Aktualität: Sekunden zwischen den Runden.",
)
@_data_options("kinrw_bench_state", "KI-Register, aus dem die KI angelegt werden.")
def state(**kwargs: Any) -> None:
    """Landesebene: Übersicht aus den Kennzahlen gegen live, 1.000 KI, Aktualität."""
    from kinrw.benchmarks.state_bench import StateOptions, run_state

    _run_data_bench(lambda console: run_state(StateOptions(**kwargs), console), kwargs)
