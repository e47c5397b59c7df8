"""Reads of imports: each account sees only its own, and drafts only for a day."""

from __future__ import annotations

from django.db.models import QuerySet

from kinrw.accounts.models import User
from kinrw.workspace.models import ImportStatus, SessionImport
from kinrw.workspace.models.imports import draft_cutoff


def session_imports_of(*, user: User) -> QuerySet[SessionImport]:
    """The account's imports; drafts older than a day are left out (they are removed)."""
    return SessionImport.objects.filter(created_by_id=user.pk).exclude(
        status=ImportStatus.DRAFT, created_at__lt=draft_cutoff()
    )


def recent_imports_of(*, user: User, limit: int = 10) -> list[SessionImport]:
    """The latest imports of the account for the upload page (without their rows)."""
    return list(
        session_imports_of(user=user)
        .exclude(status=ImportStatus.DISCARDED)
        .defer("rows", "errors", "warnings")[:limit]
    )
