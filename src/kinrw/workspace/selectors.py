"""Reads of the workspace (the schema of the current KI)."""

from __future__ import annotations

import datetime as dt

from django.db import connection
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
    """The KI's sessions (not deleted) with measure, programme, totals.

    Deleting a measure marks its sessions deleted too, so ``is_deleted`` alone
    says what lists show: no join with the measures to count or page them.
    """
    return (
        Session.objects.filter(is_deleted=False)
        .select_related("measure", "measure__programme")
        .prefetch_related(_totals())
    )


def session_search(sessions: QuerySet[Session], term: str) -> QuerySet[Session]:
    """Sessions whose note or whose measure's title contains ``term`` (any case).

    The measures are matched first in their own small table (a subquery), not
    by joining every session to its measure.
    """
    titles = Measure.objects.filter(title__icontains=term).values("pk")
    # most sessions have no note: the cheap test first spares them the case-folding
    note = ~Q(note="") & Q(note__icontains=term)
    return sessions.filter(Q(measure__in=titles) | note)


# A loose index scan over ``session_list_idx``: the latest month, then the latest
# date before it, and so on; one index probe per month instead of every session.
_MONTHS_SQL = """
WITH RECURSIVE months(first_day) AS (
    SELECT date_trunc('month', max(date))::date FROM {table} WHERE NOT is_deleted
  UNION ALL
    SELECT (
        SELECT date_trunc('month', max(s.date))::date FROM {table} s
        WHERE NOT s.is_deleted AND s.date < months.first_day
    )
    FROM months WHERE months.first_day IS NOT NULL
)
SELECT first_day FROM months WHERE first_day IS NOT NULL ORDER BY first_day DESC
"""


def session_months(*, measure: Measure | None = None) -> list[dt.date]:
    """The first days of the months that have sessions (not deleted), newest first."""
    if measure is not None:
        sessions = Session.objects.filter(measure=measure, is_deleted=False)
        return list(sessions.dates("date", "month", order="DESC"))
    table = connection.ops.quote_name(Session._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(_MONTHS_SQL.format(table=table))
        return [row[0] for row in cursor.fetchall()]


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
