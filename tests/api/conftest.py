"""Clients for the API: per KI and role, by session or by token; records to work on."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from kinrw.accounts.models import User
from kinrw.catalogue.models import Programme
from kinrw.tenancy.context import in_tenant
from kinrw.workspace.models import Membership, Role
from kinrw.workspace.services import (
    gremium_create,
    measure_create,
    meeting_create,
    organisation_create,
)
from kinrw.workspace.services.tokens import api_token_create
from tests.kit import PASSWORD, Kit, KitTenant

START = dt.date(2026, 2, 2)


class Api:
    """A test client that speaks JSON to ``/api/v1/`` on one KI's host."""

    def __init__(self, client: Client) -> None:
        self.client = client

    def _call(self, method: str, path: str, data: Any = None, **extra: Any) -> Any:
        url = path if path.startswith("/") else f"/api/v1/{path}"
        if method in ("get", "head", "options"):
            return getattr(self.client, method)(url, data or {}, **extra)
        body = json.dumps(data) if data is not None else ""
        return getattr(self.client, method)(url, body, content_type="application/json", **extra)

    def get(self, path: str, data: Any = None, **extra: Any) -> Any:
        return self._call("get", path, data, **extra)

    def post(self, path: str, data: Any = None, **extra: Any) -> Any:
        return self._call("post", path, data, **extra)

    def put(self, path: str, data: Any = None, **extra: Any) -> Any:
        return self._call("put", path, data, **extra)

    def patch(self, path: str, data: Any = None, **extra: Any) -> Any:
        return self._call("patch", path, data, **extra)

    def delete(self, path: str, **extra: Any) -> Any:
        return self._call("delete", path, None, **extra)


def member(kt: KitTenant, role: str) -> User:
    """An account of this KI with this role (made once per test)."""
    email = f"{role}@{kt.tenant.slug}.example"
    with in_tenant(kt.tenant):
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(email, PASSWORD, full_name=f"{role} {kt.tenant.name}")
        Membership.objects.update_or_create(user=user, defaults={"role": role})
    return user


def session_api(kt: KitTenant, email: str) -> Api:
    client = Client(HTTP_HOST=kt.host)
    with in_tenant(kt.tenant):
        assert client.login(username=email, password=PASSWORD)
    return Api(client)


def token_api(kt: KitTenant, key: str, keyword: str = "Bearer") -> Api:
    return Api(Client(HTTP_HOST=kt.host, HTTP_AUTHORIZATION=f"{keyword} {key}"))


@pytest.fixture
def api(kit: Kit) -> Callable[..., Api]:
    """``api(role)`` (KI A, session) or ``api(role, kt=kit.b)``."""

    def make(role: str = Role.LEITUNG, kt: KitTenant | None = None) -> Api:
        kt = kt or kit.a
        email = kt.admin_email if role == Role.LEITUNG else member(kt, role).email
        return session_api(kt, email)

    return make


@pytest.fixture
def token_key(kit: Kit) -> Callable[..., str]:
    """``token_key(kt, role)``: a new API key of an account with that role."""

    def make(kt: KitTenant | None = None, role: str = Role.LEITUNG, **kwargs: Any) -> str:
        kt = kt or kit.a
        user = member(kt, role) if role != Role.LEITUNG else None
        with in_tenant(kt.tenant):
            user = user or User.objects.get(email=kt.admin_email)
            return api_token_create(actor=None, user=user, name="Test", **kwargs)[1]

    return make


def records(kt: KitTenant, marker: str = "") -> dict[str, Any]:
    """One record of each kind in this KI (for isolation and permission tests)."""
    with in_tenant(kt.tenant):
        leitung = User.objects.get(email=kt.admin_email)
        org = organisation_create(actor=leitung, name=f"Kita Sonne {marker}", kind="kita")
        measure = measure_create(
            actor=leitung,
            title=f"Sprachcafé {marker}",
            programme=Programme.objects.get(code="griffbereit"),
            starts_on=START,
            partner=org,
        )
        gremium = gremium_create(
            actor=leitung, name=f"Arbeitskreis {marker}", kind="arbeitskreis", members=[org]
        )
        meeting = meeting_create(actor=leitung, gremium=gremium, held_on=START, topic=marker)
    return {
        "leitung": leitung,
        "org": org,
        "measure": measure,
        "gremium": gremium,
        "meeting": meeting,
    }
