"""The State API's OpenAPI schema: committed (docs/api/openapi-state.yaml), served, documented."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command
from django.test import Client
from drf_spectacular.validation import validate_schema

from tests.kit import Kit

REFERENCE = Path(__file__).resolve().parents[2] / "docs" / "api" / "openapi-state.yaml"
REGENERATE = (
    "kinrw django spectacular --urlconf kinrw.conf.urls_public "
    "--custom-settings kinrw.state.api.schema.SETTINGS --lang de --validate "
    "--fail-on-warn --file docs/api/openapi-state.yaml"
)
PATHS = {f"/api/v1/state/{name}/" for name in ("programmes", "kis", "figures", "trend")}


def test_the_committed_reference_is_the_generated_schema(tmp_path: Path) -> None:
    generated = tmp_path / "openapi-state.yaml"
    call_command(
        "spectacular",
        urlconf="kinrw.conf.urls_public",
        custom_settings="kinrw.state.api.schema.SETTINGS",
        lang="de",
        validate=True,
        fail_on_warn=True,
        file=str(generated),
    )
    assert generated.read_text(encoding="utf-8") == REFERENCE.read_text(encoding="utf-8"), (
        f"docs/api/openapi-state.yaml is out of date; regenerate it with: {REGENERATE}"
    )
    schema = yaml.safe_load(REFERENCE.read_text(encoding="utf-8"))
    assert set(schema["paths"]) == PATHS  # read only, nothing of a KI's workspace API
    assert all(set(operations) == {"get"} for operations in schema["paths"].values())
    assert set(schema["components"]["securitySchemes"]) == {"cookieAuth"}


@pytest.mark.django_db
def test_the_schema_is_served_on_the_land_host_only(kit: Kit) -> None:
    response = Client(HTTP_HOST=kit.land_host).get("/api/v1/state/schema/", {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    assert schema["info"]["title"] == "KI-Plattform NRW – Schnittstelle der Landesebene"
    assert set(schema["paths"]) == PATHS
    validate_schema(schema)
    assert Client(HTTP_HOST=kit.a.host).get("/api/v1/state/schema/").status_code == 404


@pytest.mark.django_db
def test_the_docs_page_uses_our_static_files_and_the_state_schema(kit: Kit) -> None:
    client = Client(HTTP_HOST=kit.land_host)
    response = client.get("/api/v1/state/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assets = re.findall(r'(?:href|src)="([^"]+)"', html)
    assert not [a for a in assets if "//" in a], "no CDN, no other host"
    assert "<style" not in html and "style=" not in html
    (start,) = [a for a in assets if "script" in a and not a.startswith("/static/")]
    script = client.get(start.replace("&amp;", "&"))
    assert script.status_code == 200
    assert "/api/v1/state/schema/" in script.content.decode()
