"""Weekly groups: the dates of a series (NRW public holidays and given days skipped) and
creating its sessions; counts are entered later, e.g. in the month grid."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import holidays
from django.db import transaction
from django.utils.translation import gettext as _g

from kinrw.accounts.models import User
from kinrw.workspace.audit import audit_record
from kinrw.workspace.models import AuditAction, Measure, Session
from kinrw.workspace.services.errors import WorkspaceError
from kinrw.workspace.services.sessions import check_session_date

WEEKDAYS = ["Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"]


def weekly_dates(
    *,
    first: dt.date,
    last: dt.date,
    weekday: int,
    skip_public_holidays: bool = True,
    skip_dates: Iterable[dt.date] = (),
) -> list[dt.date]:
    """The dates of a weekly group (0 = Monday), without NRW public holidays and given dates."""
    if not 0 <= weekday <= 6:
        raise WorkspaceError(_g("Der Wochentag muss zwischen Montag und Sonntag liegen."))
    if last < first:
        raise WorkspaceError(_g("Das Ende der Terminreihe liegt vor ihrem Beginn."))
    closed = set(skip_dates)
    if skip_public_holidays:
        closed |= set(
            holidays.country_holidays("DE", subdiv="NW", years=range(first.year, last.year + 1))
        )
    day = first + dt.timedelta(days=(weekday - first.weekday()) % 7)
    dates = []
    while day <= last:
        if day not in closed:
            dates.append(day)
        day += dt.timedelta(days=7)
    return dates


@transaction.atomic
def sessions_generate_weekly(
    *,
    actor: User | None,
    measure: Measure,
    first: dt.date,
    last: dt.date,
    weekday: int,
    starts_at: dt.time | None = None,
    duration_minutes: int | None = None,
    skip_public_holidays: bool = True,
    skip_dates: Iterable[dt.date] = (),
) -> list[Session]:
    """Create the sessions of a weekly group (counts are entered later, e.g. in the month grid)."""
    dates = weekly_dates(
        first=first,
        last=last,
        weekday=weekday,
        skip_public_holidays=skip_public_holidays,
        skip_dates=skip_dates,
    )
    for date in dates:
        check_session_date(measure, date)
    existing = set(
        Session.objects.filter(measure=measure, is_deleted=False, date__in=dates).values_list(
            "date", flat=True
        )
    )
    created = []
    for date in dates:
        if date in existing:
            continue
        session = Session.objects.create(
            measure=measure, date=date, starts_at=starts_at, duration_minutes=duration_minutes
        )
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=session,
            changes={
                "date": [None, date.isoformat()],
                "series": [None, f"wöchentlich, {WEEKDAYS[weekday]}"],
            },
        )
        created.append(session)
    return created
