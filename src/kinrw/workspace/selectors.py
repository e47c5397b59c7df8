"""Reads of the workspace (the schema of the current KI)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Prefetch, Q, QuerySet

from kinrw.accounts.models import User
from kinrw.catalogue.models import Indicator, Programme
from kinrw.workspace.models import Enrolment, Measure, Session, SessionCount


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


# --- measures, sessions and the month grid (web pages) ---


def _totals() -> Prefetch:
    """A session's entered totals (no breakdown cells) as ``session.totals``, in catalogue order."""
    return Prefetch(
        "counts",
        queryset=SessionCount.objects.filter(breakdown="")
        .select_related("indicator")
        .order_by("indicator__sort_order", "indicator__code"),
        to_attr="totals",
    )


def programme_indicators(*, programme: Programme) -> list[Indicator]:
    """The active indicators a programme asks for, in catalogue order."""
    return list(
        Indicator.objects.filter(programme=programme, is_active=True).order_by("sort_order", "code")
    )


def measure_sessions(*, measure: Measure) -> QuerySet[Session]:
    """A measure's sessions (not deleted) with their totals, in a fixed number of queries."""
    return Session.objects.filter(measure=measure, is_deleted=False).prefetch_related(_totals())


def session_list() -> QuerySet[Session]:
    """The KI's sessions (not deleted, of measures not deleted) with measure, programme, totals."""
    return (
        Session.objects.filter(is_deleted=False, measure__is_deleted=False)
        .select_related("measure", "measure__programme")
        .prefetch_related(_totals())
    )


def session_months(*, measure: Measure | None = None) -> list[dt.date]:
    """The first days of the months that have sessions, newest first."""
    sessions = Session.objects.filter(is_deleted=False, measure__is_deleted=False)
    if measure is not None:
        sessions = sessions.filter(measure=measure)
    return list(sessions.dates("date", "month", order="DESC"))


def month_sessions(*, measure: Measure, year: int, month: int) -> list[Session]:
    """A measure's sessions (not deleted) of one month with all their counts (two queries)."""
    return list(
        Session.objects.filter(
            measure=measure, is_deleted=False, date__year=year, date__month=month
        )
        .prefetch_related("counts")
        .order_by("date", "starts_at", "pk")
    )


def member_users() -> QuerySet[User]:
    """Accounts with a role in this KI (who can be responsible for a measure)."""
    return User.objects.filter(ki_membership__isnull=False, is_active=True).order_by(
        "full_name", "email"
    )


def session_slot_taken(
    *, measure: Measure, date: dt.date, starts_at: dt.time | None, exclude: Session | None = None
) -> bool:
    """Whether the measure already has a session (not deleted) at this date and time."""
    sessions = Session.objects.filter(
        measure=measure, date=date, starts_at=starts_at, is_deleted=False
    )
    if exclude is not None:
        sessions = sessions.exclude(pk=exclude.pk)
    return sessions.exists()


def session_dates(*, measure: Measure, dates: list[dt.date]) -> set[dt.date]:
    """Which of these dates already have a session (not deleted) of the measure."""
    return set(
        Session.objects.filter(measure=measure, is_deleted=False, date__in=dates).values_list(
            "date", flat=True
        )
    )
