"""Reads of the tenant registry (public schema)."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from kinrw.tenancy.models import Gemeinde, Tenant


def tenant_list() -> QuerySet[Tenant]:
    return Tenant.objects.prefetch_related("domains").order_by("slug")


def tenant_get(*, slug: str) -> Tenant | None:
    return Tenant.objects.prefetch_related("domains").filter(slug=slug).first()


def tenant_counts() -> dict[str, int]:
    return dict(Tenant.objects.values_list("status").annotate(n=Count("id")).order_by())


def gemeinden_of(*, tenant: Tenant) -> QuerySet[Gemeinde]:
    """The Gemeinden of a KI's area, for its location fields.

    A KI with an 8-digit AGS (Stadt Aachen) covers that Gemeinde only; a Kreis
    or the StädteRegion covers its Gemeinden except those with a KI of their
    own; a kreisfreie Stadt is its one Gemeinde.
    """
    if len(tenant.ags) == 8:
        return Gemeinde.objects.filter(ags=tenant.ags)
    own_kis = Tenant.objects.filter(ags__startswith=tenant.ags, ags__regex=r"^\d{8}$")
    return Gemeinde.objects.filter(kreis_ags=tenant.ags).exclude(ags__in=own_kis.values("ags"))
