"""Land accounts: only accounts with a Land role sign in on the Land host."""

from __future__ import annotations

import pytest
from django.test import Client

from kinrw.accounts.models import User
from kinrw.accounts.services import AccountError, site_url
from kinrw.state.models import LandAccess, LandRole
from kinrw.state.services import land_account_invite
from tests.kit import PASSWORD, Kit

pytestmark = pytest.mark.django_db


def test_public_account_without_land_role_cannot_sign_in(kit: Kit) -> None:
    User.objects.create_user("ohne-rolle@example.org", PASSWORD)
    response = Client(HTTP_HOST=kit.land_host).post(
        "/konto/anmelden/", {"username": "ohne-rolle@example.org", "password": PASSWORD}
    )
    assert response.status_code == 200
    assert "keinen Zugang zur Landesebene" in response.content.decode()


def test_land_user_sees_their_role(kit: Kit) -> None:
    client = Client(HTTP_HOST=kit.land_host)
    client.post("/konto/anmelden/", {"username": kit.land_email, "password": PASSWORD})
    assert "Ihre Rolle: Ministerium" in client.get("/").content.decode()


def test_invite_bezirksregierung_needs_its_bezirk(kit: Kit) -> None:
    with pytest.raises(AccountError, match="Regierungsbezirk"):
        land_account_invite(email="br@example.org", role="bezirksregierung")
    with pytest.raises(AccountError, match="nur zur Rolle Bezirksregierung"):
        land_account_invite(email="m@example.org", role="ministerium", regierungsbezirk="Köln")
    assert not User.objects.filter(email__in=["br@example.org", "m@example.org"]).exists()
    link = land_account_invite(
        email="br@example.org", role="bezirksregierung", regierungsbezirk="Detmold"
    )
    assert link.startswith(site_url(kit.land_host) + "/konto/passwort-setzen/")
    access = LandAccess.objects.get(user__email="br@example.org")
    assert (access.role, access.regierungsbezirk) == (LandRole.BEZIRKSREGIERUNG, "Detmold")
    assert not access.user.is_superuser


def test_invite_link_sets_the_password_once(kit: Kit) -> None:
    link = land_account_invite(email="laki@example.org", role="laki")
    path = link.split(kit.land_host, 1)[1].split(":", 1)[-1]
    path = path[path.index("/") :]
    client = Client(HTTP_HOST=kit.land_host)
    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200
    assert "Passwort setzen" in form_page.content.decode()
    new_password = "Sehr-Sicheres-Passwort-2026"
    done = client.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else path,
        {"new_password1": new_password, "new_password2": new_password},
    )
    assert done.status_code == 302
    assert Client(HTTP_HOST=kit.land_host).login(username="laki@example.org", password=new_password)
    again = Client(HTTP_HOST=kit.land_host).get(path, follow=True)
    assert "ungültig oder wurde schon benutzt" in again.content.decode()


def test_unknown_role_is_refused(kit: Kit) -> None:
    with pytest.raises(AccountError, match="Unbekannte Rolle"):
        land_account_invite(email="x@example.org", role="kaiser")
