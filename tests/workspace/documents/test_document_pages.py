"""Documents on the pages of measures, agreements and meetings: upload, download, delete,
limits, roles; on S3 (SeaweedFS) and on the local disk of the embedded default."""

from __future__ import annotations

import datetime as dt
import urllib.request

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.test import override_settings

from kinrw.tenancy.context import in_tenant
from kinrw.workspace.models import AuditEntry, Document, Role
from kinrw.workspace.services import (
    agreement_create,
    agreement_delete,
    gremium_create,
    measure_delete,
    meeting_create,
    meeting_delete,
    organisation_create,
)
from kinrw.workspace.services.errors import WorkspaceError
from tests.kit import Kit, KitTenant
from tests.s3server import S3Server
from tests.workspace.documents.conftest import PDF, docx, measure_of, role_client, upload

pytestmark = pytest.mark.django_db


def _file(data: bytes = PDF, name: str = "Protokoll März.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def _agreement_and_meeting(kt: KitTenant) -> tuple[object, object]:
    with in_tenant(kt.tenant):
        kita = organisation_create(actor=None, name="Kita Regenbogen", kind="kita")
        agreement = agreement_create(
            actor=None, organisation=kita, kind="kooperation", starts_on=dt.date(2026, 1, 1)
        )
        gremium = gremium_create(actor=None, name="Arbeitskreis Sprache", kind="arbeitskreis")
        meeting = meeting_create(actor=None, gremium=gremium, held_on=dt.date(2026, 2, 3))
    return agreement, meeting


def test_upload_on_the_measure_page_and_download_by_presigned_url(kit: Kit, s3: S3Server) -> None:
    measure = measure_of(kit.a)
    client = kit.a.client()
    page = client.get(f"/massnahmen/{measure.pk}/").content.decode()
    assert "Noch keine Dokumente" in page and f"/massnahmen/{measure.pk}/dokumente/neu/" in page
    answer = client.post(f"/massnahmen/{measure.pk}/dokumente/neu/", {"file": _file()})
    assert answer.status_code == 302 and answer["Location"].endswith("#dokumente")
    with in_tenant(kit.a.tenant):
        document = Document.objects.get(measure=measure)
        entry = AuditEntry.objects.get(object_type="workspace.document", object_id=document.pk)
    assert document.original_name == "Protokoll März.pdf" and document.size == len(PDF)
    assert entry.action == "create" and entry.actor_label.startswith("KI-Leitung")
    assert entry.changes["original_name"] == [None, "Protokoll März.pdf"]
    assert PDF.decode() not in str(entry.changes)  # names and checksums, never contents
    page = client.get(f"/massnahmen/{measure.pk}/").content.decode()
    assert "Protokoll März.pdf" in page and f"/dokumente/{document.pk}/" in page

    download = client.get(f"/dokumente/{document.pk}/")
    assert download.status_code == 302 and "no-store" in download["Cache-Control"]
    url = download["Location"]
    assert url.startswith(s3.endpoint) and "X-Amz-Signature=" in url and "X-Amz-Expires=60" in url
    with urllib.request.urlopen(url, timeout=10) as got:  # noqa: S310 (loopback test server)
        assert got.read() == PDF
        assert "attachment" in got.headers["Content-Disposition"]


def test_refused_uploads_say_why_and_store_nothing(kit: Kit, s3: S3Server) -> None:
    measure = measure_of(kit.a)
    client = kit.a.client()
    url = f"/massnahmen/{measure.pk}/dokumente/neu/"
    with override_settings(KINRW_DOCUMENT_MAX_BYTES=1024 * 1024):
        big = client.post(url, {"file": _file(PDF + b"0" * 1024 * 1024)}).content.decode()
    assert "erlaubt sind höchstens 1 MB" in big and 'aria-invalid="true"' in big
    wrong = client.post(url, {"file": _file(b"MZ\x90\x00", "rechnung.pdf")}).content.decode()
    assert "passt nicht zur Endung „.pdf“" in wrong
    exe = client.post(url, {"file": _file(b"MZ\x90\x00", "tool.exe")}).content.decode()
    assert "„.exe“ können nicht hochgeladen werden" in exe
    with in_tenant(kit.a.tenant):
        assert not Document.objects.exists()
    listed = s3.client().list_objects_v2(Bucket=s3.bucket, Prefix=f"ki/{kit.a.tenant.pk}/")
    assert all(not o["Key"].endswith("rechnung.pdf") for o in listed.get("Contents", []))


def test_delete_removes_row_and_object_and_is_audited(
    kit: Kit, s3: S3Server, django_capture_on_commit_callbacks
) -> None:
    measure = measure_of(kit.a)
    document = upload(kit.a, measure)
    client = kit.a.client()
    assert "Ja, löschen" in client.get(f"/dokumente/{document.pk}/loeschen/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(f"/dokumente/{document.pk}/loeschen/")
    assert answer.status_code == 302
    with in_tenant(kit.a.tenant):
        assert not Document.objects.filter(pk=document.pk).exists()
        entry = AuditEntry.objects.get(object_type="workspace.document", action="delete")
    assert entry.changes["storage_key"] == [document.storage_key, None]
    listed = s3.client().list_objects_v2(Bucket=s3.bucket, Prefix=document.storage_key)
    assert not listed.get("Contents")
    assert client.get(f"/dokumente/{document.pk}/").status_code == 404


def test_roles(kit: Kit, s3: S3Server) -> None:
    measure = measure_of(kit.a)
    _, meeting = _agreement_and_meeting(kit.a)
    document = upload(kit.a, measure)
    lesend = role_client(kit.a, Role.LESEND)
    assert lesend.get(f"/dokumente/{document.pk}/").status_code == 302  # may download
    page = lesend.get(f"/massnahmen/{measure.pk}/").content.decode()
    assert "Protokoll März.pdf" in page and "dokumente/neu/" not in page
    assert (
        lesend.post(f"/massnahmen/{measure.pk}/dokumente/neu/", {"file": _file()}).status_code
        == 403
    )
    assert lesend.post(f"/dokumente/{document.pk}/loeschen/").status_code == 403
    verwaltung = role_client(kit.a, Role.VERWALTUNG)
    assert (
        verwaltung.post(f"/massnahmen/{measure.pk}/dokumente/neu/", {"file": _file()}).status_code
        == 403
    )
    url = f"/gremien/{meeting.gremium_id}/sitzungen/{meeting.pk}/dokumente/neu/"
    assert verwaltung.post(url, {"file": _file(docx(), "Protokoll.docx")}).status_code == 302
    anonymous = kit.a.client(login=False)
    assert anonymous.get(f"/dokumente/{document.pk}/").status_code == 302  # to the login
    assert "/konto/" in anonymous.get(f"/dokumente/{document.pk}/")["Location"]
    with in_tenant(kit.a.tenant):
        assert Document.objects.filter(measure=measure).count() == 1
        assert Document.objects.filter(meeting=meeting).count() == 1


def test_agreement_and_meeting_pages_and_their_delete_rule(kit: Kit, s3: S3Server) -> None:
    agreement, meeting = _agreement_and_meeting(kit.a)
    client = kit.a.client()
    org = agreement.organisation_id
    assert (
        f"/partner/{org}/vereinbarungen/{agreement.pk}/"
        in client.get(f"/partner/{org}/").content.decode()
    )
    answer = client.post(
        f"/partner/{org}/vereinbarungen/{agreement.pk}/dokumente/neu/",
        {"file": _file(b"Vertrag;2026\n", "Vertrag.csv")},
    )
    assert answer["Location"] == f"/partner/{org}/vereinbarungen/{agreement.pk}/#dokumente"
    assert (
        "Vertrag.csv"
        in client.get(f"/partner/{org}/vereinbarungen/{agreement.pk}/").content.decode()
    )
    upload(kit.a, meeting, name="Einladung.pdf")
    detail = f"/gremien/{meeting.gremium_id}/sitzungen/{meeting.pk}/"
    assert "Einladung.pdf" in client.get(detail).content.decode()
    with in_tenant(kit.a.tenant):
        with pytest.raises(WorkspaceError, match="zuerst die Dokumente"):
            agreement_delete(actor=None, agreement=agreement)
        with pytest.raises(WorkspaceError, match="zuerst die Dokumente"):
            meeting_delete(actor=None, meeting=meeting)


def test_local_disk_is_the_default_and_streams_after_the_same_checks(kit: Kit, tmp_path) -> None:
    with override_settings(AWS_STORAGE_BUCKET_NAME="", KINRW_DOCUMENTS_ROOT=tmp_path):
        measure = measure_of(kit.a)
        client = kit.a.client()
        client.post(f"/massnahmen/{measure.pk}/dokumente/neu/", {"file": _file()})
        with in_tenant(kit.a.tenant):
            document = Document.objects.get(measure=measure)
        stored = tmp_path / document.storage_key
        assert stored.read_bytes() == PDF and oct(stored.stat().st_mode)[-3:] == "600"
        download = client.get(f"/dokumente/{document.pk}/")
        assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
        assert download["Content-Type"] == "application/pdf"
        assert "attachment" in download["Content-Disposition"]
        lesend = role_client(kit.a, Role.LESEND)
        assert lesend.get(f"/dokumente/{document.pk}/").status_code == 200
        assert kit.b.client().get(f"/dokumente/{document.pk}/").status_code == 404


def test_a_document_has_exactly_one_owner(kit: Kit) -> None:
    measure = measure_of(kit.a)
    _, meeting = _agreement_and_meeting(kit.a)
    fields = {"original_name": "a.pdf", "size": 1, "content_type": "application/pdf"}
    with in_tenant(kit.a.tenant):
        for owners in ({}, {"measure": measure, "meeting": meeting}):
            with pytest.raises(IntegrityError), transaction.atomic():
                Document.objects.create(**owners, **fields, sha256="0", storage_key=str(owners))


def test_the_stored_name_is_the_file_name_without_path_or_control_characters(
    kit: Kit, s3: S3Server
) -> None:
    document = upload(kit.a, measure_of(kit.a), name="C:\\Users\\x\\Pro\ttokoll\n.pdf")
    assert document.original_name == "Protokoll.pdf"
    assert document.storage_key.endswith("/protokoll.pdf")


def test_nothing_is_attached_to_a_deleted_measure(kit: Kit, s3: S3Server) -> None:
    measure = measure_of(kit.a)
    document = upload(kit.a, measure)
    with in_tenant(kit.a.tenant):
        measure_delete(actor=None, measure=measure)
    with pytest.raises(WorkspaceError, match="gelöscht"):
        upload(kit.a, measure)
    client = kit.a.client()
    assert client.get(f"/dokumente/{document.pk}/").status_code == 404
    assert client.post(f"/massnahmen/{measure.pk}/dokumente/neu/").status_code == 404
