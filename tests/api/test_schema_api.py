"""The OpenAPI schema: valid, without warnings, committed (docs/api/openapi.yaml); the docs page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.test import Client
from drf_spectacular.validation import validate_schema

from tests.kit import Kit

REFERENCE = Path(__file__).resolve().parents[2] / "docs" / "api" / "openapi.yaml"
REGENERATE = (
    "kinrw django spectacular --urlconf kinrw.conf.urls_tenant --lang de --validate "
    "--fail-on-warn --file docs/api/openapi.yaml"
)


def test_the_committed_reference_is_the_generated_schema(tmp_path: Path) -> None:
    generated = tmp_path / "openapi.yaml"
    # fail_on_warn: every warning of the generator fails (e.g. a field it can not type)
    call_command(
        "spectacular",
        urlconf="kinrw.conf.urls_tenant",
        lang="de",
        validate=True,
        fail_on_warn=True,
        file=str(generated),
    )
    assert generated.read_text(encoding="utf-8") == REFERENCE.read_text(encoding="utf-8"), (
        f"docs/api/openapi.yaml is out of date; regenerate it with: {REGENERATE}"
    )


def test_the_reference_documents_every_resource() -> None:
    schema = yaml.safe_load(REFERENCE.read_text(encoding="utf-8"))
    paths = set(schema["paths"])
    for resource in (
        "enrolments",
        "measures",
        "sessions",
        "organisations",
        "contacts",
        "agreements",
        "gremien",
        "meetings",
    ):
        assert {f"/api/v1/{resource}/", f"/api/v1/{resource}/{{id}}/"} <= paths, resource
        operations = set(schema["paths"][f"/api/v1/{resource}/{{id}}/"])
        assert {"get", "put", "patch", "delete"} <= operations, resource
    for resource in ("memberships", "audit"):
        assert set(schema["paths"][f"/api/v1/{resource}/{{id}}/"]) <= {"get", "parameters"}
    assert {"/api/v1/programmes/", "/api/v1/gemeinden/"} <= paths
    assert set(schema["components"]["securitySchemes"]) == {"tokenAuth", "cookieAuth"}


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_the_schema_endpoint_serves_valid_openapi_3(kit: Kit, fmt: str) -> None:
    response = Client(HTTP_HOST=kit.a.host).get("/api/v1/schema/", {"format": fmt})
    assert response.status_code == 200
    schema = response.json() if fmt == "json" else yaml.safe_load(response.content)
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"].startswith("KI-Plattform NRW")
    validate_schema(schema)  # raises on an invalid document


@pytest.mark.django_db
def test_the_docs_page_loads_its_assets_from_our_static_files(kit: Kit) -> None:
    client = Client(HTTP_HOST=kit.a.host)
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="de">' in html
    assets = re.findall(r'(?:href|src)="([^"]+)"', html)
    static = [a for a in assets if a.startswith("/static/")]
    assert len(static) >= 4, assets  # stylesheet, icon, two scripts
    for url in static:
        assert finders.find(url.removeprefix("/static/")), f"missing static file {url}"
    assert not [a for a in assets if "//" in a], "no CDN, no other host"
    scripts = re.findall(r"<script([^>]*)>", html)
    assert scripts and all("src=" in s for s in scripts), "no inline scripts"
    assert "<style" not in html and "style=" not in html
    (start,) = [a for a in assets if "script" in a and not a.startswith("/static/")]
    script = client.get(start.replace("&amp;", "&"))
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert "/api/v1/schema/" in script.content.decode()
