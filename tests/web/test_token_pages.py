"""The account's own API keys: shown once, listed by prefix, revoked; nobody else's."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from kinrw.accounts.models import User
from kinrw.tenancy.context import in_tenant
from kinrw.workspace.models import ApiToken, AuditEntry, Membership, Role
from kinrw.workspace.services import api_token_create
from tests.kit import PASSWORD, Kit

pytestmark = pytest.mark.django_db


def _reader(kit: Kit) -> Client:
    with in_tenant(kit.a.tenant):
        user = User.objects.create_user("lesend-key@koeln.example", PASSWORD, full_name="Lesend")
        Membership.objects.create(user=user, role=Role.LESEND)
        client = Client(HTTP_HOST=kit.a.host)
        assert client.login(username=user.email, password=PASSWORD)
    return client


def test_a_key_is_shown_once_and_works_for_the_api(kit: Kit) -> None:
    client = _reader(kit)
    response = client.post("/api-schluessel/", {"name": "Auswertung", "days": "30"})
    assert response.status_code == 302
    page = client.get("/api-schluessel/").content.decode()
    key = re.search(r'id="new-key" type="text" readonly value="([^"]+)"', page).group(1)
    assert key.startswith("kinrw_") and "Auswertung" in page
    assert 'id="new-key"' not in client.get("/api-schluessel/").content.decode()
    api = Client(HTTP_HOST=kit.a.host, HTTP_AUTHORIZATION=f"Bearer {key}")
    assert api.get("/api/v1/measures/").status_code == 200
    with in_tenant(kit.a.tenant):
        token = ApiToken.objects.get(name="Auswertung")
        assert token.expires_at is not None and key not in str(AuditEntry.objects.all().values())


def test_errors_at_the_field_and_nothing_made(kit: Kit) -> None:
    client = _reader(kit)
    html = client.post("/api-schluessel/", {"name": "  ", "days": ""}).content.decode()
    assert 'id="id_name_errors"' in html
    with in_tenant(kit.a.tenant):
        assert not ApiToken.objects.exists()


def test_revoke_asks_then_stops_the_key(kit: Kit) -> None:
    client = _reader(kit)
    client.post("/api-schluessel/", {"name": "Skript", "days": ""})
    key = re.search(r'value="(kinrw_[^"]+)"', client.get("/api-schluessel/").content.decode())[1]
    with in_tenant(kit.a.tenant):
        pk = ApiToken.objects.get(name="Skript").pk
    assert (
        "Endgültig widerrufen" in client.get(f"/api-schluessel/{pk}/widerrufen/").content.decode()
    )
    assert client.post(f"/api-schluessel/{pk}/widerrufen/").status_code == 302
    api = Client(HTTP_HOST=kit.a.host, HTTP_AUTHORIZATION=f"Bearer {key}")
    assert api.get("/api/v1/measures/").status_code == 401


def test_nobody_sees_or_revokes_anothers_key(kit: Kit) -> None:
    with in_tenant(kit.a.tenant):
        leitung = User.objects.get(email=kit.a.admin_email)
        token, _key = api_token_create(actor=None, user=leitung, name="Leitungsschlüssel")
    client = _reader(kit)
    assert "Leitungsschlüssel" not in client.get("/api-schluessel/").content.decode()
    assert client.post(f"/api-schluessel/{token.pk}/widerrufen/").status_code == 404
    assert kit.b.client().get(f"/api-schluessel/{token.pk}/widerrufen/").status_code == 404
    with in_tenant(kit.a.tenant):
        assert ApiToken.objects.get(pk=token.pk).revoked_at is None


def test_an_account_without_role_gets_the_german_403(kit: Kit) -> None:
    with in_tenant(kit.a.tenant):
        User.objects.create_user("ohne@koeln.example", PASSWORD)
        client = Client(HTTP_HOST=kit.a.host)
        assert client.login(username="ohne@koeln.example", password=PASSWORD)
    response = client.get("/api-schluessel/")
    assert response.status_code == 403 and "Berechtigung" in response.content.decode()
