"""``kinrw demo-data``: plausible German demo data in the KI workspaces."""

from __future__ import annotations

from typing import Any

import click

from kinrw.cli.main import EXIT_FAILED, fail, setup_django

# What the per-KI line shows, in this order (model label: German plural).
SHOWN = [
    ("workspace.measure", "Maßnahmen"),
    ("workspace.session", "Termine"),
    ("workspace.sessioncount", "Zählungen"),
    ("workspace.organisation", "Organisationen"),
    ("workspace.contactperson", "Ansprechpersonen"),
    ("workspace.gremium", "Gremien"),
    ("workspace.enrolment", "Programmteilnahmen"),
]


def _number(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def _tenants(slugs: tuple[str, ...]) -> list[Any]:
    from kinrw.tenancy.models import Status, Tenant

    if not slugs:
        return list(Tenant.objects.filter(status=Status.ACTIVE).order_by("slug"))
    found = {t.slug: t for t in Tenant.objects.filter(slug__in=slugs)}
    for slug in slugs:
        if slug not in found:
            fail(f"Kein KI mit dem Kurznamen „{slug}“ (kinrw tenants list zeigt alle).")
        if found[slug].status == Status.ARCHIVED:
            fail(f"Das KI {slug} ist archiviert; archivierte KI bekommen keine Demodaten.")
    return [found[slug] for slug in dict.fromkeys(slugs)]


def _guard(allow_production: bool) -> None:
    from django.conf import settings

    if allow_production or settings.DEBUG or settings.EMBEDDED_DATABASE:
        return
    fail(
        "Demodaten legen Konten mit einem öffentlich bekannten Passwort an. Sie sind für "
        "Entwicklungs- und Demosysteme gedacht (DJANGO_DEBUG=1 oder eingebettete Datenbank); "
        "wer sie hier wirklich will, gibt --allow-production an."
    )


@click.command(name="demo-data")
@click.option(
    "--tenant",
    "slugs",
    multiple=True,
    metavar="SLUG",
    help="Nur dieses KI (Kurzname); mehrfach möglich.",
)
@click.option(
    "--years", default=3, show_default=True, type=click.IntRange(1, 10), help="Wie viele Jahre."
)
@click.option(
    "--seed",
    default=0,
    show_default=True,
    help="Zufallsstartwert: derselbe Wert ergibt dieselben Daten.",
)
@click.option(
    "--scale",
    default=1.0,
    show_default=True,
    type=click.FloatRange(0, 100, min_open=True),
    help="Faktor für die Menge (1 = im Verhältnis zur Einwohnerzahl).",
)
@click.option("--reset", is_flag=True, help="Vorhandene Demodaten der KI zuerst entfernen.")
@click.option(
    "--allow-production",
    is_flag=True,
    help="Auch ohne DJANGO_DEBUG=1 und ohne eingebettete Datenbank (bekanntes Passwort!).",
)
def demo_data(
    slugs: tuple[str, ...], years: int, seed: int, scale: float, reset: bool, allow_production: bool
) -> None:
    """KI mit Demodaten füllen (Programme, Maßnahmen, Termine, Zahlen, Partner, Gremien)."""
    setup_django(migrated=True)
    _guard(allow_production)
    from rich.console import Console

    from kinrw.workspace.demo import DEMO_PASSWORD, DEMO_STAFF, DemoError, demo_fill, demo_hash

    tenants = _tenants(slugs)
    console = Console(highlight=False, soft_wrap=True)
    password_hash = demo_hash()  # once: hashing is slow on purpose
    filled = skipped = 0
    failed: list[str] = []
    for tenant in tenants:
        try:
            result = demo_fill(
                tenant=tenant,
                seed=seed,
                years=years,
                scale=scale,
                reset=reset,
                password_hash=password_hash,
            )
        except DemoError as exc:
            failed.append(tenant.slug)
            console.print(f"✗ {tenant.slug}: {exc}", style="red")
            continue
        if result.skipped:
            skipped += 1
            console.print(f"= {tenant.slug}: hat schon Demodaten, übersprungen (--reset erneuert)")
            continue
        filled += 1
        made = ", ".join(f"{_number(result.made.get(k, 0))} {label}" for k, label in SHOWN)
        seconds = f"{result.seconds:.1f}".replace(".", ",")
        console.print(f"✓ {tenant.slug}: {made} ({seconds} s)")
    if filled:
        accounts = ", ".join(f"{local}@<slug>.demo.example" for local, _, _ in DEMO_STAFF)
        console.print(f"Demo-Konten je KI: {accounts}; Passwort für alle: {DEMO_PASSWORD}")
    console.print(
        f"Fertig: {filled} KI gefüllt, {skipped} übersprungen, {len(failed)} fehlgeschlagen."
    )
    if failed:
        fail(f"Keine Demodaten für: {', '.join(failed)}.", EXIT_FAILED)
