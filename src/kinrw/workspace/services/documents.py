"""Documents of the current KI: upload (checked, stored, audited) and delete.

The object is written before the row: a process that dies in between leaves at most an
object without a row (found by its prefix), never a row without its file. Deleting removes
the row first and the object after the commit.
"""

from __future__ import annotations

import hashlib
import logging

from django.conf import settings
from django.core.files import File
from django.db import models, transaction
from django.utils.translation import gettext as _g

from kinrw.accounts.models import User
from kinrw.workspace.documents import filetypes
from kinrw.workspace.documents.selectors import owner_field
from kinrw.workspace.documents.storage import for_current_tenant
from kinrw.workspace.models import CooperationAgreement, Document, Measure
from kinrw.workspace.services.common import create_audited, delete_audited
from kinrw.workspace.services.errors import WorkspaceError

logger = logging.getLogger(__name__)

AUDITED = ["original_name", "size", "content_type", "sha256", "storage_key"]


def _check_owner(owner: models.Model) -> None:
    gone = (isinstance(owner, Measure) and owner.is_deleted) or (
        isinstance(owner, CooperationAgreement) and owner.organisation.is_deleted
    )
    if gone:
        raise WorkspaceError(_g("Dieser Eintrag ist gelöscht; es kann nichts angehängt werden."))


def document_upload(*, actor: User | None, owner: models.Model, file: File) -> Document:
    """Check size and type, store the file under the KI's prefix, record it (audited)."""
    field = owner_field(owner)  # KeyError: no owner kind we know
    _check_owner(owner)
    base = (file.name or "").rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    name = "".join(ch for ch in base if ch.isprintable()).strip()[:255] or "datei"
    filetypes.check_size(name, int(file.size or 0), settings.KINRW_DOCUMENT_MAX_BYTES)
    file.seek(0)
    data = file.read()
    filetypes.check_size(name, len(data), settings.KINRW_DOCUMENT_MAX_BYTES)
    content_type = filetypes.content_type_of(name, data)
    files = for_current_tenant()
    key = files.save(files.new_key(name), data, content_type=content_type, filename=name)
    try:
        with transaction.atomic():
            return create_audited(  # type: ignore[no-any-return]
                Document,
                actor=actor,
                **{field: owner},
                original_name=name,
                size=len(data),
                content_type=content_type,
                sha256=hashlib.sha256(data).hexdigest(),
                storage_key=key,
                uploaded_by=actor,
            )
    except Exception:
        files.delete(key)
        raise


def document_delete(*, actor: User | None, document: Document) -> None:
    """Remove the row (audited) and, once that is committed, the object."""
    files = for_current_tenant()
    key = files.check(document.storage_key)
    with transaction.atomic():
        delete_audited(actor=actor, obj=document, fields=[owner_field(document.owner), *AUDITED])

        def remove() -> None:
            try:
                files.delete(key)
            except Exception:  # the row is gone already: log, an orphan object stays
                logger.exception("document object %s could not be deleted", key)

        transaction.on_commit(remove)
