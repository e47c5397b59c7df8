"""``kinrw accounts token …``: API keys of a KI's accounts (the key is shown once)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import click

from kinrw.cli.main import fail, setup_django


@click.group()
def token() -> None:
    """API-Schlüssel der Konten eines KI (für /api/v1/ auf dem Host des KI)."""


def _tenant(slug: str) -> Any:
    from kinrw.tenancy.selectors import tenant_get

    tenant = tenant_get(slug=slug)
    if tenant is None:
        fail(f"Kein KI mit dem Kurznamen „{slug}“.")
    return tenant


@token.command("create")
@click.option("--tenant", "slug", required=True, help="Kurzname des KI.")
@click.option("--email", required=True, help="E-Mail-Adresse des Kontos im KI.")
@click.option("--name", required=True, help="Bezeichnung, z. B. wofür der Schlüssel dient.")
@click.option(
    "--days", type=click.IntRange(1, 3650), default=None, help="gültig für so viele Tage."
)
def create(slug: str, email: str, name: str, days: int | None) -> None:
    """Schlüssel anlegen und einmalig ausgeben (gespeichert wird nur sein Hash)."""
    setup_django(migrated=True)
    from django.utils import timezone

    from kinrw.accounts.models import User
    from kinrw.tenancy.context import in_tenant
    from kinrw.workspace.services import WorkspaceError
    from kinrw.workspace.services.tokens import api_token_create

    tenant = _tenant(slug)
    expires_at = timezone.now() + dt.timedelta(days=days) if days else None
    with in_tenant(tenant):
        user = User.objects.filter(email=email.strip().lower()).first()
        if user is None:
            fail(f"Im KI „{slug}“ gibt es kein Konto mit der Adresse {email}.")
        try:
            api_token, key = api_token_create(
                actor=None, user=user, name=name, expires_at=expires_at
            )
        except WorkspaceError as exc:
            fail(exc.message)
    click.echo(f"Angelegt: {api_token.prefix}… „{api_token.name}“ für {user.email} ({slug})")
    if expires_at:
        click.echo(f"Gültig bis: {timezone.localtime(expires_at):%d.%m.%Y %H:%M}")
    click.echo("Schlüssel (wird nur jetzt angezeigt, bitte sicher aufbewahren):")
    click.echo(key)


@token.command("list")
@click.option("--tenant", "slug", required=True, help="Kurzname des KI.")
def list_(slug: str) -> None:
    """Schlüssel des KI anzeigen (Kennung, Konto, Status; nie den Schlüssel selbst)."""
    setup_django(migrated=True)
    from django.utils import timezone

    from kinrw.tenancy.context import in_tenant
    from kinrw.workspace.models import ApiToken

    tenant = _tenant(slug)
    with in_tenant(tenant):
        tokens = list(ApiToken.objects.select_related("user"))
    now = timezone.now()
    for t in tokens:
        status = "widerrufen" if t.revoked_at else ("aktiv" if t.is_usable(now) else "abgelaufen")
        used = f"{timezone.localtime(t.last_used_at):%d.%m.%Y}" if t.last_used_at else "nie"
        click.echo(f"{t.prefix}…  {status:<10}  {t.user.email}  „{t.name}“  benutzt: {used}")
    if not tokens:
        click.echo("Keine Schlüssel.")


@token.command("revoke")
@click.option("--tenant", "slug", required=True, help="Kurzname des KI.")
@click.argument("prefix")
def revoke(slug: str, prefix: str) -> None:
    """Schlüssel mit dieser Kennung (Anfang des Schlüssels) sofort ungültig machen."""
    setup_django(migrated=True)
    from kinrw.tenancy.context import in_tenant
    from kinrw.workspace.models import ApiToken
    from kinrw.workspace.services.tokens import api_token_revoke

    prefix = prefix.rstrip("…").strip()
    tenant = _tenant(slug)
    with in_tenant(tenant):
        found = list(ApiToken.objects.select_related("user").filter(prefix=prefix))
        if len(found) != 1:
            fail(
                f"Kein Schlüssel mit der Kennung „{prefix}“ in „{slug}“."
                if not found
                else f"Mehrere Schlüssel haben die Kennung „{prefix}“."
            )
        api_token_revoke(actor=None, token=found[0])
    click.echo(f"Widerrufen: {prefix}… „{found[0].name}“ ({found[0].user.email})")
