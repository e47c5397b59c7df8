"""Reads of the tenant registry (public schema)."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from kinrw.tenancy.models import Tenant


def tenant_list() -> QuerySet[Tenant]:
    return Tenant.objects.prefetch_related("domains").order_by("slug")


def tenant_get(*, slug: str) -> Tenant | None:
    return Tenant.objects.prefetch_related("domains").filter(slug=slug).first()


def tenant_counts() -> dict[str, int]:
    return dict(Tenant.objects.values_list("status").annotate(n=Count("id")).order_by())
