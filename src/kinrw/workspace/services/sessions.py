"""Sessions of a measure and their counts (figures only); weekly series."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _g

from kinrw.accounts.models import User
from kinrw.catalogue.models import Breakdown, Indicator, Unit
from kinrw.workspace.audit import audit_record
from kinrw.workspace.models import AuditAction, Measure, Session, SessionCount
from kinrw.workspace.services.common import merged, soft_delete, update_audited
from kinrw.workspace.services.errors import WorkspaceError

WHOLE_UNITS = {
    Unit.PERSONS,
    Unit.FAMILIES,
    Unit.CHILDREN,
    Unit.GROUPS,
    Unit.SESSIONS,
    Unit.COUNT,
    Unit.DAYS,
}


def check_session_date(measure: Measure, date: dt.date) -> None:
    if measure.is_deleted:
        raise WorkspaceError(
            _g("Die Maßnahme „%(title)s“ ist gelöscht.") % {"title": measure.title}
        )
    if date < measure.starts_on or (measure.ends_on is not None and date > measure.ends_on):
        raise WorkspaceError(
            _g("Der %(date)s liegt außerhalb der Laufzeit der Maßnahme (%(start)s bis %(end)s).")
            % {
                "date": f"{date:%d.%m.%Y}",
                "start": f"{measure.starts_on:%d.%m.%Y}",
                "end": measure.ends_on.strftime("%d.%m.%Y") if measure.ends_on else _g("offen"),
            }
        )


def _number(raw: Any, indicator: Indicator) -> Decimal:
    try:
        value = Decimal(str(raw))
    except (InvalidOperation, ValueError):
        raise WorkspaceError(
            _g("%(indicator)s: „%(value)s“ ist keine Zahl.")
            % {"indicator": indicator.label, "value": raw}
        ) from None
    if value < 0:
        raise WorkspaceError(
            _g("%(indicator)s: Werte dürfen nicht negativ sein.") % {"indicator": indicator.label}
        )
    if indicator.unit in WHOLE_UNITS and value != value.to_integral_value():
        raise WorkspaceError(
            _g("%(indicator)s: bitte eine ganze Zahl eingeben.") % {"indicator": indicator.label}
        )
    return value


def _count_rows(measure: Measure, counts: Mapping[str, Mapping[str, Any]]) -> list[SessionCount]:
    """Validate ``{indicator: {"total": n, "by": {breakdown: {value: n}}}}`` into rows."""
    indicators = {
        i.code: i for i in Indicator.objects.filter(programme=measure.programme, is_active=True)
    }
    breakdowns = {b.code: {v["code"] for v in b.values} for b in Breakdown.objects.all()}
    rows: list[SessionCount] = []
    for code, entry in counts.items():
        indicator = indicators.get(code)
        if indicator is None:
            raise WorkspaceError(
                _g("„%(code)s“ ist kein Indikator des Programms „%(programme)s“.")
                % {"code": code, "programme": measure.programme.name}
            )
        if "total" not in entry:
            raise WorkspaceError(
                _g("%(indicator)s: bitte die Summe angeben.") % {"indicator": indicator.label}
            )
        total = _number(entry["total"], indicator)
        rows.append(SessionCount(indicator=indicator, value=total))
        for breakdown, cells in (entry.get("by") or {}).items():
            if breakdown not in indicator.breakdowns:
                raise WorkspaceError(
                    _g("%(indicator)s: keine Aufschlüsselung nach „%(breakdown)s“ vorgesehen.")
                    % {"indicator": indicator.label, "breakdown": breakdown}
                )
            cell_sum = Decimal(0)
            for value_code, raw in cells.items():
                if value_code not in breakdowns.get(breakdown, set()):
                    raise WorkspaceError(
                        _g("%(indicator)s: unbekannte Ausprägung „%(value)s“ für „%(breakdown)s“.")
                        % {
                            "indicator": indicator.label,
                            "value": value_code,
                            "breakdown": breakdown,
                        }
                    )
                value = _number(raw, indicator)
                cell_sum += value
                rows.append(
                    SessionCount(
                        indicator=indicator, breakdown=breakdown, value_code=value_code, value=value
                    )
                )
            if cell_sum != total:
                raise WorkspaceError(
                    _g(
                        "%(indicator)s: die Aufschlüsselung nach „%(breakdown)s“ ergibt "
                        "%(cells)s, die Summe ist %(total)s."
                    )
                    % {
                        "indicator": indicator.label,
                        "breakdown": breakdown,
                        "cells": cell_sum.normalize(),
                        "total": total.normalize(),
                    }
                )
    return rows


@transaction.atomic
def session_record(
    *,
    actor: User | None,
    measure: Measure,
    date: dt.date,
    counts: Mapping[str, Mapping[str, Any]] | None = None,
    starts_at: dt.time | None = None,
    duration_minutes: int | None = None,
    cancelled: bool = False,
    volunteers_present: int = 0,
    note: str = "",
) -> Session:
    """Record one session with its counts (replacing the counts of an existing one that day)."""
    check_session_date(measure, date)
    if cancelled and counts:
        raise WorkspaceError(_g("Ein ausgefallener Termin hat keine Teilnahmezahlen."))
    if volunteers_present < 0:
        raise WorkspaceError(_g("Die Zahl der Ehrenamtlichen darf nicht negativ sein."))
    rows = _count_rows(measure, counts or {})
    session, created = Session.objects.update_or_create(
        measure=measure,
        date=date,
        starts_at=starts_at,
        is_deleted=False,
        defaults={
            "duration_minutes": duration_minutes,
            "cancelled": cancelled,
            "volunteers_present": volunteers_present,
            "note": note.strip(),
        },
    )
    session.counts.all().delete()
    for row in rows:
        row.session = session
    SessionCount.objects.bulk_create(rows)
    audit_record(
        actor=actor,
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        obj=session,
        changes={
            "date": [None, date.isoformat()],
            "cancelled": [None, cancelled],
            "counts": [None, _counts_changes(rows)],
        },
    )
    return session


SESSION_FIELDS = [
    "date",
    "starts_at",
    "duration_minutes",
    "cancelled",
    "volunteers_present",
    "note",
]


def _counts_changes(rows: list[SessionCount]) -> dict[str, str]:
    return {
        r.indicator.code + (f".{r.breakdown}.{r.value_code}" if r.breakdown else ""): format(
            Decimal(r.value).normalize(), "f"
        )
        for r in rows
    }


@transaction.atomic
def session_update(
    *,
    actor: User | None,
    session: Session,
    counts: Mapping[str, Mapping[str, Any]] | None = None,
    **changes: Any,
) -> Session:
    """Change a session's fields (:data:`SESSION_FIELDS`) and, when given, replace its counts."""
    if session.is_deleted:
        raise WorkspaceError(_g("Dieser Termin ist gelöscht."))
    values = merged(session, changes, SESSION_FIELDS)
    check_session_date(session.measure, values["date"])
    if values["volunteers_present"] is None or values["volunteers_present"] < 0:
        raise WorkspaceError(
            _g("Die Zahl der Ehrenamtlichen darf nicht negativ sein."), field="volunteers_present"
        )
    if values["duration_minutes"] is not None and values["duration_minutes"] <= 0:
        raise WorkspaceError(_g("Die Dauer muss größer als 0 sein."), field="duration_minutes")
    will_have_counts = bool(counts) if counts is not None else session.counts.exists()
    if values["cancelled"] and will_have_counts:
        raise WorkspaceError(
            _g("Ein ausgefallener Termin hat keine Teilnahmezahlen."), field="cancelled"
        )
    values["note"] = (values["note"] or "").strip()
    clash = Session.objects.filter(
        measure=session.measure,
        date=values["date"],
        starts_at=values["starts_at"],
        is_deleted=False,
    ).exclude(pk=session.pk)
    if clash.exists():
        raise WorkspaceError(
            _g("Zu diesem Datum und dieser Uhrzeit gibt es schon einen Termin der Maßnahme."),
            field="date",
        )
    update_audited(session, actor=actor, **values)
    if counts is not None:
        rows = _count_rows(session.measure, counts)
        old = _counts_changes(list(session.counts.select_related("indicator")))
        new = _counts_changes(rows)
        if old != new:
            session.counts.all().delete()
            for row in rows:
                row.session = session
            SessionCount.objects.bulk_create(rows)
            audit_record(
                actor=actor,
                action=AuditAction.UPDATE,
                obj=session,
                changes={"counts": [old, new]},
            )
    return session


@transaction.atomic
def session_delete(*, actor: User | None, session: Session) -> None:
    """Soft delete: its figures leave the KI's numbers, the record stays for the history."""
    soft_delete(actor=actor, obj=session)
