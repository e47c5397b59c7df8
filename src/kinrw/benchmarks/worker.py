"""One side of a benchmark in its own process, driven round by round over a pipe.

``python -m kinrw.benchmarks.worker TASK [PARAMS_JSON]`` sets Django up with
``DJANGO_SETTINGS_MODULE`` (the platform: :mod:`settings_ours`; django-tenants
as it comes: :mod:`settings_dt`), prepares the task, answers ``{"ready": …}``
and then reads commands from stdin, one per line:

* ``round``: do one measured unit of work, answer ``{"seconds": …}``;
* ``finish``: check and clean up, answer ``{"result": …}`` and exit.

The orchestrator keeps both sides' workers alive and alternates their rounds,
so a machine that gets busier or quieter during the run affects both alike.
Timings are taken inside the process after Django is set up: interpreter
start-up counts for neither side here (``kinrw bench migrate`` also times
the two commands end to end).
"""

from __future__ import annotations

import json
import os
import sys
import time
import traceback
from collections import Counter
from typing import Any, TextIO

# Synthetic KIs of the onboarding benchmark: valid AGS/ARS outside the registry.
ONBOARDING_AGS = {"dt": "05997", "ours": "05998"}


class Task:
    def __init__(self, params: dict[str, Any]) -> None:
        self.params = params

    def ready(self) -> dict[str, Any]:
        return {}

    def round(self) -> None:
        raise NotImplementedError

    def finish(self) -> dict[str, Any]:
        return {}


class Setup(Task):
    """Empty database -> public schema, template snapshot, the KIs of the registry."""

    def finish(self) -> dict[str, Any]:
        from django.db import connection

        from kinrw.tenancy import apply, fleet, migration_state, registry, template
        from kinrw.tenancy.context import in_public
        from kinrw.tenancy.models import Domain, Tenant

        _check_bench_migrations()
        started = time.perf_counter()
        result = fleet.migrate_fleet(parallel=1)
        migrated = time.perf_counter() - started
        if template.current_snapshot() is None:
            raise RuntimeError(f"keine Vorlage: {result.template}")
        the_plan = apply.plan(registry.load())
        started = time.perf_counter()
        outcome = apply.execute(the_plan)
        applied = time.perf_counter() - started
        tenant_models = _tenant_models()
        with in_public():
            schemas = list(
                Tenant.objects.order_by("schema_name").values_list("schema_name", flat=True)
            )
            hosts = dict(
                Domain.objects.filter(is_primary=True)
                .order_by("tenant__slug")
                .values_list("tenant__slug", "domain")
            )
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT count(*) FROM information_schema.tables WHERE table_schema = %s",
                    [template.template_schema()],
                )
                (tables,) = cursor.fetchone()
        return {
            "migrate_public_and_template_s": migrated,
            "apply_s": applied,
            "created": len(outcome.created),
            "methods": dict(Counter(c.method for c in outcome.created)),
            "schemas": schemas,
            "hosts": hosts,
            "tenant_tables": tables,
            "migrations": migration_state.target_count(),
            "tenant_models": sum(tenant_models.values()),
            "tenant_models_by_app": tenant_models,
            "bench_workspace_migrations": sum(
                1 for m in migration_state.known_migrations() if m.startswith("benchws.")
            ),
            "postgres": connection.pg_version,
        }


def _check_bench_migrations() -> None:
    """The bench workspace app's migrations must match its models (both sides run them)."""
    import io

    from django.apps import apps
    from django.core.management import call_command

    if not apps.is_installed("kinrw.benchmarks.workspace_model"):
        return
    out = io.StringIO()
    try:
        call_command("makemigrations", "benchws", check=True, dry_run=True, stdout=out)
    except SystemExit as exc:
        raise RuntimeError(
            "Die Migrationen der Bench-App benchws passen nicht zu ihren Modellen "
            f"(makemigrations benchws fehlt):\n{out.getvalue()}"
        ) from exc


def _tenant_models() -> dict[str, int]:
    """Models (without auto-created many-to-many tables) of every tenant app, by app label."""
    from django.apps import apps
    from django.conf import settings

    return {
        config.label: len(list(config.get_models()))
        for config in apps.get_app_configs()
        if config.name in settings.TENANT_APPS
    }


