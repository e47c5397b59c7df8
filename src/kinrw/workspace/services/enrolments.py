"""Programme enrolment of the current KI."""

from __future__ import annotations

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _g

from kinrw.accounts.models import User
from kinrw.catalogue.models import Programme
from kinrw.workspace.models import Enrolment
from kinrw.workspace.services.common import create_audited, delete_audited, update_audited
from kinrw.workspace.services.errors import WorkspaceError


def enrolment_create(
    *,
    programme: Programme,
    year: int,
    granted_amount: Decimal | None = None,
    actor: User | None,
) -> Enrolment:
    if not programme.is_active or not programme.runs_in(year):
        raise WorkspaceError(
            _g("Das Programm „%(name)s“ läuft %(year)s nicht; bitte ein anderes Jahr wählen.")
            % {"name": programme.name, "year": year}
        )
    if granted_amount is not None and granted_amount < 0:
        raise WorkspaceError(
            _g("Der bewilligte Betrag darf nicht negativ sein."), field="granted_amount"
        )
    if Enrolment.objects.filter(programme=programme, year=year).exists():
        raise WorkspaceError(
            _g("„%(name)s“ ist für %(year)s bereits eingetragen.")
            % {"name": programme.name, "year": year}
        )
    try:
        with transaction.atomic():
            return create_audited(
                Enrolment,
                actor=actor,
                programme=programme,
                year=year,
                granted_amount=granted_amount,
            )
    except IntegrityError as exc:  # a concurrent entry won the race
        raise WorkspaceError(
            _g("„%(name)s“ ist für %(year)s bereits eingetragen.")
            % {"name": programme.name, "year": year}
        ) from exc


@transaction.atomic
def enrolment_update(
    *, actor: User | None, enrolment: Enrolment, granted_amount: Decimal | None
) -> Enrolment:
    """Only the granted amount changes; programme and year make the entry what it is."""
    if granted_amount is not None and granted_amount < 0:
        raise WorkspaceError(
            _g("Der bewilligte Betrag darf nicht negativ sein."), field="granted_amount"
        )
    return update_audited(enrolment, actor=actor, granted_amount=granted_amount)


@transaction.atomic
def enrolment_delete(*, actor: User | None, enrolment: Enrolment) -> None:
    """Measures keep their programme; the overview no longer lists it for that year."""
    delete_audited(actor=actor, obj=enrolment, fields=["programme", "year", "granted_amount"])
