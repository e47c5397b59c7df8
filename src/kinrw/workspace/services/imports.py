"""Import of sessions and their counts from a CSV or Excel file, in two steps.

``session_import_prepare`` reads and checks the file and keeps the result as a
draft (:class:`SessionImport`): nothing reaches the sessions. Its creator looks
at the preview and confirms: ``session_import_confirm`` writes every row in one
transaction through ``session_record`` (new sessions) or ``session_update``
(sessions the measure already has that day), each audited, or nothing at all.
Drafts are working copies, not workspace data: they are not audited, and are
removed after a day; the confirmation is audited.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _g

from kinrw.accounts.models import User
from kinrw.workspace.audit import audit_record
from kinrw.workspace.models import AuditAction, ImportStatus, Measure, Session, SessionImport
from kinrw.workspace.models.imports import draft_cutoff
from kinrw.workspace.services.errors import WorkspaceError
from kinrw.workspace.services.sessions import session_record, session_update


def _file_name(name: str) -> str:
    return (name.replace("\\", "/").rsplit("/", 1)[-1] or "Datei")[:255]


@transaction.atomic
def session_import_prepare(*, actor: User, file_name: str, data: bytes) -> SessionImport:
    """Read and check the file; a draft with the rows to import and the errors per row."""
    # imported here: the imports package uses this package's errors and session rules
    from kinrw.workspace.imports.read import read_table
    from kinrw.workspace.imports.validate import plan_import

    table = read_table(file_name=file_name, data=data)
    plan = plan_import(table)
    digest = hashlib.sha256(data).hexdigest()
    earlier = (
        SessionImport.objects.filter(sha256=digest, status=ImportStatus.IMPORTED)
        .order_by("-imported_at")
        .first()
    )
    if earlier is not None and earlier.imported_at is not None:
        when = timezone.localtime(earlier.imported_at)
        plan.warn(
            None,
            "",
            _g(
                "Diese Datei wurde schon am %(date)s um %(time)s Uhr importiert. Ein erneuter "
                "Import legt keine Termine doppelt an, er aktualisiert sie."
            )
            % {"date": f"{when:%d.%m.%Y}", "time": f"{when:%H:%M}"},
        )
    SessionImport.objects.filter(
        Q(status=ImportStatus.DRAFT) | Q(status=ImportStatus.DISCARDED),
        created_at__lt=draft_cutoff(),
    ).delete()
    return SessionImport.objects.create(
        created_by=actor,
        file_name=_file_name(file_name),
        sha256=digest,
        rows=plan.rows,
        errors=plan.errors,
        warnings=plan.warnings,
    )


@dataclass(frozen=True)
class ImportOutcome:
    created: int = 0
    updated: int = 0
    already_imported: bool = False


def _locked_draft(actor: User, session_import: SessionImport) -> SessionImport:
    locked = SessionImport.objects.select_for_update().get(pk=session_import.pk)
    if locked.created_by_id != actor.pk:
        raise WorkspaceError(_g("Nur wer die Datei hochgeladen hat, kann sie importieren."))
    if locked.status == ImportStatus.DISCARDED:
        raise WorkspaceError(_g("Dieser Import wurde verworfen. Bitte die Datei erneut hochladen."))
    if locked.status == ImportStatus.DRAFT and locked.created_at < draft_cutoff():
        raise WorkspaceError(
            _g(
                "Die Vorschau ist älter als einen Tag. Bitte die Datei erneut hochladen, damit "
                "sie mit dem aktuellen Stand geprüft wird."
            )
        )
    return locked


def _write(
    actor: User, row: dict[str, Any], measure: Measure | None, session: Session | None
) -> None:
    starts_at = dt.time.fromisoformat(row["starts_at"]) if row["starts_at"] else None
    if row["session_id"]:
        if session is None:
            raise WorkspaceError(_g("Den Termin gibt es nicht mehr."))
        changes = dict(row["fields"])
        if starts_at is not None:
            changes["starts_at"] = starts_at
        session_update(actor=actor, session=session, counts=row["counts"], **changes)
        return
    if measure is None:
        raise WorkspaceError(_g("Die Maßnahme gibt es nicht mehr."))
    session_record(
        actor=actor,
        measure=measure,
        date=dt.date.fromisoformat(row["date"]),
        starts_at=starts_at,
        counts=row["counts"] or None,
        **row["fields"],
    )


@transaction.atomic
def session_import_confirm(*, actor: User, session_import: SessionImport) -> ImportOutcome:
    """Import every row of the draft, or nothing; a second confirmation changes nothing."""
    locked = _locked_draft(actor, session_import)
    if locked.status == ImportStatus.IMPORTED:
        return ImportOutcome(already_imported=True)
    if locked.errors:
        raise WorkspaceError(
            _g(
                "Die Datei enthält noch Fehler. Bitte die Datei korrigieren und erneut "
                "hochladen; importiert wird nur eine Datei ohne Fehler."
            )
        )
    if not locked.rows:
        raise WorkspaceError(_g("Die Datei enthält keine Termine zum Importieren."))
    measures = Measure.objects.select_related("programme").in_bulk(
        {row["measure_id"] for row in locked.rows}
    )
    sessions = Session.objects.select_related("measure__programme").in_bulk(
        {row["session_id"] for row in locked.rows if row["session_id"]}
    )
    for row in locked.rows:
        try:
            _write(actor, row, measures.get(row["measure_id"]), sessions.get(row["session_id"]))
        except WorkspaceError as exc:
            raise WorkspaceError(
                _g(
                    "Zeile %(row)s: %(message)s Es wurde nichts importiert; bitte die Datei "
                    "korrigieren und erneut hochladen."
                )
                % {"row": row["row"], "message": exc.message}
            ) from exc
    updated = sum(1 for row in locked.rows if row["session_id"])
    outcome = ImportOutcome(created=len(locked.rows) - updated, updated=updated)
    locked.status = ImportStatus.IMPORTED
    locked.imported_at = timezone.now()
    locked.save(update_fields=["status", "imported_at"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=locked,
        changes={
            "status": [ImportStatus.DRAFT.value, ImportStatus.IMPORTED.value],
            "file_name": [None, locked.file_name],
            "sessions_created": [None, outcome.created],
            "sessions_updated": [None, outcome.updated],
        },
    )
    return outcome


@transaction.atomic
def session_import_discard(*, actor: User, session_import: SessionImport) -> None:
    """Drop a draft (its rows are removed at once); imported ones stay as they are."""
    locked = SessionImport.objects.select_for_update().get(pk=session_import.pk)
    if locked.created_by_id != actor.pk:
        raise WorkspaceError(_g("Nur wer die Datei hochgeladen hat, kann sie verwerfen."))
    if locked.status != ImportStatus.DRAFT:
        return
    locked.status = ImportStatus.DISCARDED
    locked.rows, locked.errors, locked.warnings = [], [], []
    locked.save(update_fields=["status", "rows", "errors", "warnings"])
