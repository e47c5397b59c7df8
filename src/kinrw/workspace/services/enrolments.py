"""Programme enrolment of the current KI."""

from __future__ import annotations

from decimal import Decimal

from django.db import IntegrityError, transaction

from kinrw.accounts.models import User
from kinrw.catalogue.models import Programme
from kinrw.workspace.models import Enrolment
from kinrw.workspace.services.common import create_audited
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
            f"Das Programm „{programme.name}“ läuft {year} nicht; bitte ein anderes Jahr wählen."
        )
    if granted_amount is not None and granted_amount < 0:
        raise WorkspaceError("Der bewilligte Betrag darf nicht negativ sein.")
    if Enrolment.objects.filter(programme=programme, year=year).exists():
        raise WorkspaceError(f"„{programme.name}“ ist für {year} bereits eingetragen.")
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
        raise WorkspaceError(f"„{programme.name}“ ist für {year} bereits eingetragen.") from exc
