"""New session or update: which session of the measure a row means on its day.

A row updates the session the measure already has that day (its empty cells keep
the session's values, a row without figures keeps its counts): the one with the
same start time; or, when the row gives no start time, the only one that day;
or, when the day's only session has no start time yet, that one (it gets the
row's). Otherwise the row creates a session.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext as _g

from kinrw.workspace.imports.layout import Layout
from kinrw.workspace.imports.lookup import Catalogue, sessions_on, totals_of
from kinrw.workspace.imports.outcome import Draft, Plan, row_json
from kinrw.workspace.models import Session


def _match(draft: Draft, day: list[Session]) -> tuple[Session | None, str]:
    """The session to update (or None: new), or a problem (translated)."""
    if draft.starts_at is not None:
        same = [s for s in day if s.starts_at == draft.starts_at]
        if same:
            return same[0], ""
        if len(day) == 1 and day[0].starts_at is None:
            return day[0], ""
        return None, ""
    if len(day) == 1:
        return day[0], ""
    if len(day) > 1:
        times = ", ".join(
            s.starts_at.strftime("%H:%M") if s.starts_at else _g("ohne Uhrzeit") for s in day
        )
        return None, _g(
            "Am %(date)s hat die Maßnahme schon %(count)s Termine (%(times)s). "
            "Bitte in „Beginn“ die Uhrzeit des gemeinten Termins eintragen."
        ) % {"date": f"{draft.date:%d.%m.%Y}", "count": len(day), "times": times}
    return None, ""


def _counts(draft: Draft, target: Session | None) -> dict[str, Any] | None:
    """What replaces the session's counts; None: an update without figures keeps them."""
    if target is not None and not draft.counts and not draft.fields.get("cancelled"):
        return None
    return draft.counts


def plan_targets(plan: Plan, layout: Layout, catalogue: Catalogue, drafts: Sequence[Draft]) -> None:
    """Add each draft to the plan as a new session or an update; duplicates are errors."""
    sessions = sessions_on((d.measure.pk, d.date) for d in drafts)
    matched: list[tuple[Draft, Session | None]] = []
    seen: dict[tuple[Any, ...], int] = {}
    column = layout.name("starts_at" if "starts_at" in layout.fixed else "date")
    for draft in drafts:
        target, problem = _match(draft, sessions.get((draft.measure.pk, draft.date), []))
        if problem:
            plan.error(draft.row, column, problem)
            continue
        if (
            target is not None
            and target.cancelled
            and draft.counts
            and "cancelled" not in draft.fields
        ):
            plan.error(
                draft.row,
                layout.name("cancelled"),
                _g(
                    "Der Termin am %(date)s ist als ausgefallen erfasst. Hat er stattgefunden, "
                    "bitte in „ausgefallen“ „nein“ eintragen; sonst die Zahlen löschen."
                )
                % {"date": f"{draft.date:%d.%m.%Y}"},
            )
            continue
        key = (
            ("session", target.pk)
            if target
            else ("new", draft.measure.pk, draft.date, draft.starts_at)
        )
        if key in seen:
            plan.error(
                draft.row,
                layout.name("date"),
                _g(
                    "Derselbe Termin steht schon in Zeile %(row)s. Bitte die beiden Zeilen "
                    "zusammenfassen oder eine davon löschen."
                )
                % {"row": seen[key]},
            )
            continue
        seen[key] = draft.row
        matched.append((draft, target))
    before = totals_of(t.pk for _, t in matched if t is not None)
    for draft, target in matched:
        plan.rows.append(
            row_json(
                draft,
                target=target,
                counts=_counts(draft, target),
                before=before.get(target.pk) if target else None,
                labels=catalogue.labels(draft.measure.programme_id),
                breakdowns=catalogue.breakdowns,
            )
        )
