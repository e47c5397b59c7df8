"""``kinrw migrate``: the whole fleet, skipping what is up to date."""

from __future__ import annotations

import click

from kinrw.cli.main import EXIT_FAILED, setup_django


@click.command()
@click.option(
    "--parallel",
    "-p",
    default=2,
    show_default=True,
    type=click.IntRange(1, 32),
    help="Höchstens so viele Schemas gleichzeitig migrieren.",
)
@click.option("--tenant", "only", multiple=True, help="Nur diese KI (Kurzname, mehrfach möglich).")
def migrate(parallel: int, only: tuple[str, ...]) -> None:
    """Öffentliches Schema, Vorlage und alle KI-Schemas migrieren."""
    setup_django()
    from kinrw.tenancy.fleet import migrate_fleet

    def progress(schema: str, ok: bool) -> None:
        click.echo(f"{'✓' if ok else '✗'} {schema}")

    result = migrate_fleet(parallel=parallel, only=list(only) or None, progress=progress)
    click.echo(
        f"Öffentliches Schema: {'migriert' if result.public_migrated else 'aktuell'}; "
        f"Vorlage: {result.template}; KI: {len(result.migrated)} migriert, "
        f"{len(result.skipped)} bereits aktuell, {len(result.failed)} fehlgeschlagen."
    )
    if result.failed:
        for schema, error in sorted(result.failed.items()):
            click.echo(f"Fehlgeschlagen: {schema}: {error}", err=True)
        click.echo(
            "Erneut `kinrw migrate` ausführen, um die fehlgeschlagenen fortzusetzen.", err=True
        )
        raise SystemExit(EXIT_FAILED)
