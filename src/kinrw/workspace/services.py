"""Writes to the workspace (the schema of the current KI)."""

from __future__ import annotations

from decimal import Decimal

from django.db import IntegrityError, transaction

from kinrw.catalogue.models import Programme
from kinrw.workspace.models import Enrolment


class WorkspaceError(Exception):
    """Bad input for the workspace; the message is German and says what to do."""


def enrolment_create(
    *, programme: Programme, year: int, granted_amount: Decimal | None = None
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
            return Enrolment.objects.create(
                programme=programme, year=year, granted_amount=granted_amount
            )
    except IntegrityError as exc:  # a concurrent entry won the race
        raise WorkspaceError(f"„{programme.name}“ ist für {year} bereits eingetragen.") from exc