def _synthetic(side: str, count: int) -> list[dict[str, Any]]:
    """Registry-like fields of ``count`` new KIs (made before the clock starts)."""
    from kinrw.tenancy import registry

    sample = registry.load()[0]
    prefix = ONBOARDING_AGS[side]
    return [
        {
            "slug": f"bench-{side}-{index:02d}",
            "ags": f"{prefix}{index:03d}",
            "ars": f"{prefix}000{index:04d}",
            "name": f"Bench {side} {index}",
            "official_name": f"Bench {side} {index}, Stadt",
            "kind": sample.kind,
            "regierungsbezirk": sample.regierungsbezirk,
            "nuts3": sample.nuts3,
            "population": 100_000,
            "population_date": sample.population_date,
        }
        for index in range(count)
    ]


class Onboarding(Task):
    side = ""

    def __init__(self, params: dict[str, Any]) -> None:
        super().__init__(params)
        self.profile_rounds = int(params.get("profile", 0))
        self.new = _synthetic(self.side, int(params["count"]) + self.profile_rounds)
        self.schemas: list[str] = []

    def create(self) -> None:
        raise NotImplementedError

    def round(self) -> None:
        self.create()

    def profiled(self) -> dict[str, Any]:
        """Creations of their own with every statement and commit timed (not the measured ones)."""
        from kinrw.benchmarks import sqlprofile

        summaries = []
        for _ in range(self.profile_rounds):
            profile = sqlprofile.Profile(script_kind=self.script_kind)
            with profile.active():
                started = time.perf_counter()
                self.create()
                wall = time.perf_counter() - started
            summaries.append(profile.summary(wall))
        return sqlprofile.median_summary(summaries)

    @staticmethod
    def script_kind(sql: str) -> str | None:
        return None

    def finish(self) -> dict[str, Any]:
        """Did every new schema reach the code's migration state? Then remove the KIs."""
        from kinrw.tenancy import migration_state
        from kinrw.tenancy.context import in_public
        from kinrw.tenancy.models import SchemaState, Tenant

        profile = self.profiled()
        with in_public():
            tenants = list(Tenant.objects.filter(slug__startswith=f"bench-{self.side}-"))
            schemas = [t.schema_name for t in tenants]
            states = migration_state.schema_states(schemas)
            target = migration_state.target_state()
            current = sum(1 for s in schemas if states[s][1] == target)
            for tenant in tenants:
                tenant.delete(force_drop=True)
            SchemaState.objects.filter(schema_name__in=schemas).delete()
        return {"created": len(schemas), "at_target_state": current, "profile": profile}


class OnboardingDt(Onboarding):
    """django-tenants' default: ``auto_create_schema`` runs every migration into the schema."""

    side = "dt"

    def create(self) -> None:
        from django.conf import settings

        from kinrw.tenancy.context import in_public
        from kinrw.tenancy.models import Domain, Tenant

        fields = self.new[len(self.schemas)]
        with in_public():
            tenant = Tenant(schema_name=fields["slug"].replace("-", "_"), **fields)
            tenant.auto_create_schema = True  # the TenantMixin default (our model says False)
            tenant.save(verbosity=0)
            Domain.objects.create(
                domain=f"{fields['slug']}.{settings.KINRW_BASE_DOMAIN}",
                tenant=tenant,
                is_primary=True,
            )
        self.schemas.append(tenant.schema_name)


