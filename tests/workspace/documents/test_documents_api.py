"""``/api/v1/documents/``: upload (multipart), list, download by presigned URL, delete; roles
per owner's area; another KI's documents and owners are unknown."""

from __future__ import annotations

import datetime as dt
import urllib.request

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kinrw.tenancy.context import in_tenant
from kinrw.workspace.models import Document, Role
from kinrw.workspace.services import gremium_create, meeting_create
from tests.kit import Kit
from tests.s3server import S3Server
from tests.workspace.documents.conftest import PDF, measure_of, role_client, upload

pytestmark = pytest.mark.django_db


def _file(data: bytes = PDF, name: str = "Bericht.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def test_upload_list_download_delete(
    kit: Kit, s3: S3Server, django_capture_on_commit_callbacks
) -> None:
    measure = measure_of(kit.a)
    client = kit.a.client()
    made = client.post("/api/v1/documents/", {"measure": measure.pk, "file": _file()})
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["measure"] == measure.pk and body["original_name"] == "Bericht.pdf"
    assert body["size"] == len(PDF) and body["content_type"] == "application/pdf"
    listed = client.get("/api/v1/documents/", {"measure": measure.pk}).json()
    assert [d["id"] for d in listed["results"]] == [body["id"]]
    download = client.get(body["download"])
    assert download.status_code == 302 and download["Location"].startswith(s3.endpoint)
    with urllib.request.urlopen(download["Location"], timeout=10) as got:  # noqa: S310
        assert got.read() == PDF
    with django_capture_on_commit_callbacks(execute=True):
        assert client.delete(f"/api/v1/documents/{body['id']}/").status_code == 204
    with in_tenant(kit.a.tenant):
        assert not Document.objects.exists()
    key_prefix = f"ki/{kit.a.tenant.pk}/"
    listed = s3.client().list_objects_v2(Bucket=s3.bucket, Prefix=key_prefix)
    assert all(not o["Key"].endswith("/bericht.pdf") for o in listed.get("Contents", []))


def test_refusals_are_400_in_german(kit: Kit, s3: S3Server) -> None:
    measure = measure_of(kit.a)
    client = kit.a.client()
    exe = client.post("/api/v1/documents/", {"measure": measure.pk, "file": _file(b"MZ", "a.exe")})
    assert exe.status_code == 400
    assert "können nicht hochgeladen werden" in exe.json()["file"][0]
    none = client.post("/api/v1/documents/", {"file": _file()})
    assert none.status_code == 400 and "genau eines" in str(none.json())
    with in_tenant(kit.a.tenant):
        assert not Document.objects.exists()


def test_roles_follow_the_owner(kit: Kit, s3: S3Server) -> None:
    measure = measure_of(kit.a)
    with in_tenant(kit.a.tenant):
        gremium = gremium_create(actor=None, name="AK Bildung", kind="arbeitskreis")
        meeting = meeting_create(actor=None, gremium=gremium, held_on=dt.date(2026, 5, 6))
    document = upload(kit.a, measure)
    lesend = role_client(kit.a, Role.LESEND)
    assert lesend.get("/api/v1/documents/").json()["count"] == 1
    assert lesend.get(f"/api/v1/documents/{document.pk}/download/").status_code == 302
    refused = lesend.post("/api/v1/documents/", {"measure": measure.pk, "file": _file()})
    assert refused.status_code == 403
    assert lesend.delete(f"/api/v1/documents/{document.pk}/").status_code == 403
    verwaltung = role_client(kit.a, Role.VERWALTUNG)
    refused = verwaltung.post("/api/v1/documents/", {"measure": measure.pk, "file": _file()})
    assert refused.status_code == 403
    assert verwaltung.delete(f"/api/v1/documents/{document.pk}/").status_code == 403
    made = verwaltung.post("/api/v1/documents/", {"meeting": meeting.pk, "file": _file()})
    assert made.status_code == 201 and made.json()["meeting"] == meeting.pk


def test_another_kis_documents_and_owners_are_unknown(kit: Kit, s3: S3Server) -> None:
    theirs = upload(kit.b, measure_of(kit.b), name="Bonn.pdf")
    with in_tenant(kit.a.tenant):
        assert not Document.objects.filter(pk=theirs.pk).exists()
    client = kit.a.client()
    assert client.get("/api/v1/documents/").json()["count"] == 0
    for path in (f"/api/v1/documents/{theirs.pk}/", f"/api/v1/documents/{theirs.pk}/download/"):
        assert client.get(path).status_code == 404
    assert client.delete(f"/api/v1/documents/{theirs.pk}/").status_code == 404
    foreign_owner = client.post(
        "/api/v1/documents/", {"measure": theirs.measure_id, "file": _file()}
    )
    assert foreign_owner.status_code == 400
    with in_tenant(kit.b.tenant):
        assert Document.objects.filter(pk=theirs.pk).exists()
