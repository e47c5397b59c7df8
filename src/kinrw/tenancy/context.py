"""The one place that switches the database schema.

Everything else calls these helpers (ruff bans django-tenants' own context
managers outside this package).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection


def use_public_schema() -> None:
    connection.set_schema_to_public()


def use_tenant(tenant: Any) -> None:
    connection.set_tenant(tenant)


def current_schema() -> str:
    return str(connection.schema_name)


@contextmanager
def in_schema(schema_name: str) -> Iterator[None]:
    previous = connection.tenant
    connection.set_schema(schema_name)
    try:
        yield
    finally:
        connection.set_tenant(previous)


@contextmanager
def in_tenant(tenant: Any) -> Iterator[None]:
    previous = connection.tenant
    connection.set_tenant(tenant)
    try:
        yield
    finally:
        connection.set_tenant(previous)


@contextmanager
def in_public() -> Iterator[None]:
    previous = connection.tenant
    connection.set_schema_to_public()
    try:
        yield
    finally:
        connection.set_tenant(previous)


def current_tenant() -> Any:
    """The KI whose schema is active, or None on the public schema."""
    from kinrw.tenancy.models import Tenant

    tenant = connection.tenant
    return tenant if isinstance(tenant, Tenant) else None
