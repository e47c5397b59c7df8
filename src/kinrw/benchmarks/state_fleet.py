"""Simulated KIs for the overview at 1,000 KIs (the Land's table grows, the page must not).

A simulated KI is a row in the public schema's KI table, with a name, an AGS of
the unused Land key 99, a Regierungsbezirk and a population, and a copy of one
real KI's facts (the first KIs by AGS, in turn). It has no schema and no host:
the overview reads only the public schema. They are removed again afterwards,
in one transaction, by their AGS prefix.
"""

from __future__ import annotations

import datetime as dt

from django.db import connection, transaction

from kinrw.tenancy.context import in_public
from kinrw.tenancy.models import Kind, Regierungsbezirk, Status, Tenant

SIM_PREFIX = "99"  # AGS "99…": no Land has that key
SLUG_PREFIX = "sim-"


def simulate(total: int) -> int:
    """Add simulated KIs until the Land has ``total``; return how many were added."""
    with in_public(), transaction.atomic():
        real = list(Tenant.objects.exclude(ags__startswith=SIM_PREFIX).order_by("ags"))
        wanted = total - len(real)
        if wanted <= 0:
            return 0
        bezirke = [b.value for b in Regierungsbezirk]
        made = Tenant.objects.bulk_create(
            [
                Tenant(
                    schema_name=f"sim_{n:05d}",
                    slug=f"{SLUG_PREFIX}{n:05d}",
                    ags=f"{SIM_PREFIX}{n:06d}",
                    ars=f"{SIM_PREFIX}{n:010d}",
                    nuts3="DEA00",
                    name=f"Simuliertes KI {n:04d}",
                    official_name=f"Simuliertes Kommunales Integrationszentrum {n:04d}",
                    kind=Kind.KREIS,
                    regierungsbezirk=bezirke[n % len(bezirke)],
                    population=real[n % len(real)].population,
                    population_date=dt.date(2024, 12, 31),
                    status=Status.ACTIVE,
                )
                for n in range(1, wanted + 1)
            ]
        )
        source = {sim.pk: real[n % len(real)].pk for n, sim in enumerate(made, 1)}
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO state_fact (tenant_id, programme_id, indicator_id, "
                "period, breakdown, value_code, value, computed_at, source_generation) "
                "SELECT m.sim, f.programme_id, f.indicator_id, f.period, f.breakdown, "
                "f.value_code, f.value, f.computed_at, f.source_generation "
                "FROM state_fact f "
                "JOIN unnest(%s::bigint[], %s::bigint[]) AS m(sim, real) ON f.tenant_id = m.real",
                [list(source), list(source.values())],
            )
            cursor.execute("ANALYZE state_fact")
        return len(made)


def remove_simulated() -> int:
    with in_public(), transaction.atomic(), connection.cursor() as cursor:
        # plain SQL: the ORM would load millions of facts, and django-tenants' delete()
        # would drop the (absent) schemas
        cursor.execute(
            "DELETE FROM state_fact WHERE tenant_id IN "
            "(SELECT id FROM tenancy_tenant WHERE ags LIKE %s)",
            [SIM_PREFIX + "%"],
        )
        cursor.execute("DELETE FROM tenancy_tenant WHERE ags LIKE %s", [SIM_PREFIX + "%"])
        removed = cursor.rowcount
        cursor.execute("ANALYZE state_fact")
        return removed
