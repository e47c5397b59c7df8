"""Demo sessions and their counts, bulk inserted; every breakdown adds up to its total.

Sessions after ``today`` are planned (no counts); a few past ones are cancelled
(no counts, a note why). Figures that describe the measure as a whole
(groups, sites, money …) are recorded once, on its first session that took place.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from itertools import accumulate

from kinrw.catalogue.models import Unit
from kinrw.workspace.demo import names
from kinrw.workspace.demo.context import DemoContext, IndicatorPlan
from kinrw.workspace.demo.measures import MeasureDraft
from kinrw.workspace.demo.profiles import BREAKDOWN_WEIGHTS, VOLUNTEER_INDICATORS
from kinrw.workspace.demo.sink import CountRow, SessionRow

STEP: dict[str, int | Decimal] = {Unit.EUROS: 50, Unit.HOURS: Decimal("0.5")}  # cell steps

Mix = dict[str, tuple[list[str], list[float]]]  # breakdown: (values, cumulative weights)


def _mix(ctx: DemoContext, draft: MeasureDraft) -> Mix:
    """Per measure and breakdown: which values occur and how often (stable across sessions)."""
    rng, out = ctx.rng, {}
    for indicator in draft.plan.indicators:
        for code, values in indicator.breakdowns:
            if code in out:
                continue
            table = BREAKDOWN_WEIGHTS.get(code, {})
            if code == "language" and draft.measure.languages:
                chosen = [v for v in (*draft.measure.languages, "deutsch") if v in values]
            elif code in draft.plan.profile.mix:
                chosen = [v for v in draft.plan.profile.mix[code] if v in values]
            elif table:
                chosen = [v for v in values if v in table]
            else:
                chosen = rng.sample(values, k=min(len(values), rng.randint(2, 4)))
            chosen = chosen or values[:1]
            weights = [
                table[v] * rng.uniform(0.7, 1.3) if v in table else rng.uniform(1, 5)
                for v in chosen
            ]
            out[code] = (chosen, list(accumulate(weights)))
    return out


def _total(
    ctx: DemoContext,
    draft: MeasureDraft,
    indicator: IndicatorPlan,
    volunteers: int,
    first_of_unit: bool,
) -> int | Decimal:
    rng, unit = ctx.rng, indicator.unit
    if indicator.code in VOLUNTEER_INDICATORS:
        return volunteers
    if unit == Unit.SESSIONS:
        return 1 if first_of_unit or rng.random() < 0.2 else 0
    if unit == Unit.HOURS:
        return Decimal(draft.duration) / 60
    if unit == Unit.EUROS:
        return rng.randint(5, 60) * 50
    if unit == Unit.GROUPS:
        return 1
    if unit == Unit.DAYS:
        return rng.randint(10, 60)
    if not indicator.per_session:
        if indicator.code == "languages":
            return len(draft.measure.languages) or rng.randint(1, 4)
        return rng.randint(1, 2)
    if unit == Unit.COUNT:
        return rng.randint(0, max(1, draft.size // 3))
    return max(0, draft.size + rng.randint(-3, 2))


def _counts(
    ctx: DemoContext, draft: MeasureDraft, mix: Mix, session: tuple[int, int], first: bool
) -> list[CountRow]:
    """The counts of one session (id, volunteers present): totals, then breakdown cells."""
    rng, (session_id, volunteers) = ctx.rng, session
    rows: list[CountRow] = []
    units_seen: set[str] = set()
    for indicator in draft.plan.indicators:
        if not (indicator.per_session or first):
            continue
        total = _total(ctx, draft, indicator, volunteers, indicator.unit not in units_seen)
        units_seen.add(indicator.unit)
        if not total:
            continue
        rows.append((session_id, indicator.id, "", "", total))
        step = STEP.get(indicator.unit, 1)
        for breakdown, _ in indicator.breakdowns:
            codes, cumulative = mix[breakdown]
            drawn = Counter(rng.choices(codes, cum_weights=cumulative, k=int(total / step)))
            rows += [
                (session_id, indicator.id, breakdown, code, drawn[code] * step)
                for code in codes
                if drawn[code]
            ]
    return rows


def make_sessions(ctx: DemoContext, drafts: list[MeasureDraft]) -> None:
    """The sessions of saved measures, then their counts, in batches."""
    rng, today = ctx.rng, ctx.today
    rows: list[SessionRow] = []
    for draft in drafts:
        volunteers = any(i.code in VOLUNTEER_INDICATORS for i in draft.plan.indicators)
        for date in draft.dates:
            cancelled = date <= today and rng.random() < 0.04
            rows.append(
                (
                    draft.measure.pk,
                    date,
                    draft.starts_at,
                    draft.duration,
                    cancelled,
                    rng.randint(1, 2) if volunteers and not cancelled else 0,
                    rng.choice(names.CANCEL_NOTES) if cancelled else "",
                )
            )
    ids = ctx.sink.sessions(rows)
    ctx.created.tally("workspace.session", len(rows))
    by_measure: dict[int, list[tuple[int, int]]] = {}
    for pk, (measure_id, date, _, _, cancelled, volunteers, _) in zip(ids, rows, strict=True):
        if not cancelled and date <= today:  # took place: it has counts
            by_measure.setdefault(measure_id, []).append((pk, volunteers))
    counts: list[CountRow] = []
    for draft in drafts:
        mix = _mix(ctx, draft)
        for index, session in enumerate(by_measure.get(draft.measure.pk, [])):
            counts += _counts(ctx, draft, mix, session, first=index == 0)
        if len(counts) >= 20_000:
            _flush(ctx, counts)
            counts = []
    _flush(ctx, counts)


def _flush(ctx: DemoContext, rows: list[CountRow]) -> None:
    if rows:
        ctx.sink.counts(rows)
        ctx.created.tally("workspace.sessioncount", len(rows))
