"""``kinrw``: the operators' command line (``python -m kinrw`` works too)."""

from __future__ import annotations

import os
import sys

import click

from kinrw import __version__

# Exit codes: 0 ok, 1 failure while working, 2 bad input (nothing changed).
EXIT_FAILED = 1
EXIT_BAD_INPUT = 2


def setup_django(*, migrated: bool = False) -> None:
    """Set Django up; with ``migrated``, refuse (one line, code 1) an unmigrated database."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kinrw.conf.settings")
    import django

    django.setup()
    if migrated:
        from django.db import OperationalError, connection

        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT to_regclass('public.tenancy_tenant')")
                ready = cursor.fetchone()[0] is not None
        except OperationalError as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            fail(f"Datenbank nicht erreichbar: {first}", EXIT_FAILED)
        if not ready:
            fail(
                "Die Datenbank ist noch nicht migriert: bitte zuerst `kinrw migrate` ausführen.",
                EXIT_FAILED,
            )


def fail(message: str, code: int = EXIT_BAD_INPUT) -> None:
    click.echo(f"Fehler: {message}", err=True)
    sys.exit(code)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kinrw")
def cli() -> None:
    """KI-Plattform NRW: Betrieb der Plattform und der 54 KI."""


def _register() -> None:
    from kinrw.cli import accounts, bench, catalogue, demo, fleet, misc, probe, state, tenants

    cli.add_command(tenants.tenants)
    cli.add_command(catalogue.catalogue)
    cli.add_command(fleet.migrate)
    cli.add_command(accounts.accounts)
    cli.add_command(bench.bench)
    cli.add_command(demo.demo_data)
    cli.add_command(state.state)
    cli.add_command(probe.worker_alive)
    for command in misc.COMMANDS:
        cli.add_command(command)


def main() -> None:
    _register()
    cli(prog_name="kinrw")
