"""Celery tasks of the state layer: the outbox relay (ADR 0010).

``state.outbox_sweep`` runs on the public schema every few seconds (beat) and
sends each KI's due outbox rows as one ``state.outbox_process`` task carrying the
KI's schema; that task refuses to run without a KI schema.
"""

from __future__ import annotations

from typing import Any

from django_tenants.utils import get_public_schema_name

from kinrw.conf.celery import app
from kinrw.state import outbox
from kinrw.tenancy.context import current_schema, current_tenant
from kinrw.tenancy.models import Tenant


class NoTenantError(RuntimeError):
    """A KI task arrived without a KI schema (or with the public one)."""


def send(tenant: Tenant, ids: list[int]) -> None:
    """Hand outbox rows of a KI to the worker, in the KI's schema."""
    outbox_process.apply_async(args=[ids], headers={"_schema_name": tenant.schema_name})


@app.task(name="state.outbox_process")
def outbox_process(ids: list[int]) -> int:
    tenant = current_tenant()
    if tenant is None or current_schema() == get_public_schema_name():
        raise NoTenantError("state.outbox_process needs a KI schema; refusing to run")
    return outbox.process(tenant, [int(i) for i in ids])


@app.task(name="state.outbox_sweep")
def outbox_sweep(**_: Any) -> int:
    if current_schema() != get_public_schema_name():
        raise RuntimeError("state.outbox_sweep runs on the public schema only")
    return outbox.sweep(send)
