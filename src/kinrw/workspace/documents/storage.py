"""Where a KI's documents live: S3 (django-storages) or local disk, always under its prefix.

Every key is ``ki/<tenant id>/<uuid4>/<safe name>``: the tenant's primary key is stable (a
slug could in principle be renamed) and the uuid makes keys unguessable and unique. Only
:func:`for_current_tenant` hands out access, bound to the KI whose schema is active: it
refuses the public schema, and every operation refuses a key outside that KI's prefix, so
a wrong key from anywhere (a bug, a tampered row) cannot reach another KI's file.

Objects are never overwritten: S3 writes are conditional (``If-None-Match: *``) after an
existence check; the local disk creates files exclusively. Server-side encryption:
``KINRW_S3_SSE=auto`` asks for AES256 and falls back to plain writes (with a warning, once
per process) when the server refuses it; ``required`` refuses to store unencrypted;
``off`` never asks (ADR 0012).
"""

from __future__ import annotations

import functools
import logging
import re
import unicodedata
import uuid
from typing import Any, ClassVar
from urllib.parse import quote

from botocore.exceptions import ClientError
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, Storage
from storages.backends.s3 import S3Storage
from storages.utils import clean_name

from kinrw.tenancy.context import current_tenant

logger = logging.getLogger(__name__)

SSE_MODES = ("auto", "required", "off")
SSE_ALGORITHM = "AES256"
_REFUSED_SSE = {"NotImplemented", "InvalidArgument", "InvalidRequest", "InternalError"}


class DocumentStorageError(Exception):
    """A storage operation that must not happen (public schema, foreign key, overwrite)."""


def tenant_prefix(tenant: Any) -> str:
    return f"ki/{int(tenant.pk)}/"


def safe_name(original: str) -> str:
    """The file name part of a key: ASCII letters, digits, dashes; the extension kept."""
    stem, dot, ext = original.rpartition(".")
    if not dot:
        stem, ext = original, ""
    ascii_stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    stem = re.sub(r"[^A-Za-z0-9]+", "-", ascii_stem).strip("-").lower()[:80] or "dokument"
    ext = re.sub(r"[^a-z0-9]", "", ext.lower())[:10]
    return f"{stem}.{ext}" if ext else stem


def new_key(tenant: Any, original: str) -> str:
    return f"{tenant_prefix(tenant)}{uuid.uuid4().hex}/{safe_name(original)}"


def content_disposition(filename: str) -> str:
    """``attachment`` with the original name (RFC 6266/5987), safe for any characters."""
    fallback = safe_name(filename)
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename)}"


class DocumentS3Storage(S3Storage):
    """django-storages' S3 backend with conditional, optionally encrypted writes."""

    # per endpoint and bucket: False once the server refused SSE ("auto" mode)
    _sse_supported: ClassVar[dict[str, bool]] = {}

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("file_overwrite", False)
        kwargs.setdefault("default_acl", None)  # the bucket stays private
        kwargs.setdefault("querystring_auth", True)
        super().__init__(**kwargs)

    def _get_write_parameters(self, name: str, content: Any = None) -> dict[str, Any]:
        params: dict[str, Any] = super()._get_write_parameters(name, content)
        disposition = getattr(content, "content_disposition", None)
        if disposition:
            params["ContentDisposition"] = disposition
        return params

    def _where(self) -> str:
        return f"{self.endpoint_url or 'aws'}/{self.bucket_name}"

    def _save(self, name: str, content: File) -> str:
        cleaned = clean_name(name)
        key = self._normalize_name(cleaned)
        params = self._get_write_parameters(key, content)
        content.seek(0)
        body = content.read()
        mode = settings.KINRW_S3_SSE
        wants_sse = mode == "required" or (
            mode == "auto" and self._sse_supported.get(self._where(), True)
        )
        try:
            self._put(key, body, params, sse=wants_sse)
        except ClientError as err:
            code = err.response.get("Error", {}).get("Code", "")
            if not (wants_sse and mode == "auto" and code in _REFUSED_SSE):
                raise
            self._put(key, body, params, sse=False)  # raises if plain writes fail too
            self._sse_supported[self._where()] = False
            logger.warning(
                "S3 server at %s refused server-side encryption (%s): documents are stored "
                "without it; set KINRW_S3_SSE=required to refuse instead",
                self._where(),
                code,
            )
        return cleaned

    def _put(self, key: str, body: bytes, params: dict[str, Any], *, sse: bool) -> None:
        extra = {**params}
        if sse:
            extra["ServerSideEncryption"] = SSE_ALGORITHM
        client = self.connection.meta.client
        try:
            answer = client.put_object(
                Bucket=self.bucket_name, Key=key, Body=body, IfNoneMatch="*", **extra
            )
        except ClientError as err:
            status = err.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
            code = err.response.get("Error", {}).get("Code", "")
            if status in (409, 412) or code in ("PreconditionFailed", "ConditionalRequestConflict"):
                raise DocumentStorageError(f"object exists, not overwritten: {key}") from err
            raise
        unencrypted = answer.get("ServerSideEncryption") != SSE_ALGORITHM
        if sse and settings.KINRW_S3_SSE == "required" and unencrypted:
            client.delete_object(Bucket=self.bucket_name, Key=key)
            raise DocumentStorageError("the S3 server stored the object unencrypted")


