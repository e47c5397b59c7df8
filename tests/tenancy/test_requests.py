"""The request path: warm host lookup without SQL, no extra search_path query,
and nothing of one request's schema left for the next one."""

from __future__ import annotations

import time

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from kinrw.tenancy import hostcache, listener
from kinrw.tenancy.models import Tenant
from tests.kit import Kit

pytestmark = pytest.mark.django_db


def _wait_for_listener() -> None:
    deadline = time.monotonic() + 10
    while not listener.ensure_started():
        assert time.monotonic() < deadline, "tenancy listener did not connect"
        time.sleep(0.05)


def test_warm_tenant_lookup_costs_no_query(kit: Kit, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    _wait_for_listener()
    client = Client(HTTP_HOST=kit.a.host)
    assert client.get("/konto/anmelden/").status_code == 200  # warms the cache
    with django_assert_num_queries(0):
        assert client.get("/konto/anmelden/").status_code == 200
    assert Client(HTTP_HOST="nowhere.localhost").get("/").status_code == 404
    with django_assert_num_queries(0):
        assert Client(HTTP_HOST="nowhere.localhost").get("/").status_code == 404


def test_cold_lookup_costs_one_query(kit: Kit) -> None:
    _wait_for_listener()
    hostcache.clear()
    with CaptureQueriesContext(connection) as queries:
        Client(HTTP_HOST=kit.b.host).get("/konto/anmelden/")
    lookups = [q["sql"] for q in queries if "tenancy_domain" in q["sql"]]
    assert len(lookups) == 1


def test_status_change_invalidates_the_cache(kit: Kit) -> None:
    _wait_for_listener()
    client = Client(HTTP_HOST=kit.a.host)
    assert client.get("/konto/anmelden/").status_code == 200
    Tenant.objects.filter(pk=kit.a.tenant.pk).update(status="suspended")  # no signal
    hostcache.clear()  # what the NOTIFY does in every process (see test_listener_*)
    assert client.get("/konto/anmelden/").status_code == 503
    kit.a.tenant.refresh_from_db()
    kit.a.tenant.status = "active"
    kit.a.tenant.save()  # the signal clears the cache
    assert client.get("/konto/anmelden/").status_code == 200


def test_domain_change_invalidates_the_cache(kit: Kit) -> None:
    _wait_for_listener()
    assert Client(HTTP_HOST=kit.a.host).get("/konto/anmelden/").status_code == 200
    domain = kit.a.tenant.domains.get(is_primary=True)
    domain.domain = "ki-koeln.localhost"
    domain.save()
    assert Client(HTTP_HOST=kit.a.host).get("/konto/anmelden/").status_code == 404
    assert Client(HTTP_HOST="ki-koeln.localhost").get("/konto/anmelden/").status_code == 200


def test_same_schema_on_a_persistent_connection_sets_no_search_path(kit: Kit) -> None:
    _wait_for_listener()
    koeln, bonn = kit.a.client(), kit.b.client()
    koeln.get("/")
    bonn.get("/")  # both hosts warm
    with CaptureQueriesContext(connection) as queries:
        assert bonn.get("/").status_code == 200
    assert not [q for q in queries if q["sql"].startswith("SET search_path")]
    koeln.get("/")
    with CaptureQueriesContext(connection) as queries:
        assert bonn.get("/").status_code == 200
    sets = [q["sql"] for q in queries if q["sql"].startswith("SET search_path")]
    assert sets == ['SET search_path = "ki_bonn","public"']


@override_settings(ROOT_URLCONF="tests.tenancy.urls_boom")
def test_nothing_leaks_to_the_next_request_after_an_exception(kit: Kit) -> None:
    client = Client(HTTP_HOST=kit.a.host, raise_request_exception=False)
    response = client.get("/boom/")
    assert response.status_code == 500
    # The next request, on the Land host, is in the public schema ...
    land = Client(HTTP_HOST=kit.land_host).get("/")
    assert land.status_code == 200
    assert connection.schema_name == "public"
    assert connection.tenant.schema_name == "public"
    # ... every error page too ...
    Client(HTTP_HOST=kit.a.host, raise_request_exception=False).get("/boom/")
    assert Client(HTTP_HOST="nowhere.localhost").get("/").status_code == 404
    assert connection.schema_name == "public"
    # ... and the next KI request sees its own schema first, in the database too.
    where = Client(HTTP_HOST=kit.b.host).get("/where/")
    assert where.content.decode().split(",")[0].strip('" ') == kit.b.tenant.schema_name


@override_settings(ROOT_URLCONF="tests.tenancy.urls_boom")
def test_a_suspended_ki_request_runs_in_the_public_schema(kit: Kit) -> None:
    Client(HTTP_HOST=kit.b.host).get("/where/")  # leave the connection in Bonn
    onboarding_set_status(kit, "suspended")
    assert Client(HTTP_HOST=kit.a.host).get("/where/").status_code == 503
    assert connection.schema_name == "public"


def onboarding_set_status(kit: Kit, status: str) -> None:
    from kinrw.tenancy import onboarding
    from kinrw.tenancy.models import Status

    onboarding.tenant_set_status(tenant=kit.a.tenant, status=Status(status))


def test_listener_notice_from_another_connection_empties_the_cache(kit: Kit) -> None:
    """A change committed by another process (e.g. the CLI) reaches this one."""
    import psycopg

    _wait_for_listener()
    hostcache.resolve(kit.a.host)
    assert kit.a.host in hostcache._entries
    params = dict(connection.get_connection_params())
    for key in ("options", "cursor_factory", "context", "prepare_threshold", "server_side_binding"):
        params.pop(key, None)
    with psycopg.connect(autocommit=True, **params) as other:  # type: ignore[arg-type]
        other.execute("NOTIFY kinrw_tenancy, 'tenancy_tenant'")
    deadline = time.monotonic() + 5
    while kit.a.host in hostcache._entries:
        assert time.monotonic() < deadline, "notice did not empty the host cache"
        time.sleep(0.02)
