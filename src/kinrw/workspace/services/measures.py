"""Measures of the current KI: validated against catalogue, area and staff; audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _g

from kinrw.accounts.models import User
from kinrw.catalogue.models import Breakdown, Handlungsfeld, Programme
from kinrw.tenancy.models import Gemeinde
from kinrw.workspace.audit import audit_record
from kinrw.workspace.models import (
    AuditAction,
    Measure,
    MeasureStatus,
    Organisation,
    Session,
    SessionCount,
    TargetGroup,
)
from kinrw.workspace.services.common import (
    check_gemeinde,
    create_audited,
    merged,
    soft_delete,
    update_audited,
)
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
        raise WorkspaceError(_g("Bitte einen Titel der Maßnahme angeben."), field="title")
    if not programme.is_active or not programme.runs_in(starts_on.year):
        raise WorkspaceError(
            _g(
                "Das Programm „%(name)s“ läuft %(year)s nicht; "
                "bitte ein anderes Programm oder „Eigene Maßnahme“ wählen."
            )
            % {"name": programme.name, "year": starts_on.year},
            field="programme",
        )
    if handlungsfeld not in Handlungsfeld.values:
        raise WorkspaceError(
            _g("Unbekanntes Handlungsfeld „%(value)s“.") % {"value": handlungsfeld},
            field="handlungsfeld",
        )
    unknown = [g for g in target_groups if g not in TargetGroup.values]
    if unknown:
        raise WorkspaceError(
            _g("Unbekannte Zielgruppe „%(value)s“.") % {"value": unknown[0]},
            field="target_groups",
        )
    if ends_on is not None and ends_on < starts_on:
        raise WorkspaceError(_g("Das Ende der Maßnahme liegt vor ihrem Beginn."), field="ends_on")
    if status not in MeasureStatus.values:
        raise WorkspaceError(
            _g("Unbekannter Status „%(value)s“.") % {"value": status}, field="status"
        )
    unknown = sorted(set(languages) - _languages())
    if unknown:
        raise WorkspaceError(
            _g("Unbekannte Sprache „%(value)s“.") % {"value": unknown[0]}, field="languages"
        )
    if partner is not None and partner.is_deleted:
        raise WorkspaceError(
            _g("Die Organisation „%(name)s“ ist gelöscht.") % {"name": partner.name},
            field="partner",
        )
    for gemeinde in gemeinden:
        check_gemeinde(gemeinde, field="gemeinden")
    inactive = [u for u in responsible if not u.is_active]
    if inactive:
        raise WorkspaceError(
            _g("Das Konto %(account)s ist deaktiviert.") % {"account": inactive[0]},
            field="responsible",
        )


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


FIELDS = [
    "title",
    "description",
    "programme",
    "handlungsfeld",
    "target_groups",
    "gemeinden",
    "venue",
    "partner",
    "starts_on",
    "ends_on",
    "status",
    "responsible",
    "languages",
]


@transaction.atomic
def measure_update(*, actor: User | None, measure: Measure, **changes: Any) -> Measure:
    """Change any of :data:`FIELDS`; validated as a whole, audited with what changed."""
    if measure.is_deleted:
        raise WorkspaceError(
            _g("Die Maßnahme „%(title)s“ ist gelöscht.") % {"title": measure.title}
        )
    values = merged(measure, changes, FIELDS)
    current_staff = set(measure.responsible.all())
    values["title"] = values["title"].strip()
    values["description"] = values["description"].strip()
    values["venue"] = values["venue"].strip()
    values["handlungsfeld"] = values["handlungsfeld"] or values["programme"].handlungsfeld
    for name in ("target_groups", "gemeinden", "responsible", "languages"):
        values[name] = list(values[name])
    if (
        "starts_on" in changes
        and Session.objects.filter(
            measure=measure, is_deleted=False, date__lt=values["starts_on"]
        ).exists()
    ):
        raise WorkspaceError(
            _g(
                "Vor dem neuen Beginn liegen schon Termine; bitte diese zuerst verschieben oder "
                "löschen."
            ),
            field="starts_on",
        )
    if (
        values["ends_on"] is not None
        and Session.objects.filter(
            measure=measure, is_deleted=False, date__gt=values["ends_on"]
        ).exists()
    ):
        raise WorkspaceError(
            _g(
                "Nach dem neuen Ende liegen schon Termine; bitte diese zuerst verschieben oder "
                "löschen."
            ),
            field="ends_on",
        )
    if (
        values["programme"] != measure.programme
        and SessionCount.objects.filter(session__measure=measure).exists()
    ):
        raise WorkspaceError(
            _g(
                "Zu dieser Maßnahme sind schon Zahlen erfasst; das Programm lässt sich nicht "
                "mehr wechseln."
            ),
            field="programme",
        )
    _validate(
        title=values["title"],
        programme=values["programme"],
        handlungsfeld=values["handlungsfeld"],
        target_groups=values["target_groups"],
        starts_on=values["starts_on"],
        ends_on=values["ends_on"],
        status=values["status"],
        languages=values["languages"],
        # what was valid when chosen stays: only newly chosen partners and staff are checked
        partner=values["partner"] if values["partner"] != measure.partner else None,
        gemeinden=values["gemeinden"],
        responsible=[u for u in values["responsible"] if u not in current_staff],
    )
    relations = {"gemeinden": values.pop("gemeinden"), "responsible": values.pop("responsible")}
    return update_audited(measure, actor=actor, relations=relations, **values)


@transaction.atomic
def measure_delete(*, actor: User | None, measure: Measure) -> None:
    """Soft delete, with its sessions: their figures leave the KI's numbers but stay
    explainable. Marking the sessions too keeps session lists from joining measures."""
    if measure.is_deleted:
        return
    sessions = Session.objects.filter(measure=measure, is_deleted=False)
    ids = sorted(sessions.values_list("pk", flat=True))
    sessions.update(is_deleted=True, updated_at=timezone.now())
    soft_delete(actor=actor, obj=measure)
    if ids:
        audit_record(
            actor=actor,
            action=AuditAction.DELETE,
            obj=measure,
            changes={"sessions": [ids, []]},
        )
