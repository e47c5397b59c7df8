"""Document tests: the real S3 server (SeaweedFS) and helpers to make and upload files."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Iterator

import pytest
from django.core.files.base import ContentFile
from django.test import Client, override_settings

from kinrw.accounts.models import User
from kinrw.catalogue.models import Programme
from kinrw.tenancy.context import in_tenant
from kinrw.workspace.models import Document, Measure, Membership, Role
from kinrw.workspace.services import document_upload, measure_create
from tests.kit import PASSWORD, KitTenant
from tests.s3server import S3Server, s3_server  # noqa: F401 (the session fixture)

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture
def s3(s3_server: S3Server) -> Iterator[S3Server]:  # noqa: F811
    """The document storage on the S3 server, encryption required."""
    with override_settings(**s3_server.settings(KINRW_S3_SSE="required")):
        yield s3_server


def docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def measure_of(kt: KitTenant, title: str = "Sprachcafé") -> Measure:
    with in_tenant(kt.tenant):
        return measure_create(
            actor=None,
            title=title,
            programme=Programme.objects.get(code="griffbereit"),
            starts_on=dt.date(2026, 1, 1),
        )


def upload(
    kt: KitTenant, owner: object, data: bytes = PDF, name: str = "Protokoll März.pdf"
) -> Document:
    with in_tenant(kt.tenant):
        return document_upload(actor=None, owner=owner, file=ContentFile(data, name=name))  # type: ignore[arg-type]


def role_client(kt: KitTenant, role: Role) -> Client:
    email = f"dok-{role}@{kt.tenant.slug}.example"
    with in_tenant(kt.tenant):
        user = User.objects.filter(email=email).first() or User.objects.create_user(
            email, PASSWORD, full_name=f"Konto {role}"
        )
        Membership.objects.update_or_create(user=user, defaults={"role": role})
        client = Client(HTTP_HOST=kt.host)
        assert client.login(username=email, password=PASSWORD)
    return client
