"""An export bundle of one KI: where it lives (a local folder or ``s3://``) and its manifest.

A bundle is a folder ``<slug>-<UTC timestamp>/`` with

* ``schema.sql``: the KI schema as schema-qualified SQL (``template.dump_schema``),
* ``files/<document id>``: the bytes of every document of the KI,
* ``manifest.json``: format, KI, migration state, row counts, sha256 and size of every
  other file of the bundle,
* ``manifest.sha256``: the sha256 of ``manifest.json`` (detects a changed manifest).

Checksums detect damage and accidental edits, not a forger: whoever can write the
bundle can rewrite both (ADR 0016).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from django.conf import settings

FORMAT = 1
MANIFEST = "manifest.json"
MANIFEST_SUM = "manifest.sha256"
SCHEMA_SQL = "schema.sql"


class BundleError(Exception):
    """The bundle cannot be used; one German line for the operator (nothing was changed)."""


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class Location(Protocol):
    def write(self, name: str, data: bytes) -> None: ...

    def read(self, name: str) -> bytes: ...

    def describe(self) -> str: ...


@dataclass(frozen=True)
class LocalLocation:
    root: Path

    def write(self, name: str, data: bytes) -> None:
        path = self.root / name
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        try:
            handle = path.open("xb")  # a bundle is written once, never over another
        except FileExistsError:
            raise BundleError(f"Datei gibt es schon, nicht überschrieben: {path}") from None
        with handle:
            handle.write(data)
        path.chmod(0o600)

    def read(self, name: str) -> bytes:
        try:
            return (self.root / name).read_bytes()
        except FileNotFoundError:
            raise BundleError(f"Datei fehlt im Export: {name}") from None

    def describe(self) -> str:
        return str(self.root)


@dataclass(frozen=True)
class S3Location:
    bucket: str
    prefix: str  # without a trailing slash; may be empty

    def _key(self, name: str) -> str:
        return f"{self.prefix}/{name}" if self.prefix else name

    def write(self, name: str, data: bytes) -> None:
        from botocore.exceptions import ClientError

        try:
            s3_client().put_object(
                Bucket=self.bucket, Key=self._key(name), Body=data, IfNoneMatch="*"
            )
        except ClientError as err:
            status = err.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
            if status in (409, 412):
                raise BundleError(f"Objekt gibt es schon, nicht überschrieben: {name}") from err
            raise

    def read(self, name: str) -> bytes:
        from botocore.exceptions import ClientError

        try:
            answer = s3_client().get_object(Bucket=self.bucket, Key=self._key(name))
        except ClientError as err:
            code = err.response.get("Error", {}).get("Code", "")
            if code in ("NoSuchKey", "404", "NotFound"):
                raise BundleError(f"Datei fehlt im Export: {name}") from None
            raise
        return bytes(answer["Body"].read())

    def describe(self) -> str:
        return f"s3://{self.bucket}/{self.prefix}" if self.prefix else f"s3://{self.bucket}"


def s3_client() -> Any:
    """A boto3 client with the same ``AWS_*`` settings as the document storage."""
    import boto3
    from botocore.config import Config

    return boto3.client(
        "s3",
        endpoint_url=settings.AWS_S3_ENDPOINT_URL or None,
        region_name=settings.AWS_S3_REGION_NAME or None,
        aws_access_key_id=getattr(settings, "AWS_ACCESS_KEY_ID", None) or None,
        aws_secret_access_key=getattr(settings, "AWS_SECRET_ACCESS_KEY", None) or None,
        config=Config(
            signature_version=settings.AWS_S3_SIGNATURE_VERSION or "s3v4",
            s3={"addressing_style": settings.AWS_S3_ADDRESSING_STYLE or "auto"},
        ),
    )


def location(target: str) -> Location:
    """``s3://BUCKET/PREFIX`` or a local path."""
    if target.startswith("s3://"):
        bucket, _, prefix = target[len("s3://") :].partition("/")
        if not bucket:
            raise BundleError(f"Ungültiges Ziel „{target}“: s3://BUCKET/PRÄFIX erwartet.")
        return S3Location(bucket=bucket, prefix=prefix.strip("/"))
    return LocalLocation(Path(target))


def child(parent: Location, name: str) -> Location:
    """The bundle folder ``name`` inside ``parent``."""
    if isinstance(parent, S3Location):
        prefix = f"{parent.prefix}/{name}" if parent.prefix else name
        return S3Location(bucket=parent.bucket, prefix=prefix)
    assert isinstance(parent, LocalLocation)
    return LocalLocation(parent.root / name)


def write_manifest(where: Location, manifest: dict[str, Any]) -> None:
    data = (json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode()
    where.write(MANIFEST, data)
    where.write(MANIFEST_SUM, f"{sha256(data)}  {MANIFEST}\n".encode())


def read_manifest(where: Location) -> dict[str, Any]:
    """The manifest, after checking it against ``manifest.sha256`` and its format."""
    data = where.read(MANIFEST)
    expected = where.read(MANIFEST_SUM).decode(errors="replace").split()[:1]
    if expected != [sha256(data)]:
        raise BundleError(f"Prüfsumme stimmt nicht: {MANIFEST} wurde verändert oder beschädigt.")
    try:
        manifest: dict[str, Any] = json.loads(data)
    except ValueError:
        raise BundleError(f"{MANIFEST} ist kein gültiges JSON.") from None
    if manifest.get("format") != FORMAT:
        raise BundleError(
            f"Unbekanntes Exportformat {manifest.get('format')!r} (erwartet {FORMAT})."
        )
    return manifest


def read_checked(where: Location, name: str, entry: dict[str, Any]) -> bytes:
    """The bytes of ``name`` if size and sha256 match the manifest ``entry``."""
    data = where.read(name)
    if len(data) != entry["size"] or sha256(data) != entry["sha256"]:
        raise BundleError(f"Prüfsumme stimmt nicht: {name} wurde verändert oder beschädigt.")
    return data
