"""Prometheus metrics only for operators: a bearer token or the role Plattformbetrieb
(issue 5 part 4, ADR 0013)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client, override_settings
from prometheus_client import REGISTRY

from kinrw.accounts.models import User
from kinrw.state.models import LandAccess, LandRole
from kinrw.tenancy.context import in_public
from tests.kit import PASSWORD, Kit

TOKEN = "metrics-token-for-tests-0123456789"
OPERATOR = "betrieb@it.nrw.example"


def _get(host: str, token: str | None = None, client: Client | None = None) -> tuple[int, str]:
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token is not None else {}
    response = (client or Client()).get("/metrics", HTTP_HOST=host, **headers)
    return response.status_code, response.content.decode()


@override_settings(KINRW_METRICS_TOKEN=TOKEN)
@pytest.mark.django_db
@pytest.mark.parametrize("where", ["ki", "land", "pod-ip"])
def test_the_token_opens_metrics_on_any_host(kit: Kit, where: str) -> None:
    host = {"ki": kit.a.host, "land": kit.land_host, "pod-ip": "10.1.2.3:8000"}[where]
    Client(HTTP_HOST=kit.a.host).get("/konto/anmelden/")  # at least one request counted
    status, body = _get(host, TOKEN)
    assert status == 200
    assert 'kinrw_http_requests_total{method="GET",status="2xx"}' in body
    assert "kinrw_http_request_duration_seconds_bucket" in body
    assert 'kinrw_tenants{status="active"}' in body
    assert "process_" in body or "python_info" in body  # the process's own figures


@override_settings(KINRW_METRICS_TOKEN=TOKEN)
@pytest.mark.django_db
def test_a_wrong_token_is_refused(kit: Kit) -> None:
    assert _get(kit.land_host, "falsch")[0] == 403
    assert _get("10.1.2.3", TOKEN + "x")[0] == 403


@override_settings(KINRW_METRICS_TOKEN="")
@pytest.mark.django_db
def test_without_a_configured_token_no_token_opens_them(kit: Kit) -> None:
    assert _get(kit.land_host, "")[0] == 404  # "Bearer " with nothing: no token at all
    assert _get(kit.land_host, "irgendwas")[0] == 403


@pytest.mark.django_db
def test_only_operators_signed_in_on_the_land_host_see_them(kit: Kit) -> None:
    with in_public():
        user = User.objects.create_user(OPERATOR, PASSWORD, full_name="Betrieb")
        LandAccess.objects.create(user=user, role=LandRole.PLATTFORMBETRIEB)
    operator, ministry = Client(), Client()
    with in_public():
        assert operator.login(username=OPERATOR, password=PASSWORD)
        assert ministry.login(username=kit.land_email, password=PASSWORD)

    assert _get(kit.land_host)[0] == 404  # anonymous
    assert _get(kit.land_host, client=ministry)[0] == 404  # Land account, not operations
    status, body = _get(kit.land_host, client=operator)
    assert status == 200 and "kinrw_tenants" in body
    # a KI's own administrator on the KI host: no such page at all
    assert _get(kit.a.host, client=kit.a.client())[0] == 404


@override_settings(KINRW_METRICS_TOKEN=TOKEN)
@pytest.mark.django_db
def test_metrics_name_no_ki_and_no_person_and_count_failed_logins(kit: Kit) -> None:
    before = REGISTRY.get_sample_value("kinrw_login_failures_total", {"host": "ki"}) or 0.0
    Client(HTTP_HOST=kit.a.host).post(
        "/konto/anmelden/", {"username": kit.a.admin_email, "password": "falsch-falsch"}
    )
    after = REGISTRY.get_sample_value("kinrw_login_failures_total", {"host": "ki"})
    assert after == before + 1

    body = _get(kit.land_host, TOKEN)[1]
    for kt in kit:
        assert kt.tenant.slug not in body and kt.tenant.schema_name not in body
        assert kt.admin_email not in body
    assert "/konto/" not in body  # no paths as labels: the number of series stays fixed


@pytest.mark.slow
@pytest.mark.django_db
def test_several_workers_are_summed_with_a_multiprocess_folder(kit: Kit, tmp_path: Path) -> None:
    """Two processes count into PROMETHEUS_MULTIPROC_DIR; a scrape in either sees both."""
    db = connection.settings_dict
    env = {
        **os.environ,
        "PROMETHEUS_MULTIPROC_DIR": str(tmp_path),
        "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD'] or ''}"
        f"@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "DJANGO_SETTINGS_MODULE": "kinrw.conf.settings",
    }
    script = (
        "import django; django.setup(); from kinrw.core import metrics; "
        "metrics.REQUESTS.labels(method='GET', status='2xx').inc(); "
        "print(metrics.render().content.decode())"
    )
    for _ in range(2):
        done = subprocess.run(
            [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120
        )
        assert done.returncode == 0, done.stderr
    assert 'kinrw_http_requests_total{method="GET",status="2xx"} 2.0' in done.stdout
    assert 'kinrw_tenants{status="active"}' in done.stdout
