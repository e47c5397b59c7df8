"""Partners and networks of the current KI: every write audited, scoped to the KI's area."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import models, transaction

from kinrw.accounts.models import User
from kinrw.tenancy.context import current_tenant
from kinrw.tenancy.models import Gemeinde
from kinrw.tenancy.selectors import gemeinden_of
from kinrw.workspace.audit import audit_record, snapshot
from kinrw.workspace.models import (
    AgreementKind,
    AgreementStatus,
    AuditAction,
    ContactPerson,
    CooperationAgreement,
    Gremium,
    GremiumKind,
    GremiumMeeting,
    Organisation,
    OrganisationType,
)
from kinrw.workspace.services.errors import WorkspaceError


def check_gemeinde(gemeinde: Gemeinde | None) -> None:
    if gemeinde is None:
        return
    tenant = current_tenant()
    if tenant is None or not gemeinden_of(tenant=tenant).filter(pk=gemeinde.pk).exists():
        raise WorkspaceError(
            f"Die Gemeinde „{gemeinde.name}“ liegt nicht im Gebiet dieses KI; "
            "bitte eine Gemeinde des eigenen Kreises oder der eigenen Stadt wählen."
        )


def _choice(value: str, choices: type[models.TextChoices], what: str) -> None:
    if value not in choices.values:
        raise WorkspaceError(f"Unbekannte {what} „{value}“.")


def create_audited(
    model: type[models.Model],
    *,
    actor: User | None,
    relations: dict[str, list[Any]] | None = None,
    **fields: Any,
) -> Any:
    """Create, attach many-to-many relations, and record one audit entry for all of it."""
    obj = model.objects.create(**fields)  # type: ignore[attr-defined]
    changes = {k: [None, v] for k, v in snapshot(obj, list(fields)).items()}
    for name, related in (relations or {}).items():
        getattr(obj, name).set(related)
        changes[name] = [None, sorted(o.pk for o in related)]
    audit_record(actor=actor, action=AuditAction.CREATE, obj=obj, changes=changes)
    return obj


def soft_delete(*, actor: User | None, obj: Any) -> None:
    """Mark a record deleted (it stays for the figures and history that refer to it); audited."""
    if obj.is_deleted:
        return
    obj.is_deleted = True
    obj.save(update_fields=["is_deleted", "updated_at"])
    audit_record(
        actor=actor, action=AuditAction.DELETE, obj=obj, changes={"is_deleted": [False, True]}
    )


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
