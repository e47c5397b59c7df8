"""Partners and networks of the current KI: every write audited, scoped to the KI's area."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _g

from kinrw.accounts.models import User
from kinrw.tenancy.models import Gemeinde
from kinrw.workspace.models import (
    AgreementKind,
    AgreementStatus,
    ContactPerson,
    CooperationAgreement,
    Organisation,
    OrganisationType,
)
from kinrw.workspace.services.common import (
    check_choice,
    check_gemeinde,
    create_audited,
    delete_audited,
    merged,
    soft_delete,
    update_audited,
)
from kinrw.workspace.services.errors import WorkspaceError


def _check_organisation(values: dict[str, Any]) -> dict[str, Any]:
    values = {
        **values,
        "name": values["name"].strip(),
        "street": values["street"].strip(),
        "postcode": values["postcode"].strip(),
        "city": values["city"].strip(),
    }
    if not values["name"]:
        raise WorkspaceError(_g("Bitte einen Namen der Organisation angeben."), field="name")
    check_choice(values["kind"], OrganisationType, _g("Art der Organisation"), "kind")
    postcode = values["postcode"]
    if postcode and not (len(postcode) == 5 and postcode.isdigit()):
        raise WorkspaceError(_g("Die Postleitzahl hat fünf Ziffern."), field="postcode")
    check_gemeinde(values["gemeinde"])
    return values


def _check_contact(values: dict[str, Any]) -> dict[str, Any]:
    values = {k: (v or "").strip() for k, v in values.items()}
    if not values["name"]:
        raise WorkspaceError(_g("Bitte den Namen der Ansprechperson angeben."), field="name")
    if values["email"]:
        from kinrw.accounts.services import AccountError, validate_email

        try:
            values["email"] = validate_email(values["email"])
        except AccountError as exc:
            raise WorkspaceError(str(exc), field="email") from exc
    return values


def _check_agreement(values: dict[str, Any]) -> None:
    check_choice(values["kind"], AgreementKind, _g("Art der Vereinbarung"), "kind")
    check_choice(values["status"], AgreementStatus, _g("Status"), "status")
    if values["ends_on"] is not None and values["ends_on"] < values["starts_on"]:
        raise WorkspaceError(
            _g("Das Ende der Vereinbarung liegt vor ihrem Beginn."), field="ends_on"
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
    values = _check_organisation(
        {
            "name": name,
            "kind": kind,
            "street": street,
            "postcode": postcode,
            "city": city,
            "gemeinde": gemeinde,
        }
    )
    return create_audited(
        Organisation,
        actor=actor,
        **values,
    )


@transaction.atomic
def organisation_delete(*, actor: User | None, organisation: Organisation) -> None:
    """Soft delete: figures and meetings may refer to the organisation. Its contact persons
    (personal data, needed for nothing once the partner is gone) are removed for good."""
    for contact in organisation.contacts.all():
        contact_delete(actor=actor, contact=contact)
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
    values = _check_contact({"name": name, "role": role, "phone": phone, "email": email})
    return create_audited(
        ContactPerson,
        actor=actor,
        organisation=organisation,
        **values,
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
    if organisation.is_deleted:
        raise WorkspaceError(
            _g("Die Organisation „%(name)s“ ist gelöscht.") % {"name": organisation.name}
        )
    _check_agreement({"kind": kind, "starts_on": starts_on, "ends_on": ends_on, "status": status})
    return create_audited(
        CooperationAgreement,
        actor=actor,
        organisation=organisation,
        kind=kind,
        starts_on=starts_on,
        ends_on=ends_on,
        status=status,
    )


ORGANISATION_FIELDS = ["name", "kind", "street", "postcode", "city", "gemeinde"]


@transaction.atomic
def organisation_update(
    *, actor: User | None, organisation: Organisation, **changes: Any
) -> Organisation:
    if organisation.is_deleted:
        raise WorkspaceError(
            _g("Die Organisation „%(name)s“ ist gelöscht.") % {"name": organisation.name}
        )
    values = _check_organisation(merged(organisation, changes, ORGANISATION_FIELDS))
    return update_audited(organisation, actor=actor, **values)


CONTACT_FIELDS = ["name", "role", "phone", "email"]


@transaction.atomic
def contact_update(*, actor: User | None, contact: ContactPerson, **changes: Any) -> ContactPerson:
    values = merged(contact, changes, CONTACT_FIELDS)
    values = _check_contact(values)
    return update_audited(contact, actor=actor, **values)


@transaction.atomic
def contact_delete(*, actor: User | None, contact: ContactPerson) -> None:
    """Personal data of a business contact: removed for good (the audit keeps no name)."""
    delete_audited(actor=actor, obj=contact, fields=["organisation"])


AGREEMENT_FIELDS = ["kind", "starts_on", "ends_on", "status"]


@transaction.atomic
def agreement_update(
    *, actor: User | None, agreement: CooperationAgreement, **changes: Any
) -> CooperationAgreement:
    values = merged(agreement, changes, AGREEMENT_FIELDS)
    _check_agreement(values)
    return update_audited(agreement, actor=actor, **values)


@transaction.atomic
def agreement_delete(*, actor: User | None, agreement: CooperationAgreement) -> None:
    if agreement.documents.exists():
        raise WorkspaceError(
            _g("Die Vereinbarung hat Dokumente; bitte zuerst die Dokumente löschen.")
        )
    delete_audited(actor=actor, obj=agreement, fields=["organisation", *AGREEMENT_FIELDS])
