"""Security headers and cookies of every page (issue 5 part 4, ADR 0013)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client

from tests.kit import PASSWORD, Kit

TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "kinrw" / "templates"


@pytest.mark.django_db
@pytest.mark.parametrize("where", ["ki", "land"])
def test_pages_carry_hsts_csp_frame_and_referrer_policies(kit: Kit, where: str) -> None:
    host = kit.a.host if where == "ki" else kit.land_host
    response = Client(HTTP_HOST=host).get("/konto/anmelden/", secure=True)
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    csp = dict(
        (part.split()[0], part.split()[1:])
        for part in response["Content-Security-Policy"].split("; ")
    )
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'"] and csp["style-src"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'none'"] and csp["object-src"] == ["'none'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.django_db
def test_session_and_csrf_cookies_are_secure_and_host_only(kit: Kit) -> None:
    client = Client(HTTP_HOST=kit.a.host)
    client.get("/konto/anmelden/", secure=True)
    response = client.post(
        "/konto/anmelden/", {"username": kit.a.admin_email, "password": PASSWORD}, secure=True
    )
    assert response.status_code == 302
    session, csrf = response.cookies["kinrw_session"], client.cookies["kinrw_csrftoken"]
    assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"
    assert csrf["secure"]
    assert session["domain"] == "" and csrf["domain"] == ""  # host-only: never another KI


# Markup the Content-Security-Policy would block: inline scripts, handlers, styles.
_INLINE = re.compile(
    r"<script(?![^>]*\bsrc=)[^>]*>|\son[a-z]+\s*=|\sstyle\s*=|<style[\s>]|javascript:",
    re.IGNORECASE,
)


def test_no_template_has_inline_scripts_handlers_or_styles() -> None:
    found = [
        f"{path.relative_to(TEMPLATES)}: {match.group(0)!r}"
        for path in sorted(TEMPLATES.rglob("*.html"))
        for match in _INLINE.finditer(path.read_text("utf-8"))
    ]
    assert not found, "the CSP blocks these; move them into static files:\n" + "\n".join(found)


@pytest.mark.parametrize(
    "markup", ["<script>x()</script>", '<a onclick="x()">', '<p style="color:red">', "<style>"]
)
def test_the_template_scan_sees_inline_code(markup: str) -> None:
    assert _INLINE.search(markup)


def test_the_template_scan_allows_script_files() -> None:
    assert not _INLINE.search('<script src="/static/x.js"></script>')
