"""Reads of partners and networks of the current KI (organisations, agreements, Gremien).

Every list comes with what its page shows (counts, related names) in a fixed
number of queries; soft-deleted organisations are left out everywhere except
where history refers to them (members and participants are marked instead).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet
from django.utils import timezone

from kinrw.workspace.models import (
    AgreementStatus,
    CooperationAgreement,
    Gremium,
    GremiumMeeting,
    Measure,
    Organisation,
)


def active_agreements(*, on: dt.date | None = None) -> QuerySet[CooperationAgreement]:
    """Agreements in force: status „aktiv“ and not ended before ``on`` (default: today)."""
    day = on or timezone.localdate()
    return CooperationAgreement.objects.filter(status=AgreementStatus.AKTIV).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=day)
    )


def organisation_list() -> QuerySet[Organisation]:
    """Organisations not deleted, with ``measure_count`` and ``has_active_agreement``."""
    active = active_agreements().filter(organisation=OuterRef("pk"))
    return (
        Organisation.objects.filter(is_deleted=False)
        .select_related("gemeinde")
        .annotate(
            measure_count=Count("measures", filter=Q(measures__is_deleted=False)),
            has_active_agreement=Exists(active),
        )
    )


def organisation_choices() -> QuerySet[Organisation]:
    """What forms offer as members, participants or partners: organisations not deleted."""
    return Organisation.objects.filter(is_deleted=False).order_by("name", "pk")


def organisation_related(*, organisation: Organisation) -> dict[str, QuerySet]:  # type: ignore[type-arg]
    """The tables of an organisation's detail page."""
    return {
        "contacts": organisation.contacts.order_by("name", "pk"),
        "agreements": organisation.agreements.order_by("-starts_on", "-pk"),
        "gremien": organisation.gremien.select_related("gemeinde").order_by("name", "pk"),
        "measures": Measure.objects.filter(partner=organisation, is_deleted=False)
        .select_related("programme")
        .order_by("-starts_on", "-pk"),
    }


def agreement_list() -> QuerySet[CooperationAgreement]:
    """The KI's agreements with organisations that are not deleted."""
    return CooperationAgreement.objects.filter(organisation__is_deleted=False).select_related(
        "organisation"
    )


def gremium_list() -> QuerySet[Gremium]:
    """Gremien with ``member_count``, ``meeting_count`` and ``last_meeting``."""
    return Gremium.objects.select_related("gemeinde").annotate(
        member_count=Count("members", filter=Q(members__is_deleted=False), distinct=True),
        meeting_count=Count("meetings", distinct=True),
        last_meeting=Max("meetings__held_on"),
    )


def gremium_members(*, gremium: Gremium) -> QuerySet[Organisation]:
    """All members, deleted ones too (the page marks them), by name."""
    return gremium.members.select_related("gemeinde").order_by("name", "pk")


def gremium_meetings(*, gremium: Gremium) -> QuerySet[GremiumMeeting]:
    """The Gremium's meetings, newest first, with ``participant_count``."""
    return gremium.meetings.annotate(participant_count=Count("participants")).order_by(
        "-held_on", "-pk"
    )


def meeting_participants(*, meeting: GremiumMeeting) -> QuerySet[Organisation]:
    return meeting.participants.order_by("name", "pk")
