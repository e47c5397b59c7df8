"""Reads of the catalogue: the same in every workspace and on the Land side."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet

from kinrw.catalogue.models import Indicator, Programme


def programme_list(*, year: int | None = None, active_only: bool = True) -> QuerySet[Programme]:
    programmes = Programme.objects.prefetch_related(
        Prefetch("indicators", queryset=Indicator.objects.filter(is_active=True))
    )
    if active_only:
        programmes = programmes.filter(is_active=True)
    if year is not None:
        programmes = programmes.filter(active_from__lte=year).filter(
            Q(active_until__isnull=True) | Q(active_until__gte=year)
        )
    return programmes
