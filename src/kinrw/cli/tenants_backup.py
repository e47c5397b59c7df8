"""``kinrw tenants export`` and ``kinrw tenants restore``: one KI's data as a bundle."""

from __future__ import annotations

import json
from pathlib import Path

import click

from kinrw.cli.main import EXIT_FAILED, fail, setup_django


def _first_line(exc: Exception) -> str:
    """One line for the operator (no traceback: an SQL error may quote row values)."""
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


@click.command()
@click.argument("slug")
@click.option(
    "--to",
    "to",
    required=True,
    help="Zielordner oder s3://BUCKET/PRÄFIX; darin entsteht ein neuer Ordner.",
)
@click.option("--json", "as_json", is_flag=True, help="Maschinenlesbar (siehe docs/cli.md).")
def export(slug: str, to: str, as_json: bool) -> None:
    """Schema und Dateien eines KI mit Prüfsummen-Manifest exportieren."""
    setup_django(migrated=True)
    from kinrw.tenancy.bundle import BundleError
    from kinrw.tenancy.export import tenant_export

    try:
        done = tenant_export(slug=slug, to=to)
    except BundleError as exc:
        fail(str(exc))
    except Exception as exc:
        fail(
            f"Export fehlgeschlagen (unvollständig, ohne Manifest): {_first_line(exc)}", EXIT_FAILED
        )
    tables = done.manifest["tables"]
    if as_json:
        data = {
            "slug": slug,
            "bundle": done.where,
            "tables": len(tables),
            "rows": sum(tables.values()),
            "files": len(done.manifest["files"]),
        }
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    click.echo(
        f"Exportiert: {slug} nach {done.where} ({len(tables)} Tabellen, "
        f"{sum(tables.values())} Zeilen, {len(done.manifest['files'])} Dateien)"
    )


@click.command()
@click.argument("source")
@click.option("--into", "into", help="Kurzname des Ziel-KI; Standard: das exportierte KI.")
@click.option(
    "--replace",
    is_flag=True,
    help="Die Daten eines bestehenden KI ersetzen (altes Schema wird gelöscht).",
)
@click.option("--registry", "registry_path", type=click.Path(path_type=Path), help="Register-Pfad.")
@click.option("--json", "as_json", is_flag=True, help="Maschinenlesbar (siehe docs/cli.md).")
def restore(
    source: str, into: str | None, replace: bool, registry_path: Path | None, as_json: bool
) -> None:
    """Ein KI aus einem Export (Ordner oder s3://…) wiederherstellen."""
    setup_django(migrated=True)
    from kinrw.tenancy.bundle import BundleError
    from kinrw.tenancy.restore import tenant_restore

    try:
        done = tenant_restore(
            source=source, into=into, replace=replace, registry_path=registry_path
        )
    except BundleError as exc:
        fail(str(exc))
    except Exception as exc:
        fail(f"Wiederherstellung fehlgeschlagen: {_first_line(exc)}", EXIT_FAILED)
    slug = done.tenant.slug
    if as_json:
        data = {
            "slug": slug,
            "schema": done.tenant.schema_name,
            "created": done.created,
            "tables": done.tables,
            "rows": done.rows,
            "files_written": done.files,
            "migrated": done.migrated,
        }
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    how = "neu angelegt und wiederhergestellt" if done.created else "wiederhergestellt"
    click.echo(
        f"KI {slug} {how}: {done.tables} Tabellen, {done.rows} Zeilen, "
        f"{done.files} Dateien geschrieben" + (", danach migriert." if done.migrated else ".")
    )
