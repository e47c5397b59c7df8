"""Networks of the current KI: Gremien and their meetings, with the partner organisations
taking part; every write audited, scoped to the KI's area."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _g

from kinrw.accounts.models import User
from kinrw.tenancy.models import Gemeinde
from kinrw.workspace.models import Gremium, GremiumKind, GremiumMeeting, Organisation
from kinrw.workspace.services.common import (
    check_choice,
    check_gemeinde,
    create_audited,
    delete_audited,
    merged,
    update_audited,
)
from kinrw.workspace.services.errors import WorkspaceError


def _check_alive(organisations: list[Organisation], field: str) -> None:
    deleted = [o for o in organisations if o.is_deleted]
    if deleted:
        raise WorkspaceError(
            _g("Die Organisation „%(name)s“ ist gelöscht.") % {"name": deleted[0].name},
            field=field,
        )


def _added(manager: Any, organisations: list[Organisation]) -> list[Organisation]:
    """Organisations not yet related: only those must be alive (history keeps deleted ones)."""
    current = set(manager.values_list("pk", flat=True))
    return [o for o in organisations if o.pk not in current]


@transaction.atomic
def gremium_create(
    *,
    actor: User | None,
    name: str,
    kind: str,
    gemeinde: Gemeinde | None = None,
    members: Iterable[Organisation] = (),
) -> Gremium:
    if not name.strip():
        raise WorkspaceError(_g("Bitte einen Namen des Gremiums angeben."), field="name")
    check_choice(kind, GremiumKind, _g("Art des Gremiums"), "kind")
    check_gemeinde(gemeinde)
    _check_alive(list(members), "members")
    return create_audited(
        Gremium,
        actor=actor,
        relations={"members": list(members)},
        name=name.strip(),
        kind=kind,
        gemeinde=gemeinde,
    )


@transaction.atomic
def meeting_create(
    *,
    actor: User | None,
    gremium: Gremium,
    held_on: dt.date,
    topic: str = "",
    participants: Iterable[Organisation] = (),
) -> GremiumMeeting:
    _check_alive(list(participants), "participants")
    return create_audited(
        GremiumMeeting,
        actor=actor,
        relations={"participants": list(participants)},
        gremium=gremium,
        held_on=held_on,
        topic=topic.strip(),
    )


GREMIUM_FIELDS = ["name", "kind", "gemeinde", "members"]


@transaction.atomic
def gremium_update(*, actor: User | None, gremium: Gremium, **changes: Any) -> Gremium:
    values = merged(gremium, changes, GREMIUM_FIELDS)
    values["name"] = values["name"].strip()
    if not values["name"]:
        raise WorkspaceError(_g("Bitte einen Namen des Gremiums angeben."), field="name")
    check_choice(values["kind"], GremiumKind, _g("Art des Gremiums"), "kind")
    check_gemeinde(values["gemeinde"])
    members = list(values.pop("members"))
    _check_alive(_added(gremium.members, members), "members")
    return update_audited(gremium, actor=actor, relations={"members": members}, **values)


@transaction.atomic
def gremium_delete(*, actor: User | None, gremium: Gremium) -> None:
    if gremium.meetings.exists():
        raise WorkspaceError(
            _g("Das Gremium „%(name)s“ hat Sitzungen; bitte zuerst die Sitzungen löschen.")
            % {"name": gremium.name}
        )
    gremium.members.clear()
    delete_audited(actor=actor, obj=gremium, fields=["name", "kind", "gemeinde"])


MEETING_FIELDS = ["held_on", "topic", "participants"]


@transaction.atomic
def meeting_update(
    *, actor: User | None, meeting: GremiumMeeting, **changes: Any
) -> GremiumMeeting:
    values = merged(meeting, changes, MEETING_FIELDS)
    values["topic"] = (values["topic"] or "").strip()
    participants = list(values.pop("participants"))
    _check_alive(_added(meeting.participants, participants), "participants")
    return update_audited(meeting, actor=actor, relations={"participants": participants}, **values)


@transaction.atomic
def meeting_delete(*, actor: User | None, meeting: GremiumMeeting) -> None:
    if meeting.documents.exists():
        raise WorkspaceError(_g("Die Sitzung hat Dokumente; bitte zuerst die Dokumente löschen."))
    meeting.participants.clear()
    delete_audited(actor=actor, obj=meeting, fields=["gremium", "held_on", "topic"])
