"""What every demo generator step shares: the KI, the random source, the catalogue, the ids made."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from kinrw.accounts.models import User
from kinrw.catalogue.models import Breakdown, Programme
from kinrw.tenancy.models import Gemeinde, Tenant
from kinrw.workspace.demo.profiles import PER_MEASURE, PER_MEASURE_UNITS, Profile, profile_of
from kinrw.workspace.demo.sink import ModelSink


@dataclass(frozen=True)
class Volume:
    """How much to make in one KI."""

    organisations: int
    gremien: int
    measures_per_year: int = 0  # about this many (± 10 %)
    measures_total: int | None = None  # exactly this many, split over the years (bench)
    sessions_total: int | None = None  # exactly this many, split over the measures (bench)


def demo_volume(*, population: int, scale: float = 1.0) -> Volume:
    """In proportion to the population: Köln (1.08 M) about 110 measures a year, 180 partners."""
    return Volume(
        organisations=max(12, round(population / 6_000 * scale)),
        gremien=max(2, min(10, round(population / 120_000 * scale) + 2)),
        measures_per_year=max(4, round(population / 10_000 * scale)),
    )


@dataclass(frozen=True)
class IndicatorPlan:
    id: int
    code: str
    unit: str
    breakdowns: list[tuple[str, list[str]]]  # (breakdown code, its value codes in order)
    per_session: bool


@dataclass(frozen=True)
class ProgrammePlan:
    programme: Programme
    profile: Profile
    indicators: list[IndicatorPlan]

    @property
    def uses_languages(self) -> bool:
        return any(b == "language" for i in self.indicators for b, _ in i.breakdowns)


def catalogue_plans() -> list[ProgrammePlan]:
    """The active programmes with their active indicators, in catalogue order."""
    values = {
        b.code: [v["code"] for v in b.values] for b in Breakdown.objects.filter(is_active=True)
    }
    plans = []
    for programme in Programme.objects.filter(is_active=True).prefetch_related("indicators"):
        indicators = [
            IndicatorPlan(
                id=i.pk,
                code=i.code,
                unit=i.unit,
                breakdowns=[(b, values[b]) for b in i.breakdowns if values.get(b)],
                per_session=i.code not in PER_MEASURE and i.unit not in PER_MEASURE_UNITS,
            )
            for i in sorted(programme.indicators.all(), key=lambda i: (i.sort_order, i.code))
            if i.is_active
        ]
        plans.append(ProgrammePlan(programme, profile_of(programme.code), indicators))
    return plans


@dataclass
class Created:
    """The ids of every record a run made, per model: the manifest ``--reset`` removes."""

    ids: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def add(self, label: str, objs: Iterable[object]) -> None:
        pks = [o.pk for o in objs]  # type: ignore[attr-defined]
        self.ids[label].extend(pks)
        self.counts[label] += len(pks)

    def tally(self, label: str, n: int) -> None:
        self.counts[label] += n

    def ranges(self) -> dict[str, list[list[int]]]:
        """Ids as sorted closed ranges ``[[first, last], …]`` (bulk inserts are contiguous)."""
        out: dict[str, list[list[int]]] = {}
        for label, pks in sorted(self.ids.items()):
            runs: list[list[int]] = []
            for pk in sorted(pks):
                if runs and pk == runs[-1][1] + 1:
                    runs[-1][1] = pk
                else:
                    runs.append([pk, pk])
            out[label] = runs
        return out


@dataclass
class DemoContext:
    tenant: Tenant
    rng: random.Random
    today: dt.date
    years: list[int]
    volume: Volume
    gemeinden: list[Gemeinde]
    plans: list[ProgrammePlan]
    closed: set[dt.date] = field(default_factory=set)  # no sessions: holidays, Christmas break
    sink: ModelSink = field(default_factory=ModelSink)
    staff: list[User] = field(default_factory=list)
    created: Created = field(default_factory=Created)

    def place(self) -> Gemeinde:
        return self.rng.choice(self.gemeinden)
