"""``kinrw catalogue …``: the Land's programme catalogue from its data file."""

from __future__ import annotations

import json
from pathlib import Path

import click

from kinrw.cli.main import fail, setup_django


@click.group()
def catalogue() -> None:
    """Programmkatalog des Landes (Programme und ihre Indikatoren)."""


@catalogue.command()
@click.argument("path", required=False, type=click.Path(path_type=Path))
@click.option("--dry-run", is_flag=True, help="Nur zeigen, was sich ändern würde.")
def apply(path: Path | None, dry_run: bool) -> None:
    """Katalog an die Datei angleichen (Standard: der mitgelieferte Katalog). Löscht nie."""
    setup_django(migrated=True)
    from kinrw.catalogue.loader import CatalogueError
    from kinrw.catalogue.services import catalogue_apply

    try:
        changes = catalogue_apply(path=path, dry_run=dry_run)
    except CatalogueError as exc:
        fail(str(exc))
    for line in changes.created:
        click.echo(f"+ {line}")
    for line in changes.updated:
        click.echo(f"~ {line}")
    for line in changes.deactivated:
        click.echo(f"- deaktiviert: {line}")
    summary = (
        f"{len(changes.created)} neu, {len(changes.updated)} geändert, "
        f"{len(changes.deactivated)} deaktiviert"
    )
    if dry_run:
        click.echo(f"Probelauf ({summary}): nichts geändert.")
    elif changes.empty:
        click.echo("Nichts zu tun: der Katalog entspricht der Datei.")
    else:
        click.echo(f"Fertig: {summary}.")


@catalogue.command(name="list")
@click.option("--json", "as_json", is_flag=True, help="Maschinenlesbar.")
@click.option("--year", type=int, help="Nur Programme, die in diesem Jahr laufen.")
def list_(as_json: bool, year: int | None) -> None:
    """Programme und ihre Indikatoren auflisten."""
    setup_django(migrated=True)
    from kinrw.catalogue.selectors import programme_list

    data = [
        {
            "code": p.code,
            "name": p.name,
            "handlungsfeld": p.handlungsfeld,
            "active_from": p.active_from,
            "active_until": p.active_until,
            "own_measure": p.own_measure,
            "indicators": [
                {
                    "code": i.code,
                    "label": i.label,
                    "unit": i.unit,
                    "counts_persons": i.counts_persons,
                    "breakdowns": i.breakdowns,
                }
                for i in p.indicators.all()
            ],
        }
        for p in programme_list(year=year)
    ]
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    for p in data:
        click.echo(f"{p['code']:<20} {p['name']} ({len(p['indicators'])} Indikatoren)")
