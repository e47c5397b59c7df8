"""``kinrw accounts …``: invite administrators (set-password link, no mail server)."""

from __future__ import annotations

import click

from kinrw.cli.main import fail, setup_django


@click.group()
def accounts() -> None:
    """Konten einladen."""


@accounts.command()
@click.argument("email")
@click.option("--tenant", "slug", help="Kurzname des KI; ohne: Konto der Landesebene.")
@click.option("--name", "full_name", default="", help="Anzeigename.")
def invite(email: str, slug: str | None, full_name: str) -> None:
    """Administrationskonto anlegen und einmaligen Passwort-Link ausgeben."""
    setup_django()
    from django.conf import settings

    from kinrw.accounts.services import AccountError, admin_create
    from kinrw.tenancy.context import in_public, in_tenant
    from kinrw.tenancy.onboarding import primary_domain
    from kinrw.tenancy.selectors import tenant_get

    try:
        if slug:
            tenant = tenant_get(slug=slug)
            if tenant is None:
                fail(f"Kein KI mit dem Kurznamen „{slug}“.")
            with in_tenant(tenant):
                link = admin_create(
                    email=email, host=primary_domain(tenant) or "", full_name=full_name
                )
        else:
            with in_public():
                link = admin_create(
                    email=email, host=settings.KINRW_BASE_DOMAIN, full_name=full_name
                )
    except AccountError as exc:
        fail(str(exc))
    click.echo(f"Passwort-Link (einmalig gültig): {link}")
