"""Demo enrolments (programmes per year) and measures of those programmes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from kinrw.catalogue.models import Handlungsfeld
from kinrw.workspace.demo import names
from kinrw.workspace.demo.context import DemoContext, ProgrammePlan
from kinrw.workspace.demo.profiles import LANGUAGE_WEIGHTS
from kinrw.workspace.models import Enrolment, Measure, MeasureStatus, Organisation
from kinrw.workspace.services import weekly_dates


def make_enrolments(ctx: DemoContext) -> dict[int, list[ProgrammePlan]]:
    """A stable set of programmes per KI (own measures always), enrolled each year they run."""
    rng = ctx.rng
    chosen = [p for p in ctx.plans if p.programme.own_measure or rng.random() < 0.75]
    per_year: dict[int, list[ProgrammePlan]] = {}
    rows = []
    for year in ctx.years:
        per_year[year] = [p for p in chosen if p.programme.runs_in(year)]
        for plan in per_year[year]:
            amount = None if plan.programme.own_measure else Decimal(rng.randint(40, 500) * 100)
            rows.append(Enrolment(programme=plan.programme, year=year, granted_amount=amount))
    ctx.created.add("workspace.enrolment", Enrolment.objects.bulk_create(rows))
    return per_year


@dataclass
class MeasureDraft:
    """A measure before it is saved, with what its sessions need."""

    measure: Measure
    plan: ProgrammePlan
    gemeinde_ids: list[int]
    responsible_ids: list[int]
    dates: list[dt.date]  # its weekly sessions
    starts_at: dt.time
    duration: int  # minutes per session
    size: int  # typical number of participants per session


def _start(ctx: DemoContext, year: int) -> dt.date:
    last = min(dt.date(year, 12, 31), ctx.today + dt.timedelta(days=60))
    span = max(0, (last - dt.date(year, 1, 1)).days)
    return dt.date(year, 1, 1) + dt.timedelta(days=ctx.rng.randint(0, span))


def _languages(ctx: DemoContext, plan: ProgrammePlan) -> list[str]:
    if not plan.uses_languages:
        return []
    codes = list(LANGUAGE_WEIGHTS)
    weights = list(LANGUAGE_WEIGHTS.values())
    picked = ctx.rng.choices(codes, weights=weights, k=ctx.rng.randint(1, 3))
    return sorted(set(picked), key=codes.index)


def _draft(
    ctx: DemoContext,
    plan: ProgrammePlan,
    year: int,
    n: int,
    by_kind: dict[str, list[Organisation]],
    sessions: int | None,
) -> MeasureDraft:
    rng, profile = ctx.rng, plan.profile
    candidates = [o for kind in profile.partners for o in by_kind.get(kind, [])]
    partner = rng.choice(candidates) if candidates else None
    gemeinde = partner.gemeinde if partner is not None and partner.gemeinde else ctx.place()
    weeks = sessions if sessions is not None else rng.randint(*profile.weeks)
    starts_on = _start(ctx, year)
    dates = weekly_dates(
        first=starts_on,
        last=starts_on + dt.timedelta(weeks=2 * weeks + 3),  # room for the closed days
        weekday=rng.randint(0, 4),
        skip_public_holidays=False,  # ctx.closed has them, computed once per run
        skip_dates=ctx.closed,
    )[:weeks]
    ends_on = dates[-1] if dates else starts_on
    titles = [t for t in profile.titles if partner is not None or "{partner}" not in t]
    title = rng.choice(titles or ["{programme} {ort} {n}"]).format(
        ort=gemeinde.name,
        partner=partner.name if partner else "",
        n=n,
        year=year,
        programme=plan.programme,
    )
    handlungsfeld = plan.programme.handlungsfeld
    if plan.programme.own_measure:
        handlungsfeld = rng.choice(Handlungsfeld.values)
    if starts_on > ctx.today:
        status = MeasureStatus.GEPLANT
    elif ends_on < ctx.today:
        status = MeasureStatus.ABGESCHLOSSEN
    else:
        status = MeasureStatus.LAUFEND
    if sessions is None and rng.random() < 0.03:
        status, dates = MeasureStatus.ABGESAGT, []
    hour, minute = profile.starts_at
    measure = Measure(
        title=title[:200],
        description=profile.description,
        programme=plan.programme,
        handlungsfeld=handlungsfeld,
        target_groups=list(profile.target_groups[: rng.randint(1, 3)]),
        venue="" if partner else rng.choice(names.VENUES).format(ort=gemeinde.name),
        partner=partner,
        starts_on=starts_on,
        ends_on=ends_on,
        status=status,
        languages=_languages(ctx, plan),
    )
    staff = [u.pk for u in ctx.staff[:2]]
    return MeasureDraft(
        measure=measure,
        plan=plan,
        gemeinde_ids=[gemeinde.pk],
        responsible_ids=[rng.choice(staff)] if staff else [],
        dates=dates,
        starts_at=dt.time(hour, minute),
        duration=rng.choice((90, 90, 120)),
        size=rng.randint(*profile.group_size),
    )


def measure_drafts(
    ctx: DemoContext, per_year: dict[int, list[ProgrammePlan]], organisations: list[Organisation]
) -> Iterator[MeasureDraft]:
    """The measures of each year, their programme drawn by the programmes' weights."""
    by_kind: dict[str, list[Organisation]] = {}
    for org in organisations:
        by_kind.setdefault(org.kind, []).append(org)
    rng, volume = ctx.rng, ctx.volume
    numbers: dict[str, int] = {}
    total, years, index = volume.measures_total, len(ctx.years), 0
    for position, year in enumerate(ctx.years):
        plans = per_year[year]
        if total is not None:
            n = total // years + (1 if position < total % years else 0)
        else:
            n = max(1, round(volume.measures_per_year * rng.uniform(0.9, 1.1)))
        weights = [p.profile.weight for p in plans]
        for plan in rng.choices(plans, weights=weights, k=n) if plans else []:
            sessions = None
            if total and volume.sessions_total is not None:
                sessions = volume.sessions_total // total
                sessions += 1 if index < volume.sessions_total % total else 0
            index += 1
            code = plan.programme.code
            numbers[code] = numbers.get(code, 0) + 1
            yield _draft(ctx, plan, year, numbers[code], by_kind, sessions)


def save_measures(ctx: DemoContext, drafts: list[MeasureDraft]) -> None:
    """Insert a batch of measures with their Gemeinden and responsible staff."""
    ctx.sink.measures([d.measure for d in drafts])
    ctx.created.add("workspace.measure", [d.measure for d in drafts])
    ctx.sink.links(
        Measure.gemeinden.through,
        [{"measure_id": d.measure.pk, "gemeinde_id": g} for d in drafts for g in d.gemeinde_ids],
    )
    ctx.sink.links(
        Measure.responsible.through,
        [{"measure_id": d.measure.pk, "user_id": u} for d in drafts for u in d.responsible_ids],
    )
