"""``kinrw worker-alive``: the liveness probe of a Celery worker in a container.

It reads the heartbeat file the worker touches (kinrw.core.heartbeat) and nothing else:
no Django setup, no database, no broker, so it answers in well under a second.
"""

from __future__ import annotations

from pathlib import Path

import click

from kinrw.cli.main import EXIT_FAILED, fail
from kinrw.core import heartbeat


@click.command("worker-alive")
@click.option(
    "--file",
    "path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help=f"Herzschlag-Datei (Standard: ${heartbeat.ENV_FILE}).",
)
@click.option(
    "--max-age",
    type=click.FloatRange(min=1),
    default=120.0,
    show_default=True,
    help="So viele Sekunden darf der letzte Herzschlag höchstens zurückliegen.",
)
def worker_alive(path: Path | None, max_age: float) -> None:
    """Prüfen, ob der Celery-Worker lebt (Liveness-Probe, ohne Broker und Datenbank)."""
    path = path or heartbeat.main_path()
    if path is None:
        fail(f"keine Herzschlag-Datei: --file angeben oder {heartbeat.ENV_FILE} setzen.")
    seconds = heartbeat.age(path)
    if seconds is None:
        fail(f"kein Herzschlag in {path}", EXIT_FAILED)
    if seconds > max_age:
        fail(f"letzter Herzschlag vor {seconds:.0f} s (erlaubt: {max_age:.0f} s)", EXIT_FAILED)
    click.echo(f"Worker lebt: letzter Herzschlag vor {seconds:.0f} s")
