"""The document storage on a real S3 server (SeaweedFS): prefixes, no overwrite, encryption,
presigned URLs, a private bucket, and the fallback when the server offers no encryption."""

from __future__ import annotations

import urllib.error
import urllib.request

import pytest
from botocore.exceptions import ClientError
from django.test import override_settings

from kinrw.tenancy.context import in_public, in_tenant
from kinrw.workspace.documents.storage import (
    DocumentS3Storage,
    DocumentStorageError,
    for_current_tenant,
    tenant_prefix,
)
from tests.kit import Kit
from tests.s3server import S3Server, start
from tests.workspace.documents.conftest import PDF, measure_of, upload

pytestmark = pytest.mark.django_db


def _get(url: str) -> tuple[int, bytes, dict[str, str]]:
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:  # noqa: S310 (loopback test server)
            return answer.status, answer.read(), dict(answer.headers)
    except urllib.error.HTTPError as err:
        return err.code, err.read(), dict(err.headers)


def test_object_lands_under_the_tenant_id_encrypted(kit: Kit, s3: S3Server) -> None:
    document = upload(kit.a, measure_of(kit.a))
    prefix = f"ki/{kit.a.tenant.pk}/"
    assert document.storage_key.startswith(prefix)
    assert kit.a.tenant.slug not in document.storage_key  # the stable id, not the slug
    assert document.storage_key.endswith("/protokoll-marz.pdf")
    head = s3.client().head_object(Bucket=s3.bucket, Key=document.storage_key)
    assert head["ServerSideEncryption"] == "AES256"
    assert head["ContentType"] == "application/pdf"
    assert "filename*=UTF-8''Protokoll%20M%C3%A4rz.pdf" in head["ContentDisposition"]
    body = s3.client().get_object(Bucket=s3.bucket, Key=document.storage_key)["Body"].read()
    assert body == PDF


def test_the_bucket_is_not_readable_without_a_signature(kit: Kit, s3: S3Server) -> None:
    document = upload(kit.a, measure_of(kit.a))
    status, body, _ = _get(f"{s3.endpoint}/{s3.bucket}/{document.storage_key}")
    assert status == 403 and PDF not in body


def test_presigned_url_is_short_lived_and_gives_the_file(kit: Kit, s3: S3Server) -> None:
    document = upload(kit.a, measure_of(kit.a))
    with in_tenant(kit.a.tenant), override_settings(KINRW_DOCUMENT_URL_SECONDS=45):
        url = for_current_tenant().download_url(
            document.storage_key, filename="Protokoll März.pdf", content_type="application/pdf"
        )
    assert "X-Amz-Expires=45" in url
    status, body, headers = _get(url)
    assert status == 200 and body == PDF
    assert headers["Content-Type"] == "application/pdf"
    tampered = url.replace(document.storage_key.rsplit("/", 1)[-1], "andere.pdf")
    assert _get(tampered)[0] == 403  # the signature covers the key


def test_presigned_urls_for_a_public_endpoint(kit: Kit, s3: S3Server) -> None:
    """Browsers may reach the server under another name than the web processes do."""
    document = upload(kit.a, measure_of(kit.a))
    public = s3.endpoint.replace("127.0.0.1", "localhost")
    with in_tenant(kit.a.tenant), override_settings(KINRW_S3_PUBLIC_ENDPOINT_URL=public):
        url = for_current_tenant().download_url(
            document.storage_key, filename="a.pdf", content_type="application/pdf"
        )
    assert url.startswith(f"{public}/")
    status, body, _ = _get(url)
    assert status == 200 and body == PDF


def test_existing_objects_are_never_overwritten(kit: Kit, s3: S3Server) -> None:
    document = upload(kit.a, measure_of(kit.a))
    with in_tenant(kit.a.tenant):
        files = for_current_tenant()
        with pytest.raises(DocumentStorageError, match="not overwritten"):
            files.save(document.storage_key, b"%PDF-other", content_type="a/b", filename="x.pdf")
        # also below the existence check: the conditional write itself refuses
        storage = files.storage
        assert isinstance(storage, DocumentS3Storage)
        with pytest.raises(DocumentStorageError, match="not overwritten"):
            storage._put(document.storage_key, b"%PDF-other", {}, sse=True)
    body = s3.client().get_object(Bucket=s3.bucket, Key=document.storage_key)["Body"].read()
    assert body == PDF


def test_storage_refuses_keys_of_another_ki_and_the_public_schema(kit: Kit, s3: S3Server) -> None:
    theirs = upload(kit.b, measure_of(kit.b))
    with in_tenant(kit.a.tenant):
        files = for_current_tenant()
        assert files.prefix == tenant_prefix(kit.a.tenant) != tenant_prefix(kit.b.tenant)
        key = theirs.storage_key
        sneaky = f"{files.prefix}../{kit.b.tenant.pk}/{key.split('/', 2)[2]}"
        for bad in (key, sneaky, f"/{key}", key.replace("/", "\\")):
            with pytest.raises(DocumentStorageError):
                files.open(bad)
            with pytest.raises(DocumentStorageError):
                files.exists(bad)
            with pytest.raises(DocumentStorageError):
                files.delete(bad)
            with pytest.raises(DocumentStorageError):
                files.download_url(bad, filename="x.pdf", content_type="application/pdf")
            with pytest.raises(DocumentStorageError):
                files.save(bad, PDF, content_type="application/pdf", filename="x.pdf")
    with in_public(), pytest.raises(DocumentStorageError, match="public"):
        for_current_tenant()
    assert s3.client().head_object(Bucket=s3.bucket, Key=theirs.storage_key)["ContentLength"]


@pytest.mark.slow
def test_encryption_when_offered_else_plain_or_refused(kit: Kit) -> None:
    """A server without SSE: "auto" stores plainly (once it knows), "required" refuses."""
    plain = start(sse=False)
    try:
        measure = measure_of(kit.a)
        with override_settings(**plain.settings(KINRW_S3_SSE="required")):
            with pytest.raises(ClientError):  # the server's refusal, not stored plainly
                upload(kit.a, measure)
            with in_tenant(kit.a.tenant):
                assert not plain.client().list_objects_v2(Bucket=plain.bucket).get("Contents")
        with override_settings(**plain.settings(KINRW_S3_SSE="auto")):
            document = upload(kit.a, measure)
        head = plain.client().head_object(Bucket=plain.bucket, Key=document.storage_key)
        assert "ServerSideEncryption" not in head
        assert DocumentS3Storage._sse_supported[f"{plain.endpoint}/{plain.bucket}"] is False
    finally:
        DocumentS3Storage._sse_supported.clear()
        plain.stop()
