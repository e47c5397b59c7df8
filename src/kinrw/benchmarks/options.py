"""What a ``kinrw bench`` run measures: its options, the model sets, the settings of each side."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kinrw.benchmarks import database

SETTINGS = {
    "ours": "kinrw.benchmarks.settings_ours",
    "dt": "kinrw.benchmarks.settings_dt",
    "ours_ws": "kinrw.benchmarks.settings_ours_ws",
    "dt_ws": "kinrw.benchmarks.settings_dt_ws",
    "tenant": "kinrw.benchmarks.settings_tenant",
    "plain": "kinrw.benchmarks.settings_plain",
    "stock": "kinrw.benchmarks.settings_stock",
}


class BenchError(Exception):
    """The benchmark could not run; the message says why."""


@dataclass(frozen=True)
class ModelSet:
    """The tenant models both sides of a creation or migration line run on."""

    key: str
    title: str  # short, in row titles
    description: str  # the header line
    ours: str  # settings keys
    dt: str
    db_suffix: str  # its own database: kinrw_bench<suffix>
    goal: bool  # the goals are judged on this set


MODEL_SETS = {
    "platform": ModelSet(
        key="platform",
        title="Modelle A: die Plattform heute",
        description="nur die Tenant-Apps der Plattform selbst (Information)",
        ours="ours",
        dt="dt",
        db_suffix="",
        goal=False,
    ),
    "workspace": ModelSet(
        key="workspace",
        title="Modelle B: mit 26 Arbeitsbereich-Modellen wie die Basislinie der Issue",
        description="die Plattform plus die Bench-App benchws (kinrw.benchmarks.workspace_model) "
        "als Tenant-App, 26 Modelle wie die „26 tenant models“ der Issue; daran werden die "
        "Ziele gemessen",
        ours="ours_ws",
        dt="dt_ws",
        db_suffix="_ws",
        goal=True,
    ),
}


@dataclass
class Options:
    onboarding_rounds: int = 7
    migrate_rounds: int = 3
    cli_rounds: int = 2
    request_rounds: int = 5
    requests: int = 3000
    concurrency: int = 8
    workers: int = 2
    threads: int = 4
    stock: bool = True
    mixed: bool = True
    keep_db: bool = False
    strict: bool = False
    db_name: str = database.PREFIX
    results: Path = Path("bench/results")
    registry: Path = Path("tenants")
    models: str = "both"  # "both", "platform" or "workspace" (creation and migration only)

    def model_sets(self) -> list[ModelSet]:
        if self.models == "both":
            return list(MODEL_SETS.values())
        return [MODEL_SETS[self.models]]
