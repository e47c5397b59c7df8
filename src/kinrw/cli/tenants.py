"""``kinrw tenants …``: onboarding and status of the KIs."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from kinrw.cli.main import EXIT_BAD_INPUT, EXIT_FAILED, fail, setup_django


@click.group()
def tenants() -> None:
    """KI anlegen, abgleichen, anzeigen, sperren und archivieren."""


def _errors() -> tuple[type[Exception], ...]:
    from kinrw.accounts.services import AccountError
    from kinrw.tenancy.onboarding import OnboardingError
    from kinrw.tenancy.registry import RegistryError

    return (OnboardingError, RegistryError, AccountError)


@tenants.command()
@click.argument("path", required=False, type=click.Path(path_type=Path))
@click.option("--dry-run", is_flag=True, help="Nur den Plan zeigen, nichts ändern.")
@click.option("--admin-email", help="Für jedes neu angelegte KI ein erstes Leitungskonto anlegen.")
@click.option(
    "--progress/--no-progress", default=None, help="Fortschrittsbalken (Standard: am Terminal)."
)
def apply(path: Path | None, dry_run: bool, admin_email: str | None, progress: bool | None) -> None:
    """Datenbank an das Register in tenants/ (oder PATH) angleichen. Löscht nie."""
    setup_django(migrated=True)
    from kinrw.tenancy import apply as applying
    from kinrw.tenancy import registry

    try:
        entries = registry.load(path)
        the_plan = applying.plan(entries)
        if admin_email:
            from kinrw.accounts.services import validate_email

            validate_email(admin_email)
    except _errors() as exc:
        fail(str(exc))
    _print_plan(the_plan)
    if dry_run:
        click.echo("Probelauf: nichts geändert.")
        return
    if the_plan.empty:
        from kinrw.tenancy import onboarding

        for line in onboarding.repair():
            click.echo(line)
        click.echo(f"Nichts zu tun: {len(the_plan.unchanged)} KI entsprechen dem Register.")
        return
    show_bar = sys.stdout.isatty() if progress is None else progress
    try:
        outcome = _execute(the_plan, admin_email=admin_email, show_bar=show_bar)
    except _errors() as exc:
        fail(str(exc), EXIT_FAILED)
    for line in outcome.repaired:
        click.echo(line)
    for created in outcome.created:
        if created.set_password_url:
            click.echo(f"Passwort-Link für {created.tenant.slug}: {created.set_password_url}")
    click.echo(
        f"Fertig: {len(outcome.created)} angelegt, {len(outcome.updated)} aktualisiert, "
        f"{outcome.unchanged} unverändert."
    )


def _execute(the_plan: Any, *, admin_email: str | None, show_bar: bool) -> Any:
    from kinrw.tenancy import apply as applying

    total = len(the_plan.create) + len(the_plan.update)
    if not show_bar:
        return applying.execute(the_plan, admin_email=admin_email)
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns) as bar:
        task = bar.add_task("KI abgleichen", total=total)
        return applying.execute(
            the_plan,
            admin_email=admin_email,
            progress=lambda slug: bar.update(task, advance=1, description=f"KI {slug}"),
        )


def _print_plan(the_plan: Any) -> None:
    for entry in the_plan.create:
        click.echo(f"+ anlegen      {entry.slug} (AGS {entry.ags}, {entry.primary_domain()})")
    for tenant, _entry, diff in the_plan.update:
        changes = ", ".join(f"{k}: {old} → {new}" for k, (old, new) in diff.items())
        click.echo(f"~ aktualisieren {tenant.slug}: {changes}")
    for tenant in the_plan.not_in_registry:
        click.echo(f"! nicht im Register (bleibt unverändert): {tenant.slug}")
    click.echo(
        f"Plan: {len(the_plan.create)} anlegen, {len(the_plan.update)} aktualisieren, "
        f"{len(the_plan.unchanged)} unverändert."
    )


@tenants.command()
@click.option("--ags", required=True, help="AGS des KI (5 oder 8 Ziffern), wie im Register.")
@click.option("--slug", help="Kurzname; Standard: aus dem Register.")
@click.option("--domain", help="Domain; Standard: <slug>.<KINRW_BASE_DOMAIN>.")
@click.option("--admin-email", help="Erstes Leitungskonto anlegen und Passwort-Link ausgeben.")
@click.option("--registry", "registry_path", type=click.Path(path_type=Path), help="Register-Pfad.")
def create(
    ags: str,
    slug: str | None,
    domain: str | None,
    admin_email: str | None,
    registry_path: Path | None,
) -> None:
    """Ein KI aus dem Register anlegen."""
    import dataclasses
    import re

    if not re.fullmatch(r"\d{5}|\d{8}", ags):
        fail(f"Ungültiger AGS „{ags}“: 5 oder 8 Ziffern erwartet.")
    setup_django(migrated=True)
    from kinrw.tenancy import onboarding, registry, template

    try:
        entry = registry.find(registry.load(registry_path), ags)
        if entry is None:
            fail(f"Unbekannter AGS „{ags}“: steht nicht im Register der 54 KI.")
        assert entry is not None
        if slug:
            entry = dataclasses.replace(entry, slug=slug, domain=None)
        if domain is not None:
            domain = domain.lower()
            if not registry.valid_domain(domain):
                fail(
                    f"Ungültiger Domainname „{domain}“ "
                    "(Hostname nötig, nicht die Adresse der Landesebene)."
                )
        try:
            template.ensure_template()
        except template.TemplateUnavailable as exc:
            click.echo(f"Hinweis: Vorlage nicht nutzbar, Anlegen per Migration ({exc}).", err=True)
        created = onboarding.tenant_create(entry=entry, domain=domain, admin_email=admin_email)
    except _errors() as exc:
        fail(str(exc))
    tenant = created.tenant
    click.echo(
        f"Angelegt: {tenant.slug} ({tenant.schema_name}, {onboarding.primary_domain(tenant)})"
    )
    if created.set_password_url:
        click.echo(f"Passwort-Link: {created.set_password_url}")


def tenant_json(tenant: Any) -> dict[str, Any]:
    from kinrw.tenancy.onboarding import primary_domain

    return {
        "slug": tenant.slug,
        "ags": tenant.ags,
        "ars": tenant.ars,
        "nuts3": tenant.nuts3,
        "name": tenant.name,
        "official_name": tenant.official_name,
        "kind": tenant.kind,
        "regierungsbezirk": tenant.regierungsbezirk,
        "population": tenant.population,
        "population_date": tenant.population_date.isoformat(),
        "status": tenant.status,
        "domain": primary_domain(tenant),
        "schema": tenant.schema_name,
        "created_at": tenant.created_at.isoformat(),
        "updated_at": tenant.updated_at.isoformat(),
    }


@tenants.command(name="list")
@click.option("--json", "as_json", is_flag=True, help="Maschinenlesbar (siehe docs/cli.md).")
@click.option("--status", type=click.Choice(["active", "suspended", "archived"]))
def list_(as_json: bool, status: str | None) -> None:
    """Alle KI auflisten."""
    setup_django(migrated=True)
    from kinrw.tenancy.selectors import tenant_list

    rows = tenant_list()
    if status:
        rows = rows.filter(status=status)
    data = [tenant_json(t) for t in rows]
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"{len(data)} KI")
    for column in ("Kurzname", "AGS", "Name", "Regierungsbezirk", "Status", "Domain"):
        table.add_column(column)
    for row in data:
        table.add_row(
            row["slug"],
            row["ags"],
            row["name"],
            row["regierungsbezirk"],
            row["status"],
            row["domain"] or "–",
        )
    Console(width=160).print(table)


@tenants.command()
@click.argument("slug")
@click.option("--json", "as_json", is_flag=True, help="Maschinenlesbar (siehe docs/cli.md).")
def show(slug: str, as_json: bool) -> None:
    """Ein KI anzeigen."""
    setup_django(migrated=True)
    from kinrw.tenancy.models import SchemaState
    from kinrw.tenancy.selectors import tenant_get

    tenant = tenant_get(slug=slug)
    if tenant is None:
        fail(f"Kein KI mit dem Kurznamen „{slug}“ (kinrw tenants list zeigt alle).")
    data = tenant_json(tenant)
    data["domains"] = sorted(d.domain for d in tenant.domains.all())
    state = SchemaState.objects.filter(schema_name=tenant.schema_name).first()
    data["migration"] = (
        {
            "state": state.state,
            "applied": state.applied_count,
            "migrated_at": state.migrated_at.isoformat() if state.migrated_at else None,
            "error": state.last_error or None,
        }
        if state
        else None
    )
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    for key, value in data.items():
        click.echo(f"{key:>17}: {value}")


def _status_command(name: str, status: str, verb: str, help_text: str) -> click.Command:
    @click.command(name=name, help=help_text)
    @click.argument("slug")
    def command(slug: str) -> None:
        setup_django(migrated=True)
        from kinrw.tenancy import onboarding
        from kinrw.tenancy.models import Status
        from kinrw.tenancy.selectors import tenant_get

        tenant = tenant_get(slug=slug)
        if tenant is None:
            fail(f"Kein KI mit dem Kurznamen „{slug}“ (kinrw tenants list zeigt alle).")
        try:
            changed = onboarding.tenant_set_status(tenant=tenant, status=Status(status))
        except onboarding.OnboardingError as exc:
            fail(str(exc), EXIT_BAD_INPUT)
        click.echo(f"KI {slug} {verb}." if changed else f"KI {slug} war bereits {verb}.")

    return command


tenants.add_command(
    _status_command(
        "suspend",
        "suspended",
        "gesperrt",
        "KI vorübergehend sperren (Seite „vorübergehend gesperrt“, kein Datenzugriff).",
    )
)
tenants.add_command(
    _status_command("resume", "active", "entsperrt", "Gesperrtes KI wieder freigeben.")
)
tenants.add_command(
    _status_command(
        "archive", "archived", "archiviert", "KI archivieren (404, keine Anmeldung; Daten bleiben)."
    )
)

from kinrw.cli import tenants_backup  # noqa: E402 (commands of their own module)

tenants.add_command(tenants_backup.export)
tenants.add_command(tenants_backup.restore)

__all__ = ["EXIT_FAILED", "tenants"]
