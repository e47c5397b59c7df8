"""Measures of the current KI: validated against catalogue, area and staff; audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction

from kinrw.accounts.models import User
from kinrw.catalogue.models import Breakdown, Handlungsfeld, Programme
from kinrw.tenancy.models import Gemeinde
from kinrw.workspace.models import Measure, MeasureStatus, Organisation, TargetGroup
from kinrw.workspace.services.common import check_gemeinde, create_audited, soft_delete
from kinrw.workspace.services.errors import WorkspaceError


def _languages() -> set[str]:
    breakdown = Breakdown.objects.filter(code="language", is_active=True).first()
    return {value["code"] for value in breakdown.values} if breakdown else set()


def _validate(
    *,
    title: str,
    programme: Programme,
    handlungsfeld: str,
    target_groups: list[str],
    starts_on: dt.date,
    ends_on: dt.date | None,
    status: str,
    languages: list[str],
    partner: Organisation | None,
    gemeinden: list[Gemeinde],
    responsible: list[User],
) -> None:
    if not title.strip():
        raise WorkspaceError("Bitte einen Titel der Maßnahme angeben.")
    if not programme.is_active or not programme.runs_in(starts_on.year):
        raise WorkspaceError(
            f"Das Programm „{programme.name}“ läuft {starts_on.year} nicht; "
            "bitte ein anderes Programm oder „Eigene Maßnahme“ wählen."
        )
    if handlungsfeld not in Handlungsfeld.values:
        raise WorkspaceError(f"Unbekanntes Handlungsfeld „{handlungsfeld}“.")
    unknown = [g for g in target_groups if g not in TargetGroup.values]
    if unknown:
        raise WorkspaceError(f"Unbekannte Zielgruppe „{unknown[0]}“.")
    if ends_on is not None and ends_on < starts_on:
        raise WorkspaceError("Das Ende der Maßnahme liegt vor ihrem Beginn.")
    if status not in MeasureStatus.values:
        raise WorkspaceError(f"Unbekannter Status „{status}“.")
    unknown = sorted(set(languages) - _languages())
    if unknown:
        raise WorkspaceError(f"Unbekannte Sprache „{unknown[0]}“.")
    if partner is not None and partner.is_deleted:
        raise WorkspaceError(f"Die Organisation „{partner.name}“ ist gelöscht.")
    for gemeinde in gemeinden:
        check_gemeinde(gemeinde)
    inactive = [u for u in responsible if not u.is_active]
    if inactive:
        raise WorkspaceError(f"Das Konto {inactive[0]} ist deaktiviert.")


@transaction.atomic
def measure_create(
    *,
    actor: User | None,
    title: str,
    programme: Programme,
    starts_on: dt.date,
    handlungsfeld: str = "",
    description: str = "",
    target_groups: Iterable[str] = (),
    gemeinden: Iterable[Gemeinde] = (),
    venue: str = "",
    partner: Organisation | None = None,
    ends_on: dt.date | None = None,
    status: str = MeasureStatus.GEPLANT,
    responsible: Iterable[User] = (),
    languages: Iterable[str] = (),
) -> Measure:
    handlungsfeld = handlungsfeld or programme.handlungsfeld
    groups, places, staff, langs = (
        list(target_groups),
        list(gemeinden),
        list(responsible),
        list(languages),
    )
    _validate(
        title=title,
        programme=programme,
        handlungsfeld=handlungsfeld,
        target_groups=groups,
        starts_on=starts_on,
        ends_on=ends_on,
        status=status,
        languages=langs,
        partner=partner,
        gemeinden=places,
        responsible=staff,
    )
    return create_audited(
        Measure,
        actor=actor,
        relations={"gemeinden": places, "responsible": staff},
        title=title.strip(),
        description=description.strip(),
        programme=programme,
        handlungsfeld=handlungsfeld,
        target_groups=groups,
        venue=venue.strip(),
        partner=partner,
        starts_on=starts_on,
        ends_on=ends_on,
        status=status,
        languages=langs,
    )


@transaction.atomic
def measure_delete(*, actor: User | None, measure: Measure) -> None:
    """Soft delete: the figures of its sessions stay explainable."""
    soft_delete(actor=actor, obj=measure)
