"""Reads for the admin pages of a KI: enrolments, the catalogue, the team, the audit trail.

All in the schema of the current KI (the catalogue is the Land's, the same everywhere).
Each selector returns a queryset whose rows need no further queries on a list page.
"""

from __future__ import annotations

from django.apps import apps
from django.db.models import Prefetch, QuerySet

from kinrw.accounts.models import User
from kinrw.catalogue.models import Breakdown, Indicator, Programme
from kinrw.catalogue.selectors import programme_list
from kinrw.workspace.models import AuditEntry, Enrolment, Membership


def enrolments() -> QuerySet[Enrolment]:
    return Enrolment.objects.select_related("programme")


def enrolment_years() -> list[int]:
    return list(Enrolment.objects.order_by("-year").values_list("year", flat=True).distinct())


def enrolment_exists(*, programme: Programme, year: int) -> bool:
    return Enrolment.objects.filter(programme=programme, year=year).exists()


def programmes_running(*, year: int) -> QuerySet[Programme]:
    """Active programmes of the catalogue that run in ``year`` (what a KI may enrol in)."""
    return programme_list(year=year)


def programme_choices() -> list[tuple[str, str]]:
    return list(Programme.objects.filter(is_active=True).values_list("code", "name"))


def catalogue() -> QuerySet[Programme]:
    """The Land's active programmes with their active indicators (two queries)."""
    return Programme.objects.filter(is_active=True).prefetch_related(
        Prefetch("indicators", queryset=Indicator.objects.filter(is_active=True))
    )


def breakdown_labels() -> dict[str, str]:
    return {b.code: str(b.label) for b in Breakdown.objects.all()}


def members() -> QuerySet[Membership]:
    """The KI's team: every account with a role here."""
    return Membership.objects.select_related("user")


def audit_entries() -> QuerySet[AuditEntry]:
    return AuditEntry.objects.all()


def audit_object_types() -> list[tuple[str, str]]:
    """(object_type, German name) of the kinds of records the trail holds, by name."""
    found = AuditEntry.objects.order_by().values_list("object_type", flat=True).distinct()
    return sorted(((t, object_type_name(t)) for t in found), key=lambda c: c[1].lower())


def object_type_name(object_type: str) -> str:
    """The model's German name (``workspace.measure`` -> ``Maßnahme``); the key if unknown."""
    try:
        model = apps.get_model(object_type)
    except (LookupError, ValueError):
        return object_type
    name = str(model._meta.verbose_name)
    return name[:1].upper() + name[1:]


def audit_actors() -> list[User]:
    """Accounts that appear in the trail as the one who made a change."""
    ids = AuditEntry.objects.filter(actor__isnull=False).values("actor_id")
    return list(User.objects.filter(pk__in=ids).order_by("full_name", "email"))


def account_names() -> dict[int, str]:
    """Every account of this KI by id, as the trail shows it (name, else e-mail)."""
    return {u.pk: str(u) for u in User.objects.only("id", "full_name", "email")}


def programme_names() -> dict[int, str]:
    return {p.pk: str(p.name) for p in Programme.objects.only("id", "name")}
