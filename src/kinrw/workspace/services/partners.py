"""Partners and networks of the current KI: every write audited, scoped to the KI's area."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import models, transaction

from kinrw.accounts.models import User
from kinrw.tenancy.models import Gemeinde
from kinrw.workspace.models import (
    AgreementKind,
    AgreementStatus,
    ContactPerson,
    CooperationAgreement,
    Gremium,
    GremiumKind,
    GremiumMeeting,
    Organisation,
    OrganisationType,
)
from kinrw.workspace.services.common import check_gemeinde, create_audited, soft_delete
from kinrw.workspace.services.errors import WorkspaceError


def _choice(value: str, choices: type[models.TextChoices], what: str) -> None:
    if value not in choices.values:
        raise WorkspaceError(f"Unbekannte {what} „{value}“.")


@transaction.atomic
def organisation_create(
    *,
    actor: User | None,
    name: str,
    kind: str,
    street: str = "",
    postcode: str = "",
    city: str = "",
    gemeinde: Gemeinde | None = None,
) -> Organisation:
    if not name.strip():
        raise WorkspaceError("Bitte einen Namen der Organisation angeben.")
    _choice(kind, OrganisationType, "Art der Organisation")
    if postcode and not (len(postcode) == 5 and postcode.isdigit()):
        raise WorkspaceError("Die Postleitzahl hat fünf Ziffern.")
    check_gemeinde(gemeinde)
    return create_audited(
        Organisation,
        actor=actor,
        name=name.strip(),
        kind=kind,
        street=street.strip(),
        postcode=postcode,
        city=city.strip(),
        gemeinde=gemeinde,
    )


@transaction.atomic
def organisation_delete(*, actor: User | None, organisation: Organisation) -> None:
    """Soft delete: figures and meetings may refer to the organisation."""
    soft_delete(actor=actor, obj=organisation)


@transaction.atomic
def contact_create(
    *,
    actor: User | None,
    organisation: Organisation,
    name: str,
    role: str = "",
    phone: str = "",
    email: str = "",
) -> ContactPerson:
    if not name.strip():
        raise WorkspaceError("Bitte den Namen der Ansprechperson angeben.")
    if email:
        from kinrw.accounts.services import AccountError, validate_email

        try:
            email = validate_email(email)
        except AccountError as exc:
            raise WorkspaceError(str(exc)) from exc
    return create_audited(
        ContactPerson,
        actor=actor,
        organisation=organisation,
        name=name.strip(),
        role=role.strip(),
        phone=phone.strip(),
        email=email,
    )


@transaction.atomic
def agreement_create(
    *,
    actor: User | None,
    organisation: Organisation,
    kind: str,
    starts_on: dt.date,
    ends_on: dt.date | None = None,
    status: str = AgreementStatus.AKTIV,
) -> CooperationAgreement:
    _choice(kind, AgreementKind, "Art der Vereinbarung")
    _choice(status, AgreementStatus, "Status")
    if ends_on is not None and ends_on < starts_on:
        raise WorkspaceError("Das Ende der Vereinbarung liegt vor ihrem Beginn.")
    return create_audited(
        CooperationAgreement,
        actor=actor,
        organisation=organisation,
        kind=kind,
        starts_on=starts_on,
        ends_on=ends_on,
        status=status,
    )


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
        raise WorkspaceError("Bitte einen Namen des Gremiums angeben.")
    _choice(kind, GremiumKind, "Art des Gremiums")
    check_gemeinde(gemeinde)
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
    return create_audited(
        GremiumMeeting,
        actor=actor,
        relations={"participants": list(participants)},
        gremium=gremium,
        held_on=held_on,
        topic=topic.strip(),
    )
