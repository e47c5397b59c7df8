"""Reads of the workspace (the schema of the current KI)."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from kinrw.workspace.models import Enrolment, Measure


def enrolment_list(*, year: int | None = None) -> QuerySet[Enrolment]:
    enrolments = Enrolment.objects.select_related("programme")
    if year is not None:
        enrolments = enrolments.filter(year=year)
    return enrolments


def measure_list(
    *,
    search: str = "",
    status: str | None = None,
    programme_code: str | None = None,
    year: int | None = None,
) -> QuerySet[Measure]:
    """The KI's measures (not deleted), with what list pages show, in a fixed number of queries."""
    measures = (
        Measure.objects.filter(is_deleted=False)
        .select_related("programme", "partner")
        .prefetch_related("gemeinden", "responsible")
    )
    if search:
        measures = measures.filter(Q(title__icontains=search) | Q(description__icontains=search))
    if status:
        measures = measures.filter(status=status)
    if programme_code:
        measures = measures.filter(programme__code=programme_code)
    if year is not None:
        measures = measures.filter(starts_on__year__lte=year).filter(
            Q(ends_on__isnull=True) | Q(ends_on__year__gte=year)
        )
    return measures
