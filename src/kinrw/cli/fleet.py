"""``kinrw migrate``: the whole fleet, skipping what is up to date."""

from __future__ import annotations

import click

from kinrw.cli.main import EXIT_FAILED, fail, setup_django


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
    from django.db import connection

    from kinrw.tenancy.context import in_public
    from kinrw.tenancy.fleet import migrate_fleet
    from kinrw.tenancy.models import Tenant

    with in_public():  # a fresh database has no tenant table yet
        registered = Tenant._meta.db_table in connection.introspection.table_names()
        slugs = dict(Tenant.objects.values_list("schema_name", "slug")) if registered else {}
    unknown = sorted(set(only) - set(slugs.values()))
    if unknown:
        fail(f"Unbekannte KI: {', '.join(unknown)}. Nichts migriert.")

    def label(schema: str) -> str:
        return f"KI {slugs[schema]} ({schema})" if schema in slugs else schema

    def progress(schema: str, ok: bool) -> None:
        click.echo(f"{'✓' if ok else '✗'} {label(schema)}")

    result = migrate_fleet(parallel=parallel, only=list(only) or None, progress=progress)
    click.echo(
        f"Öffentliches Schema: {'migriert' if result.public_migrated else 'aktuell'}; "
        f"Vorlage: {result.template}; KI: {len(result.migrated)} migriert, "
        f"{len(result.skipped)} bereits aktuell, {len(result.failed)} fehlgeschlagen."
    )
    if result.failed:
        for schema, error in sorted(result.failed.items()):
            click.echo(f"Fehlgeschlagen: {result.label(schema)}: {error}", err=True)
        names = ", ".join(result.slugs.get(s, s) for s in sorted(result.failed))
        click.echo(
            f"Erneut `kinrw migrate` ausführen, um die fehlgeschlagenen KI fortzusetzen: {names}",
            err=True,
        )
        raise SystemExit(EXIT_FAILED)