@functools.lru_cache(maxsize=8)
def _backend(config: tuple[tuple[str, Any], ...]) -> Storage:
    options = dict(config)
    public = options.pop("public_endpoint_url", None)
    if options["bucket_name"]:
        storage = DocumentS3Storage(**options)
        # presigned URLs for browsers that reach the server under another address
        # (signing needs no connection; the signature covers the public host)
        storage.signer = (
            DocumentS3Storage(**{**options, "endpoint_url": public}) if public else storage
        )
        return storage
    return FileSystemStorage(
        location=options["location"],
        base_url=None,
        file_permissions_mode=0o600,
        directory_permissions_mode=0o700,
    )


def backend() -> Storage:
    """The configured storage (cached per configuration: tests switch with override_settings)."""
    if settings.KINRW_S3_SSE not in SSE_MODES:
        raise ImproperlyConfigured(
            f"KINRW_S3_SSE muss einer von {', '.join(SSE_MODES)} sein, nicht "
            f"„{settings.KINRW_S3_SSE}“."
        )
    bucket = settings.AWS_STORAGE_BUCKET_NAME
    if not bucket:
        return _backend((("bucket_name", ""), ("location", str(settings.KINRW_DOCUMENTS_ROOT))))
    return _backend(
        (
            ("bucket_name", bucket),
            ("endpoint_url", settings.AWS_S3_ENDPOINT_URL),
            ("public_endpoint_url", settings.KINRW_S3_PUBLIC_ENDPOINT_URL),
            ("region_name", settings.AWS_S3_REGION_NAME),
            ("addressing_style", settings.AWS_S3_ADDRESSING_STYLE),
            ("signature_version", settings.AWS_S3_SIGNATURE_VERSION),
            ("access_key", getattr(settings, "AWS_ACCESS_KEY_ID", None)),
            ("secret_key", getattr(settings, "AWS_SECRET_ACCESS_KEY", None)),
            ("querystring_expire", settings.KINRW_DOCUMENT_URL_SECONDS),
        )
    )


class TenantDocuments:
    """The documents of one KI: every key checked against its prefix."""

    def __init__(self, tenant: Any, storage: Storage) -> None:
        self.tenant = tenant
        self.prefix = tenant_prefix(tenant)
        self.storage = storage

    @property
    def is_s3(self) -> bool:
        return isinstance(self.storage, S3Storage)

    def new_key(self, original: str) -> str:
        return new_key(self.tenant, original)

    def check(self, key: str) -> str:
        parts = key.split("/")
        if (
            not key.startswith(self.prefix)
            or any(part in ("", ".", "..") for part in parts)
            or "\\" in key
            or "\x00" in key
        ):
            raise DocumentStorageError(f"key outside the prefix of KI {self.tenant.pk}")
        return key

    def save(self, key: str, data: bytes, *, content_type: str, filename: str) -> str:
        """Store ``data`` under ``key`` (never over an existing object); the key stored."""
        self.check(key)
        if self.storage.exists(key):
            raise DocumentStorageError(f"object exists, not overwritten: {key}")
        content = ContentFile(data, name=key)
        content.content_type = content_type  # type: ignore[attr-defined]
        content.content_disposition = content_disposition(filename)  # type: ignore[attr-defined]
        stored = self.storage.save(key, content)
        if stored != key:  # the storage chose another name: never expected with uuid keys
            self.storage.delete(stored)
            raise DocumentStorageError(f"object exists, not overwritten: {key}")
        return stored

    def exists(self, key: str) -> bool:
        return self.storage.exists(self.check(key))

    def delete(self, key: str) -> None:
        self.storage.delete(self.check(key))

    def open(self, key: str) -> File:
        return self.storage.open(self.check(key), "rb")

    def download_url(self, key: str, *, filename: str, content_type: str) -> str:
        """A presigned GET URL, valid for KINRW_DOCUMENT_URL_SECONDS (S3 only)."""
        assert self.is_s3
        return self.storage.signer.url(  # type: ignore[attr-defined,no-any-return]
            self.check(key),
            parameters={
                "ResponseContentDisposition": content_disposition(filename),
                "ResponseContentType": content_type,
            },
            expire=settings.KINRW_DOCUMENT_URL_SECONDS,
        )


def for_current_tenant() -> TenantDocuments:
    """The documents of the KI whose schema is active; refused on the public schema."""
    tenant = current_tenant()
    if tenant is None:
        raise DocumentStorageError("documents exist only in a KI's schema, not in public")
    return TenantDocuments(tenant, backend())
