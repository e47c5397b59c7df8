"""Creating a KI: django-tenants (every migration) against kinrw (the template snapshot)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kinrw.benchmarks.options import Options
from kinrw.benchmarks.report import Report, fmt, median, models_note, raw_sides, timing_row
from kinrw.benchmarks.sides import alternate, workers

GOAL_CREATE = 10.0


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def _profile_note(dt_profile: dict[str, Any], our_profile: dict[str, Any]) -> str:
    """One line each: where a profiled creation's wall time went."""
    parts = []
    if dt_profile:
        parts.append(
            f"django-tenants (profiliert, {_ms(dt_profile['wall_s'])}): SQL "
            f"{_ms(dt_profile['sql_s'])} in {dt_profile['statements']:.0f} Anweisungen, "
            f"{dt_profile['commits']:.0f} Commits {_ms(dt_profile['commit_s'])}, "
            f"Python {_ms(dt_profile['python_and_rest_s'])}"
        )
    if our_profile:
        from kinrw.benchmarks.sqlprofile import REPLAY

        replay = our_profile["by_kind"].get(REPLAY, {"s": 0.0})["s"]
        parts.append(
            f"kinrw (profiliert, {_ms(our_profile['wall_s'])}): Vorlage einspielen "
            f"{_ms(replay)}, übrige SQL {_ms(our_profile['sql_s'] - replay)} in "
            f"{our_profile['statements'] - 1:.0f} Anweisungen, Commit "
            f"{_ms(our_profile['commit_s'])}, Python {_ms(our_profile['python_and_rest_s'])}"
        )
    return "\n".join(parts)


def _replay_note(by_kind: dict[str, Any], top: int = 6) -> str:
    """The snapshot replayed inside the server, statement by statement: time per kind."""
    if not by_kind:
        return ""
    kinds = by_kind["by_kind"]
    items = ", ".join(f"{label} {v['n']}× {_ms(v['s'])}" for label, v in list(kinds.items())[:top])
    server = by_kind["server_s"]
    share = by_kind["index_s"] / server if server else 0.0
    return (
        f"Vorlage im Server Anweisung für Anweisung ({by_kind['statements']} Anweisungen, "
        f"{_ms(server)}): {items}; B-Baum-Indexe zusammen {by_kind['index_statements']}× "
        f"{_ms(by_kind['index_s'])} ({share:.0%})"
    )


def bench_onboarding(
    options: Options,
    envs: dict[str, dict[str, str]],
    report: Report,
    progress: Callable[[str], None],
) -> None:
    warmup = 1
    raw: dict[str, Any] = {"warmup_rounds_dropped": warmup}
    for models in options.model_sets():
        env = envs[models.key]
        setup = report.setups[models.key]
        params = {"count": warmup + options.onboarding_rounds, "profile": 3}
        with workers(
            ("onboarding-dt", models.dt, env, params), ("onboarding-ours", models.ours, env, params)
        ) as (dt_worker, our_worker):
            base, ours = alternate(
                dt_worker.round,
                our_worker.round,
                rounds=options.onboarding_rounds,
                warmup=warmup,
                progress=progress,
                label=f"KI anlegen ({models.key})",
            )
            progress(f"KI anlegen ({models.key}): Profil und Prüfung")
            dt_check = dt_worker.finish()
            our_check = our_worker.finish()
        problems = []
        if set(our_check.get("methods", {})) != {"template"}:
            problems.append(f"kinrw legte nicht nur aus der Vorlage an: {our_check.get('methods')}")
        for side, check in (("django-tenants", dt_check), ("kinrw", our_check)):
            if check["at_target_state"] != check["created"]:
                missing = check["created"] - check["at_target_state"]
                problems.append(f"{side}: {missing} Schemas nicht auf dem Migrationsstand")
        replay = median(our_check.get("replay_only_s", []))
        notes = [
            models_note(setup),
            f"davon spielt PostgreSQL die Vorlage ein (zurückgerollt): {fmt(replay, 's')}",
            _profile_note(dt_check.get("profile", {}), our_check.get("profile", {})),
        ]
        if models.goal:
            notes.append(_replay_note(our_check.get("replay_by_kind", {})))
        report.rows.append(
            timing_row(
                models,
                key="onboarding",
                title="Ein KI anlegen (Median je KI)",
                baseline_label="django-tenants auto_create_schema (alle Migrationen)",
                ours_label="kinrw tenant_create (Vorlage)",
                base=base,
                ours=ours,
                goal=GOAL_CREATE,
                notes=notes,
                problems=problems,
            )
        )
        raw[models.key] = raw_sides(base, ours, dt_check, our_check)
    report.raw["onboarding"] = raw
