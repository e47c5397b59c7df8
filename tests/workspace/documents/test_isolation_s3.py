"""Two KIs on one bucket: KI A's accounts reach none of KI B's files, by any id or key."""

from __future__ import annotations

import pytest
from django.test import Client

from kinrw.tenancy.context import in_public, in_tenant
from kinrw.workspace.documents.storage import DocumentStorageError, for_current_tenant
from kinrw.workspace.models import Document
from tests.kit import PASSWORD, Kit
from tests.s3server import S3Server
from tests.workspace.documents.conftest import PDF, measure_of, upload
from tests.workspace.urlwalk import restart_sequences

pytestmark = pytest.mark.django_db

THEIRS = b"%PDF-1.4\n% Bonn intern\n"


def test_a_reaches_no_file_of_b_by_id(kit: Kit, s3: S3Server) -> None:
    with in_tenant(kit.b.tenant):
        restart_sequences(kit.b.tenant.schema_name, 5_000_000, ["workspace"])
    theirs = upload(kit.b, measure_of(kit.b), data=THEIRS, name="Bonn.pdf")
    mine = upload(kit.a, measure_of(kit.a))
    with in_tenant(kit.a.tenant):
        assert not Document.objects.filter(pk=theirs.pk).exists()
    client = kit.a.client()
    for path in (f"/dokumente/{theirs.pk}/", f"/dokumente/{theirs.pk}/loeschen/"):
        assert client.get(path).status_code == 404
        assert client.post(path).status_code in (404, 405)
    assert client.get(f"/dokumente/{mine.pk}/").status_code == 302
    body = s3.client().get_object(Bucket=s3.bucket, Key=theirs.storage_key)["Body"].read()
    assert body == THEIRS  # still there, untouched


def test_same_id_in_both_kis_gives_each_its_own_file(kit: Kit, s3: S3Server) -> None:
    theirs = upload(kit.b, measure_of(kit.b), data=THEIRS, name="Bonn.pdf")
    with in_tenant(kit.a.tenant):
        restart_sequences(kit.a.tenant.schema_name, theirs.pk, ["workspace"])
    mine = upload(kit.a, measure_of(kit.a))
    assert mine.pk == theirs.pk
    location = kit.a.client().get(f"/dokumente/{mine.pk}/")["Location"]
    assert f"/ki/{kit.a.tenant.pk}/" in location and f"/ki/{kit.b.tenant.pk}/" not in location


def test_a_row_with_the_key_of_b_is_refused(kit: Kit, s3: S3Server) -> None:
    """Defence in depth: even a tampered row in A's schema cannot lead to B's object."""
    theirs = upload(kit.b, measure_of(kit.b), data=THEIRS, name="Bonn.pdf")
    measure = measure_of(kit.a)
    with in_tenant(kit.a.tenant):
        forged = Document.objects.create(
            measure=measure,
            original_name="Bonn.pdf",
            size=len(THEIRS),
            content_type="application/pdf",
            sha256="0" * 64,
            storage_key=theirs.storage_key,
        )
        with pytest.raises(DocumentStorageError):
            for_current_tenant().download_url(
                theirs.storage_key, filename="Bonn.pdf", content_type="application/pdf"
            )
    client = kit.a.client()
    answer = client.get(f"/dokumente/{forged.pk}/")
    assert answer.status_code == 404 and "Location" not in answer
    client.post(f"/dokumente/{forged.pk}/loeschen/")
    body = s3.client().get_object(Bucket=s3.bucket, Key=theirs.storage_key)["Body"].read()
    assert body == THEIRS


def test_the_land_host_serves_no_document(kit: Kit, s3: S3Server) -> None:
    document = upload(kit.a, measure_of(kit.a))
    client = Client(HTTP_HOST=kit.land_host)
    with in_public():
        assert client.login(username=kit.land_email, password=PASSWORD)
    for path in (
        f"/dokumente/{document.pk}/",
        f"/dokumente/{document.pk}/loeschen/",
        f"/massnahmen/{document.measure_id}/dokumente/neu/",
    ):
        assert client.get(path).status_code == 404
        assert client.post(path, {"file": PDF}).status_code in (403, 404)
    with in_public(), pytest.raises(DocumentStorageError):
        for_current_tenant()