class OnboardingOurs(Onboarding):
    """``kinrw.tenancy.onboarding.tenant_create`` with a current template snapshot."""

    side = "ours"

    def __init__(self, params: dict[str, Any]) -> None:
        from kinrw.tenancy import template
        from kinrw.tenancy.registry import RegistryEntry

        super().__init__(params)
        if template.current_snapshot() is None:
            raise RuntimeError("keine aktuelle Vorlage")
        self.entries = [RegistryEntry(**fields) for fields in self.new]
        self.methods: Counter[str] = Counter()

    def create(self) -> None:
        from kinrw.tenancy import onboarding

        created = onboarding.tenant_create(entry=self.entries[len(self.schemas)])
        self.methods[created.method] += 1
        self.schemas.append(created.tenant.schema_name)

    @staticmethod
    def script_kind(sql: str) -> str | None:
        from kinrw.benchmarks import sqlprofile

        return sqlprofile.REPLAY if sql.count(";") > 10 else None

    def finish(self) -> dict[str, Any]:
        from kinrw.benchmarks import sqlprofile
        from kinrw.tenancy import template
        from kinrw.tenancy.context import in_public

        result = super().finish()
        replay_only = self._replay_only()
        with in_public():
            snapshot = template.current_snapshot()
            assert snapshot is not None
            script = template.rename_schema(
                snapshot.sql, template.template_schema(), "bench_replay_kinds"
            )
            by_kind = sqlprofile.replay_by_kind(script)
        return {
            **result,
            "methods": dict(self.methods),
            "replay_only_s": replay_only,
            "replay_by_kind": by_kind,
            "snapshot_bytes": len(snapshot.sql),
        }

    @staticmethod
    def _replay_only(rounds: int = 3) -> list[float]:
        """How much of a creation is PostgreSQL replaying the snapshot (rolled back)."""
        from django.db import transaction

        from kinrw.tenancy import template
        from kinrw.tenancy.context import in_public

        times: list[float] = []
        with in_public():
            snapshot = template.current_snapshot()
            assert snapshot is not None
            for index in range(rounds):
                with transaction.atomic():
                    started = time.perf_counter()
                    template.clone_into(f"bench_replay_{index}", snapshot)
                    times.append(time.perf_counter() - started)
                    transaction.set_rollback(True)
        return times


def _fleet_states() -> dict[str, tuple[int, str]]:
    from kinrw.tenancy import migration_state
    from kinrw.tenancy.context import in_public
    from kinrw.tenancy.models import Tenant

    with in_public():
        schemas = ["public", *Tenant.objects.values_list("schema_name", flat=True)]
        return migration_state.schema_states(schemas)


class Migrate(Task):
    def __init__(self, params: dict[str, Any]) -> None:
        super().__init__(params)
        self.before = _fleet_states()

    def ready(self) -> dict[str, Any]:
        return {"tenants": len(self.before) - 1}

    def finish(self) -> dict[str, Any]:
        return {"tenants": len(self.before) - 1, "no_op": _fleet_states() == self.before}


class MigrateDt(Migrate):
    """django-tenants: ``migrate_schemas`` (public, then every tenant schema)."""

    def round(self) -> None:
        from django.core.management import call_command

        call_command("migrate_schemas", interactive=False, verbosity=0)


class MigrateOurs(Migrate):
    """``kinrw migrate``, i.e. :func:`kinrw.tenancy.fleet.migrate_fleet` as the CLI calls it."""

    def __init__(self, params: dict[str, Any]) -> None:
        super().__init__(params)
        self.outcomes: list[tuple[bool, int, int, int]] = []

    def round(self) -> None:
        from kinrw.tenancy import fleet, migration_state

        # A new `kinrw migrate` process computes the code's state once: so does each round.
        migration_state.target_state.cache_clear()
        result = fleet.migrate_fleet(parallel=2)
        self.outcomes.append(
            (result.public_migrated, len(result.migrated), len(result.skipped), len(result.failed))
        )

    def finish(self) -> dict[str, Any]:
        result = super().finish()
        ran = [o for o in self.outcomes if o[0] or o[1] or o[3]]
        result["no_op"] = result["no_op"] and not ran
        result["skipped"] = self.outcomes[-1][2] if self.outcomes else 0
        return result


TASKS: dict[str, type[Task]] = {
    "setup": Setup,
    "onboarding-dt": OnboardingDt,
    "onboarding-ours": OnboardingOurs,
    "migrate-dt": MigrateDt,
    "migrate-ours": MigrateOurs,
}


def _answer(channel: TextIO, message: dict[str, Any]) -> None:
    channel.write(json.dumps(message, default=str) + "\n")
    channel.flush()


def main(argv: list[str]) -> int:
    # Answers go to the original stdout; anything else printed (django-tenants'
    # migrate writes even at verbosity 0) goes to stderr.
    channel = os.fdopen(os.dup(1), "w")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    try:
        import django

        django.setup()
        task = TASKS[argv[1]](json.loads(argv[2]) if len(argv) > 2 else {})
        _answer(channel, {"ready": task.ready()})
        for line in sys.stdin:
            command = line.strip()
            if command == "round":
                started = time.perf_counter()
                task.round()
                _answer(channel, {"seconds": time.perf_counter() - started})
            elif command == "finish":
                _answer(channel, {"result": task.finish()})
                return 0
            else:
                raise ValueError(f"unknown command {command!r}")
    except Exception:
        _answer(channel, {"error": traceback.format_exc()})
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
