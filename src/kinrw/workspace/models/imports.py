"""Imports of sessions from a file: the parsed rows wait here between preview and confirmation."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kinrw.core.placement import TenantModel

DRAFT_LIFETIME = dt.timedelta(days=1)


def draft_cutoff() -> dt.datetime:
    """Drafts (and discarded imports) created before this are ignored and removed."""
    return timezone.now() - DRAFT_LIFETIME


class ImportStatus(models.TextChoices):
    DRAFT = "draft", _("Vorschau")
    IMPORTED = "imported", _("importiert")
    DISCARDED = "discarded", _("verworfen")


class SessionImport(TenantModel):
    """One uploaded file of sessions and counts, parsed and checked, not yet imported.

    Nothing of it reaches the sessions before its creator confirms; then every row is
    written in one transaction. Drafts older than a day are ignored and removed.
    """

    id = models.BigAutoField(primary_key=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("hochgeladen von"),
    )
    created_at = models.DateTimeField(_("hochgeladen"), auto_now_add=True, db_index=True)
    file_name = models.CharField(_("Dateiname"), max_length=255)
    sha256 = models.CharField(_("Prüfsumme (SHA-256)"), max_length=64, db_index=True)
    # the rows to import, normalised (see kinrw.workspace.imports.validate.Plan)
    rows = models.JSONField(_("Zeilen"), default=list)
    # line-by-line errors and warnings: [{"row": 5, "column": "Datum", "message": "…"}]
    errors = models.JSONField(_("Fehler"), default=list)
    warnings = models.JSONField(_("Hinweise"), default=list)
    status = models.CharField(
        _("Status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.DRAFT
    )
    imported_at = models.DateTimeField(_("importiert am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Import von Terminen")
        verbose_name_plural = _("Importe von Terminen")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"
