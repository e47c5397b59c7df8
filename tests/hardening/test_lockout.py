"""Login throttling and lockout with django-axes, per KI and on the Land host
(issue 5 part 4, ADR 0013)."""

from __future__ import annotations

import logging

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from click.testing import CliRunner
from django.conf import settings
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse

from kinrw.accounts.lockout import client_ip
from kinrw.cli.accounts import accounts as accounts_cli
from kinrw.tenancy.context import in_public, in_tenant
from tests.kit import PASSWORD, Kit

LOCKED = "Anmeldung vorübergehend gesperrt"
URL = "/konto/anmelden/"


def _login(host: str, email: str, password: str, ip: str = "198.51.100.4") -> tuple[int, str]:
    response = Client(HTTP_HOST=host, REMOTE_ADDR=ip).post(
        URL, {"username": email, "password": password}
    )
    return response.status_code, response.content.decode()


def _fail_until_locked(host: str, email: str, ip: str = "198.51.100.4") -> list[int]:
    return [
        _login(host, email, "falsch-falsch-falsch", ip)[0]
        for _ in range(settings.AXES_FAILURE_LIMIT)
    ]


@pytest.mark.django_db
def test_failed_logins_lock_out_a_ki_account_also_with_the_right_password(
    kit: Kit, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="axes")
    statuses = _fail_until_locked(kit.a.host, kit.a.admin_email)
    assert statuses[:-1] == [200] * (settings.AXES_FAILURE_LIMIT - 1)  # the form with its error
    assert statuses[-1] == 429

    status, page = _login(kit.a.host, kit.a.admin_email, PASSWORD)
    assert status == 429
    assert LOCKED in page
    assert "Bitte warten Sie 15 Minuten" in page
    assert "KI-Leitung" in page and "Plattformbetrieb" in page
    # the spelling of the address does not matter
    assert _login(kit.a.host, kit.a.admin_email.upper(), PASSWORD)[0] == 429
    # axes logs every failure and the lockout, without the address or the client
    axes_lines = [r.getMessage() for r in caplog.records if r.name.startswith("axes")]
    assert any("Locking out" in line for line in axes_lines)
    assert not [line for line in axes_lines if kit.a.admin_email in line or "198.51.100.4" in line]


@pytest.mark.django_db
def test_the_lockout_is_per_address_and_per_ki(kit: Kit) -> None:
    _fail_until_locked(kit.a.host, kit.a.admin_email)
    # the same account from another address still signs in
    assert _login(kit.a.host, kit.a.admin_email, PASSWORD, ip="203.0.113.8")[0] == 302
    # the other KI, from the same address: untouched, and holds no attempt of KI A
    assert _login(kit.b.host, kit.b.admin_email, PASSWORD)[0] == 302
    with in_tenant(kit.b.tenant):
        assert not AccessAttempt.objects.exists()
    with in_tenant(kit.a.tenant):
        (attempt,) = AccessAttempt.objects.all()
    assert attempt.username == kit.a.admin_email
    assert "falsch" not in attempt.post_data and kit.a.admin_email not in attempt.post_data
    with in_public():
        assert not AccessAttempt.objects.exists()  # nothing of a KI's staff in public


@pytest.mark.django_db
def test_the_land_host_locks_out_too_and_names_the_operators(kit: Kit) -> None:
    _fail_until_locked(kit.land_host, kit.land_email)
    status, page = _login(kit.land_host, kit.land_email, PASSWORD)
    assert status == 429 and LOCKED in page
    assert "wenden Sie sich an den Plattformbetrieb" in page
    with in_public():
        assert AccessAttempt.objects.filter(username=kit.land_email).count() == 1
    with in_tenant(kit.a.tenant):
        assert not AccessAttempt.objects.exists()


@pytest.mark.django_db
def test_a_success_before_the_limit_starts_counting_afresh(kit: Kit) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _login(kit.a.host, kit.a.admin_email, "falsch-falsch-falsch")
    assert _login(kit.a.host, kit.a.admin_email, PASSWORD)[0] == 302
    assert _login(kit.a.host, kit.a.admin_email, "falsch-falsch-falsch")[0] == 200


@pytest.mark.django_db
def test_unlock_lifts_the_lockout_of_one_ki_only(kit: Kit) -> None:
    _fail_until_locked(kit.a.host, kit.a.admin_email)
    _fail_until_locked(kit.land_host, kit.land_email)

    done = CliRunner().invoke(accounts_cli, ["unlock", kit.a.admin_email, "--tenant", "koeln"])
    assert done.exit_code == 0, done.output
    assert "1 Einträge" in done.output
    assert _login(kit.a.host, kit.a.admin_email, PASSWORD)[0] == 302
    assert _login(kit.land_host, kit.land_email, PASSWORD)[0] == 429  # still locked

    done = CliRunner().invoke(accounts_cli, ["unlock", kit.land_email])
    assert done.exit_code == 0, done.output
    assert _login(kit.land_host, kit.land_email, PASSWORD)[0] == 302
    with in_public():  # neither successful logins nor a long-term failure log are kept
        assert not AccessLog.objects.exists() and not AccessFailureLog.objects.exists()


@pytest.mark.django_db
def test_unlock_refuses_an_unknown_ki(kit: Kit) -> None:
    done = CliRunner().invoke(accounts_cli, ["unlock", kit.a.admin_email, "--tenant", "nirgendwo"])
    assert done.exit_code == 2 and "nirgendwo" in done.output


def test_login_without_a_request_skips_the_throttle_and_keeps_working(kit: Kit) -> None:
    """The test client's login() (and scripts) authenticate without a request."""
    assert kit.a.client().get(reverse("home"), HTTP_HOST=kit.a.host).status_code == 200


@pytest.mark.parametrize(
    ("proxies", "remote", "forwarded", "client"),
    [
        (["127.0.0.1"], "127.0.0.1", "203.0.113.1, 198.51.100.2", "198.51.100.2"),
        (["127.0.0.1"], "192.0.2.50", "203.0.113.1", "192.0.2.50"),  # not a proxy: forged
        (["127.0.0.1"], "127.0.0.1", "", "127.0.0.1"),
        (["*"], "10.0.0.9", "198.51.100.2", "198.51.100.2"),
    ],
)
def test_the_client_address_behind_trusted_proxies_only(
    proxies: list[str], remote: str, forwarded: str, client: str
) -> None:
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    with override_settings(KINRW_PROXIES=proxies):
        assert client_ip(request) == client
