"""Reads of the workspace (the schema of the current KI)."""

from __future__ import annotations

from django.db.models import QuerySet

from kinrw.workspace.models import Enrolment


def enrolment_list(*, year: int | None = None) -> QuerySet[Enrolment]:
    enrolments = Enrolment.objects.select_related("programme")
    if year is not None:
        enrolments = enrolments.filter(year=year)
    return enrolments
