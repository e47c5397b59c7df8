"""Accounts live per schema; sessions and cookies are bound to their host."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from kinrw.accounts.models import User
from kinrw.tenancy.context import in_tenant
from tests.kit import PASSWORD, Kit

pytestmark = pytest.mark.django_db


def _login(host: str, email: str, password: str = PASSWORD) -> Client:
    client = Client(HTTP_HOST=host)
    response = client.post("/konto/anmelden/", {"username": email, "password": password})
    assert response.status_code == 302, response.content.decode()[:500]
    return client


def test_staff_signs_in_on_their_own_ki(kit: Kit) -> None:
    client = _login(kit.a.host, kit.a.admin_email)
    page = client.get("/")
    assert page.status_code == 200
    assert "Angemeldet als KI-Leitung Köln" in page.content.decode()


def test_staff_of_one_ki_cannot_sign_in_on_another(kit: Kit) -> None:
    response = Client(HTTP_HOST=kit.b.host).post(
        "/konto/anmelden/", {"username": kit.a.admin_email, "password": PASSWORD}
    )
    assert response.status_code == 200
    assert "E-Mail-Adresse oder Passwort ist falsch" in response.content.decode()


def test_ki_staff_cannot_sign_in_on_the_land_host_and_vice_versa(kit: Kit) -> None:
    on_land = Client(HTTP_HOST=kit.land_host).post(
        "/konto/anmelden/", {"username": kit.a.admin_email, "password": PASSWORD}
    )
    assert on_land.status_code == 200
    on_ki = Client(HTTP_HOST=kit.a.host).post(
        "/konto/anmelden/", {"username": kit.land_email, "password": PASSWORD}
    )
    assert on_ki.status_code == 200
    land = _login(kit.land_host, kit.land_email)
    assert "Kommunale Integrationszentren auf der Plattform" in land.get("/").content.decode()


def test_accounts_are_separate_tables_per_schema(kit: Kit) -> None:
    with in_tenant(kit.a.tenant):
        a_emails = set(User.objects.values_list("email", flat=True))
    with in_tenant(kit.b.tenant):
        b_emails = set(User.objects.values_list("email", flat=True))
    public_emails = set(User.objects.values_list("email", flat=True))
    assert kit.a.admin_email in a_emails and kit.a.admin_email not in b_emails
    assert kit.b.admin_email in b_emails and kit.b.admin_email not in a_emails
    assert kit.land_email in public_emails
    assert not (public_emails & (a_emails | b_emails))


@pytest.mark.parametrize("other", ["b", "land"])
def test_session_of_one_host_is_useless_on_another(kit: Kit, other: str) -> None:
    koeln = _login(kit.a.host, kit.a.admin_email)
    cookie = koeln.cookies[settings.SESSION_COOKIE_NAME].value
    other_host = kit.b.host if other == "b" else kit.land_host
    stranger = Client(HTTP_HOST=other_host)
    stranger.cookies[settings.SESSION_COOKIE_NAME] = cookie
    response = stranger.get("/")
    if other == "b":
        assert response.status_code == 302
        assert response["Location"].startswith("/konto/anmelden/")
    else:
        assert response.status_code == 200
        assert "Angemeldet als" not in response.content.decode()
    # ...and the session still works where it was made
    assert koeln.get("/").status_code == 200


def test_session_cookie_is_host_only_and_http_only(kit: Kit) -> None:
    client = _login(kit.a.host, kit.a.admin_email)
    morsel = client.cookies[settings.SESSION_COOKIE_NAME]
    assert morsel["domain"] == ""  # no Domain attribute: the browser sends it to this host only
    assert morsel["httponly"]
    assert morsel["samesite"] == "Lax"


def test_session_bound_to_another_schema_is_dropped(kit: Kit) -> None:
    """Even a session row that reached the wrong schema does not authenticate there."""
    from django.contrib.sessions.backends.db import SessionStore

    with in_tenant(kit.a.tenant):
        user_id = User.objects.get(email=kit.a.admin_email).pk
    with in_tenant(kit.b.tenant):
        forged = SessionStore()
        bonn_user = (
            User.objects.get(pk=user_id) if User.objects.filter(pk=user_id).exists() else None
        )
        assert bonn_user is not None  # same numeric id exists in Bonn: the dangerous case
        forged["_auth_user_id"] = str(user_id)
        forged["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
        forged["_auth_user_hash"] = bonn_user.get_session_auth_hash()
        forged["_kinrw_schema"] = kit.a.tenant.schema_name
        forged.create()
    client = Client(HTTP_HOST=kit.b.host)
    client.cookies[settings.SESSION_COOKIE_NAME] = forged.session_key
    response = client.get("/")
    assert response.status_code == 302  # logged out, sent to the login page


def test_logout_ends_the_session(kit: Kit) -> None:
    client = _login(kit.a.host, kit.a.admin_email)
    assert client.post("/konto/abmelden/").status_code == 302
    assert client.get("/").status_code == 302


def test_a_login_binds_its_session_to_the_schema(kit: Kit) -> None:
    from django.contrib.sessions.backends.db import SessionStore

    client = _login(kit.a.host, kit.a.admin_email)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    with in_tenant(kit.a.tenant):
        assert SessionStore(session_key=key)["_kinrw_schema"] == kit.a.tenant.schema_name
