"""``kinrw accounts …``: invite administrators (set-password link, no mail server)."""

from __future__ import annotations

import click

from kinrw.cli.main import fail, setup_django
from kinrw.cli.tokens import token


@click.group()
def accounts() -> None:
    """Konten einladen und entsperren; API-Schlüssel."""


accounts.add_command(token)


@accounts.command()
@click.argument("email")
@click.option("--tenant", "slug", help="Kurzname des KI; ohne: Konto der Landesebene.")
@click.option(
    "--role",
    type=click.Choice(["ministerium", "laki", "bezirksregierung", "plattformbetrieb"]),
    help="Rolle auf der Landesebene (nur ohne --tenant, dort Pflicht).",
)
@click.option("--bezirk", default="", help="Regierungsbezirk (nur für --role bezirksregierung).")
@click.option("--name", "full_name", default="", help="Anzeigename.")
def invite(email: str, slug: str | None, role: str | None, bezirk: str, full_name: str) -> None:
    """Konto anlegen (KI-Leitung oder Landesebene) und einmaligen Passwort-Link ausgeben."""
    setup_django(migrated=True)
    from kinrw.accounts.services import AccountError, first_admin_create
    from kinrw.state.services import land_account_invite
    from kinrw.tenancy.context import in_tenant
    from kinrw.tenancy.selectors import tenant_get

    if slug and (role or bezirk):
        fail("--role und --bezirk gelten nur für Konten der Landesebene (ohne --tenant).")
    if not slug and not role:
        fail("Für ein Konto der Landesebene bitte --role angeben (oder --tenant für ein KI).")

    try:
        if slug:
            tenant = tenant_get(slug=slug)
            if tenant is None:
                fail(f"Kein KI mit dem Kurznamen „{slug}“.")
            with in_tenant(tenant):
                link = first_admin_create(tenant=tenant, email=email, full_name=full_name)
        else:
            link = land_account_invite(
                email=email, role=str(role), regierungsbezirk=bezirk, full_name=full_name
            )
    except AccountError as exc:
        fail(str(exc))
    click.echo(f"Passwort-Link (einmalig gültig): {link}")


@accounts.command()
@click.argument("email")
@click.option("--tenant", "slug", help="Kurzname des KI; ohne: Konto der Landesebene.")
def unlock(email: str, slug: str | None) -> None:
    """Anmeldesperre nach zu vielen Fehlversuchen aufheben (alle Absender-Adressen)."""
    setup_django(migrated=True)
    from kinrw.accounts.services import login_lockout_reset
    from kinrw.tenancy.context import in_public, in_tenant
    from kinrw.tenancy.selectors import tenant_get

    if slug:
        tenant = tenant_get(slug=slug)
        if tenant is None:
            fail(f"Kein KI mit dem Kurznamen „{slug}“.")
        with in_tenant(tenant):
            count = login_lockout_reset(email=email)
    else:
        with in_public():
            count = login_lockout_reset(email=email)
    where = f"KI {slug}" if slug else "Landesebene"
    click.echo(f"Anmeldesperre aufgehoben ({where}): {count} Einträge mit Fehlversuchen gelöscht.")
