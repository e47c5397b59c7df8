"""``kinrw state …``: the Land's facts (aggregated figures of every KI)."""

from __future__ import annotations

import re
import sys
from decimal import Decimal
from typing import Any

import click

from kinrw.cli.main import EXIT_FAILED, fail, setup_django

YEARS = re.compile(r"^(\d{4})(?:-(\d{4}))?$")


@click.group()
def state() -> None:
    """Landesebene: Kennzahlen aller KI neu berechnen und prüfen."""


def _years(value: str | None) -> list[int] | None:
    if value is None:
        return None
    match = YEARS.match(value.strip())
    first, last = (int(match.group(1)), int(match.group(2) or match.group(1))) if match else (0, 0)
    if not match or not 2000 <= first <= last <= 2100:
        fail(f"Ungültige Jahre „{value}“: bitte ein Jahr (2026) oder einen Bereich (2024-2026).")
    return list(range(first, last + 1))


def _tenant(slug: str | None) -> Any:
    if slug is None:
        return None
    from kinrw.tenancy.models import Tenant

    found = Tenant.objects.filter(slug=slug).first()
    if found is None:
        fail(f"Kein KI mit dem Kurznamen „{slug}“ (kinrw tenants list zeigt alle).")
    return found


def _number(value: Decimal | None) -> str:
    if value is None:
        return "fehlt"
    text = f"{value.normalize():,f}" if value == value.to_integral() else f"{value:,.2f}"
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


@state.command()
@click.option("--tenant", "slug", metavar="SLUG", help="Nur dieses KI.")
@click.option("--years", metavar="JAHR[-JAHR]", help="Nur diese Jahre, z. B. 2024-2026.")
@click.option("--restart", is_flag=True, help="Neuen Lauf beginnen statt den letzten fortzusetzen.")
def rebuild(slug: str | None, years: str | None, restart: bool) -> None:
    """Kennzahlen neu berechnen; ein unterbrochener Lauf wird fortgesetzt."""
    setup_django(migrated=True)
    from rich.console import Console

    from kinrw.state.rebuild import rebuild as run

    wanted, tenant = _years(years), _tenant(slug)
    console = Console(highlight=False, soft_wrap=True)

    def progress(ki: Any, year: int, count: int) -> None:
        console.print(f"✓ {ki.slug} {year}: {count} Kennzahlen")

    try:
        result = run(tenant=tenant, years=wanted, restart=restart, on_progress=progress)
    except Exception as exc:  # one line for the operator; the ledger keeps what is done
        fail(f"Abgebrochen ({exc}); `kinrw state rebuild` setzt den Lauf fort.", EXIT_FAILED)
    console.print(
        f"Fertig: {len(result.done)} KI-Jahre berechnet, {result.skipped} schon erledigt "
        f"übersprungen (Lauf {str(result.run_id)[:8]})."
    )


@state.command()
@click.option("--tenant", "slug", metavar="SLUG", help="Nur dieses KI.")
@click.option("--years", metavar="JAHR[-JAHR]", help="Nur diese Jahre, z. B. 2024-2026.")
def verify(slug: str | None, years: str | None) -> None:
    """Kennzahlen mit einer frischen Berechnung vergleichen (Exit-Code 1 bei Abweichungen)."""
    setup_django(migrated=True)
    from rich.console import Console

    from kinrw.state.recompute import verify as check

    wanted, tenant = _years(years), _tenant(slug)
    console = Console(highlight=False, soft_wrap=True)
    drifts = check(tenant=tenant, years=wanted)
    for d in drifts:
        cell = f"{d.breakdown}={d.value_code}" if d.breakdown else "Summe"
        console.print(
            f"✗ {d.tenant} {d.indicator} {d.period:%Y-%m} {cell}: "
            f"erwartet {_number(d.expected)}, gespeichert {_number(d.stored)}"
        )
    if not drifts:
        console.print("0 Abweichungen: die Kennzahlen stimmen.")
        return
    console.print(
        f"{len(drifts)} Abweichungen: bitte `kinrw state rebuild --restart` ausführen.",
        style="red",
    )
    sys.exit(EXIT_FAILED)


@state.command("close-period")
@click.argument("year", type=int)
def close_period(year: int) -> None:
    """Ein Jahr abschließen: seine Kennzahlen werden als gemeldet festgehalten."""
    setup_django(migrated=True)
    from kinrw.state.periods import PeriodError, period_close

    try:
        period = period_close(actor=None, year=year)
    except PeriodError as exc:
        fail(exc.message)
        return
    frozen = period.facts.count()
    click.echo(f"Jahr {year} abgeschlossen: {frozen} Kennzahlen als gemeldet gespeichert.")
