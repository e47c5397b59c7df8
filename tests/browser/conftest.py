"""The platform served for real (``kinrw serve``: gunicorn, WhiteNoise, collected static
files) against the test database, and Debian's headless Chromium that reaches the KI
hosts (``koeln.localhost:<port>``) through a host-resolver rule.

The server is another process: it sees committed data only. The kit is committed; the
records of KI A the pages show and an account without a role are committed here for
the package and removed afterwards.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session as DjangoSession
from django.db import connection, transaction

from kinrw.accounts.models import User
from kinrw.accounts.services import set_password_link
from kinrw.state.periods import period_close
from kinrw.tenancy.context import in_tenant, use_public_schema
from tests.kit import PASSWORD, Kit
from tests.workspace.records import Records, records_create, records_delete

CHROMIUM = Path(os.environ.get("KINRW_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_MISSING = (
    f"Chromium fehlt ({CHROMIUM}); die Barrierefreiheitstests brauchen es. Installieren: "
    "`sudo apt-get install -y chromium` (CI: .ci/run installiert es). / Chromium is missing: "
    "install it with `sudo apt-get install -y chromium`."
)
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--host-resolver-rules=MAP *.localhost 127.0.0.1, MAP localhost 127.0.0.1",
]
REPO = Path(__file__).resolve().parents[2]
MARKER = "AxeKoeln"


@dataclass
class Site:
    port: int
    kit: Kit
    records: Records  # KI A's committed records, one of each workspace model
    no_role_email: str  # an account of KI A without a role (sees the 403 page)
    invite_kwargs: dict[str, str]  # uidb64/token of a set-password link of that account
    log: Path  # the server's output: tracebacks of failing pages
    cookies: dict[tuple[str, str], list[Any]] = field(default_factory=dict)  # signed in

    def url(self, host: str, path: str = "/") -> str:
        return f"http://{host}:{self.port}{path}"

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])


def _database_url() -> str:
    s = connection.settings_dict
    host = s.get("HOST") or "127.0.0.1"
    port = s.get("PORT") or 5432
    if host.startswith("/"):
        return f"postgres://{s['USER']}@/{s['NAME']}?host={host}&port={port}"
    return f"postgres://{s['USER']}@{host}:{port}/{s['NAME']}"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_until_up(proc: subprocess.Popen[bytes], port: int, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"kinrw serve stopped:\n{log.read_text(errors='replace')}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"kinrw serve did not answer within 60 s:\n{log.read_text(errors='replace')}")


CLOSED_YEAR = 2023  # a year the browser fixtures close, so its revisions page exists


def _session_keys() -> set[str]:
    return set(DjangoSession.objects.values_list("session_key", flat=True))


def _committed_data(kit: Kit) -> tuple[Records, User, dict[str, str]]:
    with in_tenant(kit.a.tenant), transaction.atomic():
        records = records_create(marker=MARKER, amount=Decimal("24680.13"))
        user = User.objects.create_user(
            "ohne-rolle@koeln.example", PASSWORD, full_name="Konto ohne Rolle"
        )
        link = set_password_link(user=user, host=kit.a.host)
    uidb64, token = link.rstrip("/").split("/")[-2:]
    return records, user, {"uidb64": uidb64, "token": token}


@pytest.fixture(scope="package")
def site(
    django_db_setup: Kit, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Site]:
    kit = django_db_setup
    tmp = tmp_path_factory.mktemp("kinrw-serve")
    port = _free_port()
    with django_db_blocker.unblock():
        use_public_schema()
        with in_tenant(kit.a.tenant):
            sessions = {"a": _session_keys()}
        sessions["land"] = _session_keys()
        try:
            records, user, invite = _committed_data(kit)
            closed = period_close(actor=None, year=CLOSED_YEAR)  # for the revisions page
        except Exception as exc:  # e.g. the records of an interrupted run are still there
            pytest.fail(f"cannot commit the pages' records ({exc}); with --reuse-db: --create-db")
        env = dict(os.environ)
        env.update(
            DATABASE_URL=_database_url(),
            DJANGO_DEBUG="0",
            KINRW_HTTPS="0",
            KINRW_TENANT_LISTENER="0",
            KINRW_STATIC_ROOT=str(tmp / "static"),
            KINRW_URL_PORT=str(port),
            DJANGO_SECRET_KEY=settings.SECRET_KEY,  # set-password tokens made here must hold
        )
    log = tmp / "serve.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "kinrw", "serve", "--port", str(port), "--workers", "1"],
            cwd=REPO,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_until_up(proc, port, log)
        yield Site(port, kit, records, user.email, invite, log)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        with django_db_blocker.unblock():
            with in_tenant(kit.a.tenant):
                DjangoSession.objects.exclude(session_key__in=sessions["a"]).delete()
                records_delete(records)
                User.objects.filter(pk=user.pk).delete()
            use_public_schema()
            DjangoSession.objects.exclude(session_key__in=sessions["land"]).delete()
            closed.delete()


@pytest.fixture(scope="package")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.fail(CHROMIUM_MISSING)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an asyncio loop running on this thread; Django would take
    # every ORM call of a fixture for async code. The calls stay synchronous, so allow them
    # while the browser runs.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(site: Site, browser: Any) -> Iterator[Any]:
    """A fresh browser tab without cookies (the server is up before the browser starts)."""
    context = browser.new_context(locale="de-DE")
    context.set_default_timeout(15_000)
    tab = context.new_page()
    yield tab
    context.close()


def login(page: Any, site: Site, host: str, email: str) -> None:
    """Sign in through the real login form, as a person would (once per account and host;
    later tabs reuse the session cookie)."""
    if (host, email) in site.cookies:
        page.context.add_cookies(site.cookies[host, email])
        return
    page.goto(site.url(host, "/konto/anmelden/"))
    page.get_by_label("E-Mail-Adresse").fill(email)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_load_state()
    assert "/konto/anmelden/" not in page.url, f"login as {email} on {host} failed"
    site.cookies[host, email] = page.context.cookies()
