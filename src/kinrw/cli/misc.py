"""Small commands: serve, db, compilemessages, django."""

from __future__ import annotations

import os
import sys

import click

from kinrw.cli.main import setup_django


@click.command()
@click.option(
    "--port",
    type=click.IntRange(1, 65535),
    default=lambda: int(os.environ.get("PORT", "8000")),
    show_default="$PORT oder 8000",
)
@click.option(
    "--bind", default=lambda: os.environ.get("KINRW_BIND", "127.0.0.1"), show_default="127.0.0.1"
)
@click.option("--workers", default=2, show_default=True)
@click.option("--threads", default=4, show_default=True)
@click.option(
    "--worker/--no-worker",
    default=None,
    help="Celery-Worker mit Beat mitstarten (Standard: nur mit dem eingebetteten Broker).",
)
def serve(port: int, bind: str, workers: int, threads: int, worker: bool | None) -> None:
    """Plattform mit gunicorn ausliefern."""
    setup_django()  # fail early (and start the embedded database) before forking workers
    from django.conf import settings
    from django.core.management import call_command

    if not settings.DEBUG:  # WhiteNoise serves the collected, hashed files
        call_command("collectstatic", interactive=False, verbosity=0)

    base = settings.KINRW_BASE_DOMAIN
    click.echo(f"Landesebene:  http://{base}:{port}/")
    click.echo(f"Beispiel-KI:  http://koeln.{base}:{port}/")
    click.echo(f"Gesundheit:   http://{bind}:{port}/healthz  /readyz")
    args = [
        sys.executable,
        "-m",
        "gunicorn",
        "kinrw.conf.wsgi:application",
        "--bind",
        f"{bind}:{port}",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--forwarded-allow-ips",
        os.environ.get("KINRW_PROXIES", "127.0.0.1"),
    ]
    if worker is None:  # the embedded default (ADR 0011); elsewhere the worker runs apart
        worker = settings.CELERY_BROKER_URL.startswith("filesystem://")
    if not worker:
        os.execv(sys.executable, args)
    from kinrw.cli.worker import SHOWN, run_with_worker, worker_command
    from kinrw.core import embedded_pg

    broker = settings.CELERY_BROKER_URL.split(":", 1)[0]  # never the password of a URL
    command = worker_command(embedded_pg.data_dir())
    click.echo(f"Worker:       {SHOWN} (Broker {broker})")
    sys.exit(run_with_worker(args, command))


@click.group()
def db() -> None:
    """Eingebettete PostgreSQL-Datenbank (ohne DATABASE_URL)."""


@db.command()
def url() -> None:
    """Verbindung der Datenbank anzeigen (startet die eingebettete bei Bedarf)."""
    setup_django()
    from django.db import connection

    settings_dict = connection.settings_dict
    click.echo(
        f"host={settings_dict['HOST']} port={settings_dict['PORT']} "
        f"dbname={settings_dict['NAME']} user={settings_dict['USER']}"
    )


@db.command()
def stop() -> None:
    """Eingebettete PostgreSQL-Datenbank anhalten."""
    from kinrw.core import embedded_pg

    click.echo("angehalten" if embedded_pg.stop() else "lief nicht")


@click.command()
def compilemessages() -> None:
    """Übersetzungen (.po) in .mo übersetzen, ohne GNU gettext."""
    from kinrw.core.i18n import compile_catalogs

    for path in compile_catalogs():
        click.echo(f"übersetzt: {path}")


@click.command(context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def django(args: tuple[str, ...]) -> None:
    """Django-Verwaltungsbefehl ausführen (manage.py)."""
    setup_django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["kinrw django", *args])


COMMANDS = [serve, db, compilemessages, django]
