"""Who gets in: API keys (hash only, per KI), sessions with CSRF, no account, no role."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from kinrw.accounts.models import User
from kinrw.tenancy.context import in_tenant
from kinrw.workspace.models import ApiToken, AuditEntry, Membership
from kinrw.workspace.services import WorkspaceError
from kinrw.workspace.services.tokens import api_token_create, api_token_revoke
from tests.api.conftest import Api, member, token_api
from tests.kit import PASSWORD, Kit

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("keyword", ["Bearer", "Token", "bearer"])
def test_a_valid_key_opens_its_kis_api(kit: Kit, token_key, keyword: str) -> None:
    key = token_key()
    response = token_api(kit.a, key, keyword).get("measures/")
    assert response.status_code == 200, response.content
    with in_tenant(kit.a.tenant):
        assert ApiToken.objects.get().last_used_at is not None


def test_writes_with_a_key_need_no_csrf_and_are_audited_for_its_account(
    kit: Kit, token_key
) -> None:
    key = token_key(role="fachkraft")
    client = token_api(kit.a, key)
    client.client.enforce_csrf_checks = True
    response = client.post("organisations/", {"name": "Kita Mond", "kind": "kita"})
    assert response.status_code == 201, response.json()
    with in_tenant(kit.a.tenant):
        entry = AuditEntry.objects.get(object_type="workspace.organisation")
        assert entry.actor.email == kit.a.staff_email


def test_only_a_hash_of_the_key_is_stored_and_audited(kit: Kit) -> None:
    with in_tenant(kit.a.tenant):
        user = User.objects.get(email=kit.a.admin_email)
        token, key = api_token_create(actor=user, user=user, name="Fachverfahren")
        assert key.startswith("kinrw_") and len(key) > 40
        assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
        assert token.prefix == key[:12]
        with connection.cursor() as cursor:
            cursor.execute("SELECT * FROM workspace_apitoken")
            assert key not in str(cursor.fetchall())
        entry = AuditEntry.objects.get(object_type="workspace.apitoken")
        assert key not in str(entry.changes) and token.key_hash not in str(entry.changes)
        assert entry.changes["name"] == [None, "Fachverfahren"]


@pytest.mark.parametrize(
    ("header", "words"),
    [
        ("Bearer kinrw_falsch", "Unbekannter Schlüssel"),
        ("Bearer", "genau einen Schlüssel"),
        ("Bearer a b", "genau einen Schlüssel"),
    ],
)
def test_bad_keys_get_401(kit: Kit, header: str, words: str) -> None:
    response = Client(HTTP_HOST=kit.a.host, HTTP_AUTHORIZATION=header).get("/api/v1/measures/")
    assert response.status_code == 401
    assert words in response.json()["detail"]
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_revoked_key_gets_401(kit: Kit, token_key) -> None:
    key = token_key()
    with in_tenant(kit.a.tenant):
        api_token_revoke(actor=None, token=ApiToken.objects.get())
        assert AuditEntry.objects.filter(object_type="workspace.apitoken", action="update")
    response = token_api(kit.a, key).get("measures/")
    assert response.status_code == 401 and "widerrufen" in response.json()["detail"]


def test_an_expired_key_gets_401(kit: Kit, token_key) -> None:
    key = token_key(expires_at=timezone.now() + dt.timedelta(hours=1))
    assert token_api(kit.a, key).get("measures/").status_code == 200
    with in_tenant(kit.a.tenant):
        ApiToken.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    response = token_api(kit.a, key).get("measures/")
    assert response.status_code == 401 and "abgelaufen" in response.json()["detail"]


def test_a_key_is_unknown_on_another_kis_host(kit: Kit, token_key) -> None:
    key = token_key(kit.a)
    assert token_api(kit.a, key).get("measures/").status_code == 200
    response = token_api(kit.b, key).get("measures/")
    assert response.status_code == 401


def test_the_land_host_has_no_api(kit: Kit, token_key) -> None:
    key = token_key(kit.a)
    land = Client(HTTP_HOST=kit.land_host, HTTP_AUTHORIZATION=f"Bearer {key}")
    for path in ("/api/v1/measures/", "/api/v1/schema/", "/api/v1/docs/", "/api/v1/"):
        assert land.get(path).status_code == 404, path


def test_a_deactivated_account_or_a_lost_role_locks_the_key(kit: Kit, token_key) -> None:
    key = token_key(role="lesend")
    assert token_api(kit.a, key).get("measures/").status_code == 200
    with in_tenant(kit.a.tenant):
        Membership.objects.filter(user__email="lesend@koeln.example").delete()
    no_role = token_api(kit.a, key).get("measures/")
    assert no_role.status_code == 403 and "keine Rolle" in no_role.json()["detail"]
    with in_tenant(kit.a.tenant):
        User.objects.filter(email="lesend@koeln.example").update(is_active=False)
    assert token_api(kit.a, key).get("measures/").status_code == 401


def test_without_an_account_401(kit: Kit) -> None:
    response = Api(Client(HTTP_HOST=kit.a.host)).get("measures/")
    assert response.status_code == 401
    assert response.json()["detail"]  # DRF's message, in German


def test_an_account_without_a_role_gets_403(kit: Kit) -> None:
    with in_tenant(kit.a.tenant):
        User.objects.create_user("ohne@koeln.example", PASSWORD)
        client = Client(HTTP_HOST=kit.a.host)
        assert client.login(username="ohne@koeln.example", password=PASSWORD)
    response = Api(client).get("measures/")
    assert response.status_code == 403 and "keine Rolle" in response.json()["detail"]


def test_sessions_need_the_csrf_token_for_writes(kit: Kit) -> None:
    client = Client(HTTP_HOST=kit.a.host, enforce_csrf_checks=True)
    with in_tenant(kit.a.tenant):
        assert client.login(username=kit.a.admin_email, password=PASSWORD)
    api = Api(client)
    assert api.get("measures/").status_code == 200
    refused = api.post("organisations/", {"name": "Kita", "kind": "kita"})
    assert refused.status_code == 403 and "CSRF" in refused.json()["detail"]
    client.get("/")  # any page sets the CSRF cookie
    token = client.cookies["kinrw_csrftoken"].value
    accepted = api.post("organisations/", {"name": "Kita", "kind": "kita"}, HTTP_X_CSRFTOKEN=token)
    assert accepted.status_code == 201, accepted.content


def test_the_token_services_check_who_may(kit: Kit) -> None:
    staff = member(kit.a, "fachkraft")
    clerk = member(kit.a, "verwaltung")
    with in_tenant(kit.a.tenant):
        leitung = User.objects.get(email=kit.a.admin_email)
        with pytest.raises(WorkspaceError, match="nur die KI-Leitung"):
            api_token_create(actor=staff, user=clerk, name="fremd")
        own, _ = api_token_create(actor=staff, user=staff, name="eigener")
        theirs, _ = api_token_create(actor=leitung, user=staff, name="von der Leitung")
        with pytest.raises(WorkspaceError, match="nur die KI-Leitung"):
            api_token_revoke(actor=clerk, token=own)
        api_token_revoke(actor=leitung, token=own)
        api_token_revoke(actor=staff, token=theirs)
        with pytest.raises(WorkspaceError, match="Bezeichnung"):
            api_token_create(actor=None, user=staff, name="  ")
        with pytest.raises(WorkspaceError, match="Vergangenheit"):
            api_token_create(
                actor=None, user=staff, name="x", expires_at=timezone.now() - dt.timedelta(1)
            )
        nobody = User.objects.create_user("ohne@koeln.example", PASSWORD)
        with pytest.raises(WorkspaceError, match="keine Rolle"):
            api_token_create(actor=None, user=nobody, name="x")
