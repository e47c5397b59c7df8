"""Host routing: tenant, Land, unknown, suspended, archived, bare IP for probes."""

from __future__ import annotations

import pytest
from django.test import Client

from kinrw.tenancy import onboarding
from kinrw.tenancy.models import Status
from tests.kit import Kit

pytestmark = pytest.mark.django_db


def test_tenant_host_shows_its_german_login_page(kit: Kit) -> None:
    response = Client(HTTP_HOST=kit.a.host).get("/konto/anmelden/")
    assert response.status_code == 200
    body = response.content.decode()
    assert '<html lang="de">' in body
    assert "Anmeldung für die Mitarbeitenden des KI Köln" in body
    assert 'for="id_username"' in body and 'for="id_password"' in body


def test_tenant_start_page_requires_login_and_names_the_ki(kit: Kit) -> None:
    anonymous = Client(HTTP_HOST=kit.a.host).get("/")
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/konto/anmelden/")
    page = kit.a.client().get("/")
    assert page.status_code == 200
    assert "Kommunales Integrationszentrum Köln" in page.content.decode()


def test_land_host_shows_the_ministry_entry_page(kit: Kit) -> None:
    response = Client(HTTP_HOST=kit.land_host).get("/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Landesebene" in body
    assert "Anmelden (Ministerium, LaKI, Bezirksregierung)" in body


@pytest.mark.parametrize("host", ["nowhere.localhost", "nowhere.localhost:8000", "a.b.localhost"])
def test_unknown_host_is_a_german_404(kit: Kit, host: str) -> None:
    response = Client(HTTP_HOST=host).get("/")
    assert response.status_code == 404
    assert "Seite nicht gefunden" in response.content.decode()


def test_host_outside_the_base_domain_is_a_404(kit: Kit) -> None:
    assert Client(HTTP_HOST="koeln.evil.example").get("/").status_code == 404


def test_host_matching_is_case_and_port_insensitive(kit: Kit) -> None:
    response = Client(HTTP_HOST=kit.a.host.upper() + ":8000").get("/konto/anmelden/")
    assert response.status_code == 200
    assert "KI Köln" in response.content.decode()


def test_suspended_ki_gets_503_page_and_no_login(kit: Kit) -> None:
    client = kit.a.client()
    onboarding.tenant_set_status(tenant=kit.a.tenant, status=Status.SUSPENDED)
    for path in ("/", "/konto/anmelden/"):
        response = client.get(path)
        assert response.status_code == 503
        assert "vorübergehend gesperrt" in response.content.decode()
        assert response["Retry-After"]
    post = Client(HTTP_HOST=kit.a.host).post(
        "/konto/anmelden/", {"username": kit.a.admin_email, "password": "x"}
    )
    assert post.status_code == 503
    # the other KI is unaffected
    assert kit.b.client().get("/").status_code == 200


def test_archived_ki_is_a_404_and_no_login(kit: Kit) -> None:
    onboarding.tenant_set_status(tenant=kit.a.tenant, status=Status.ARCHIVED)
    for path in ("/", "/konto/anmelden/"):
        assert Client(HTTP_HOST=kit.a.host).get(path).status_code == 404
    post = Client(HTTP_HOST=kit.a.host).post(
        "/konto/anmelden/", {"username": kit.a.admin_email, "password": "x"}
    )
    assert post.status_code == 404


def test_resumed_ki_serves_again(kit: Kit) -> None:
    onboarding.tenant_set_status(tenant=kit.a.tenant, status=Status.SUSPENDED)
    assert Client(HTTP_HOST=kit.a.host).get("/konto/anmelden/").status_code == 503
    onboarding.tenant_set_status(tenant=kit.a.tenant, status=Status.ACTIVE)
    assert Client(HTTP_HOST=kit.a.host).get("/konto/anmelden/").status_code == 200


@pytest.mark.parametrize(
    "host",
    [
        "10.1.2.3",
        "10.1.2.3:8000",
        "[fd00::1]:8000",
        "localhost",
        "koeln.localhost",
        "nowhere.localhost",
    ],
)
def test_health_endpoints_answer_on_any_host(kit: Kit, host: str) -> None:
    client = Client(HTTP_HOST=host)
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["database"] == "ok"


def test_healthz_needs_no_database(kit: Kit, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    with django_assert_num_queries(0):
        assert Client(HTTP_HOST="10.0.0.9").get("/healthz").status_code == 200


def test_language_switch_to_english(kit: Kit) -> None:
    client = Client(HTTP_HOST=kit.a.host)
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/konto/anmelden/"})
    assert response.status_code == 302
    page = client.get("/konto/anmelden/")
    body = page.content.decode()
    assert '<html lang="en">' in body
    assert "Sign in" in body


def test_ki_with_a_domain_of_its_own_is_served(kit: Kit) -> None:
    domain = kit.a.tenant.domains.get(is_primary=True)
    domain.domain = "integration.stadt-koeln.example"
    domain.save()
    response = Client(HTTP_HOST="integration.stadt-koeln.example").get("/konto/anmelden/")
    assert response.status_code == 200
    assert "KI Köln" in response.content.decode()


def test_styles_load_on_suspended_and_unknown_hosts(kit: Kit, settings) -> None:  # type: ignore[no-untyped-def]
    settings.WHITENOISE_USE_FINDERS = True  # serve from the source tree: no collectstatic here
    settings.WHITENOISE_AUTOREFRESH = True
    onboarding.tenant_set_status(tenant=kit.a.tenant, status=Status.SUSPENDED)
    page = Client(HTTP_HOST=kit.a.host).get("/")
    assert page.status_code == 503
    assert "/static/kinrw/css/kinrw.css" in page.content.decode()
    for host in (kit.a.host, "nowhere.localhost"):
        css = Client(HTTP_HOST=host).get("/static/kinrw/css/kinrw.css")
        assert css.status_code == 200
        assert b":root" in b"".join(css.streaming_content)


def test_german_even_when_the_browser_asks_for_english(kit: Kit) -> None:
    client = Client(HTTP_HOST=kit.a.host, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    body = client.get("/konto/anmelden/").content.decode()
    assert '<html lang="de">' in body
    assert "Anmelden" in body
    unknown = Client(HTTP_HOST="nowhere.localhost", HTTP_ACCEPT_LANGUAGE="en-US")
    assert "Seite nicht gefunden" in unknown.get("/").content.decode()
