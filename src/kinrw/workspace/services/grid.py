"""The month grid: a measure's sessions of one month, validated together, saved in one go.

Every row is checked first; any error (kept per row and cell) means nothing is
written. Then the changes go to the database in bulk, in one transaction and a
fixed number of queries: only changed sessions are touched, each gets one audit
entry, and breakdown cells stay as long as their total does not change.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _g

from kinrw.accounts.models import User
from kinrw.workspace.models import AuditAction, AuditEntry, Measure, Session, SessionCount
from kinrw.workspace.services.errors import WorkspaceError
from kinrw.workspace.services.grid_cells import GridRow, plain
from kinrw.workspace.services.grid_check import Checker, Plan, is_empty_row

__all__ = ["GridErrors", "GridResult", "GridRow", "sessions_save_month"]

MAX_ROWS = 400


@dataclass(frozen=True)
class GridResult:
    created: int
    updated: int


class GridErrors(WorkspaceError):
    """Errors of the grid: ``errors[row index][cell]`` (cell: field name or indicator code)."""

    def __init__(self, errors: dict[int, dict[str, str]]) -> None:
        n = sum(len(cells) for cells in errors.values())
        super().__init__(
            _g(
                "Im Monatsraster sind %(n)s Angaben nicht gültig (markiert). Bitte korrigieren; "
                "gespeichert wurde noch nichts."
            )
            % {"n": n}
            if n != 1
            else _g(
                "Im Monatsraster ist eine Angabe nicht gültig (markiert). Bitte korrigieren; "
                "gespeichert wurde noch nichts."
            )
        )
        self.errors = errors


@transaction.atomic
def sessions_save_month(
    *,
    actor: User | None,
    measure: Measure,
    year: int,
    month: int,
    rows: Sequence[GridRow],
) -> GridResult:
    """Save the month grid of ``measure``: all rows or none (:class:`GridErrors`)."""
    if measure.is_deleted:
        raise WorkspaceError(
            _g("Die Maßnahme „%(title)s“ ist gelöscht.") % {"title": measure.title}
        )
    if not (1 <= month <= 12 and 2000 <= year <= 2100):
        raise WorkspaceError(
            _g("Diesen Monat gibt es nicht; bitte einen Monat von 1 bis 12 wählen.")
        )
    if len(rows) > MAX_ROWS:
        raise WorkspaceError(
            _g("Höchstens %(max)s Zeilen auf einmal; bitte aufteilen.") % {"max": MAX_ROWS}
        )
    checker = Checker(measure, year, month)
    errors: dict[int, dict[str, str]] = {}
    plans: list[Plan] = []
    for index, row in enumerate(rows):
        if is_empty_row(row):
            continue
        row_errors: dict[str, str] = {}
        plan = checker.check(row, row_errors)
        if row_errors:
            errors[index] = row_errors
        elif plan is not None:
            plans.append(plan)
    if errors:
        raise GridErrors(errors)
    _write(actor, checker, plans)
    return GridResult(
        created=sum(p.is_new for p in plans), updated=sum(not p.is_new for p in plans)
    )


def _write(actor: User | None, checker: Checker, plans: list[Plan]) -> None:
    now = timezone.now()
    new = [p.session for p in plans if p.is_new]
    changed = [p.session for p in plans if not p.is_new]
    Session.objects.bulk_create(new)
    for session in changed:
        session.updated_at = now
    Session.objects.bulk_update(changed, ["cancelled", "volunteers_present", "updated_at"])
    to_create: list[SessionCount] = []
    to_update: list[SessionCount] = []
    to_delete: list[int] = []
    for p in plans:
        existing = {} if p.is_new else checker.totals[p.session.pk]
        for code, value in p.totals.items():
            count = existing.get(code)
            if value is None:
                if count is not None:
                    to_delete.append(count.pk)
            elif count is None:
                to_create.append(
                    SessionCount(session=p.session, indicator=checker.indicators[code], value=value)
                )
            else:
                count.value = value
                to_update.append(count)
    if to_delete:
        SessionCount.objects.filter(pk__in=to_delete).delete()
    SessionCount.objects.bulk_update(to_update, ["value"])
    SessionCount.objects.bulk_create(to_create)
    label = str(actor) if actor is not None else "System"
    entries = []
    for p in plans:
        s = p.session
        if p.is_new:
            changes: dict[str, list[Any]] = {
                "date": [None, s.date.isoformat()],
                "starts_at": [None, s.starts_at.isoformat() if s.starts_at else None],
                "cancelled": [None, s.cancelled],
                "volunteers_present": [None, s.volunteers_present],
                "counts": [None, {c: plain(v) for c, v in sorted(p.totals.items())}],
            }
        else:
            changes = p.changes
        entries.append(
            AuditEntry(
                actor=actor,
                actor_label=label,
                action=AuditAction.CREATE if p.is_new else AuditAction.UPDATE,
                object_type=Session._meta.label_lower,
                object_id=s.pk,
                changes=changes,
            )
        )
    AuditEntry.objects.bulk_create(entries)
