"""``kinrw``: the operators' command line (``python -m kinrw`` works too)."""

from __future__ import annotations

import os
import sys

import click

from kinrw import __version__

# Exit codes: 0 ok, 1 failure while working, 2 bad input (nothing changed).
EXIT_FAILED = 1
EXIT_BAD_INPUT = 2


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kinrw.conf.settings")
    import django

    django.setup()


def fail(message: str, code: int = EXIT_BAD_INPUT) -> None:
    click.echo(f"Fehler: {message}", err=True)
    sys.exit(code)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kinrw")
def cli() -> None:
    """KI-Plattform NRW: Betrieb der Plattform und der 54 KI."""


def _register() -> None:
    from kinrw.cli import accounts, bench, fleet, misc, tenants

    cli.add_command(tenants.tenants)
    cli.add_command(fleet.migrate)
    cli.add_command(accounts.accounts)
    cli.add_command(bench.bench)
    for command in misc.COMMANDS:
        cli.add_command(command)


def main() -> None:
    _register()
    cli(prog_name="kinrw")
