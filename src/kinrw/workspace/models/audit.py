"""The audit trail of a KI's workspace (append-only)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kinrw.core.placement import TenantModel


class AuditAction(models.TextChoices):
    CREATE = "create", _("angelegt")
    UPDATE = "update", _("geändert")
    DELETE = "delete", _("gelöscht")


class AuditEntry(TenantModel):
    """One change in this KI's workspace. Append-only."""

    id = models.BigAutoField(primary_key=True)
    created_at = models.DateTimeField(_("Zeitpunkt"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("Konto"),
    )
    # kept when the account is removed: who it was at the time of the change
    actor_label = models.CharField(_("geändert von"), max_length=254)
    action = models.CharField(_("Aktion"), max_length=10, choices=AuditAction.choices)
    object_type = models.CharField(_("Art des Eintrags"), max_length=100)
    object_id = models.BigIntegerField(_("Nummer des Eintrags"))
    changes = models.JSONField(_("Änderungen"), default=dict)

    class Meta:
        verbose_name = _("Protokolleintrag")
        verbose_name_plural = _("Änderungsprotokoll")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object_idx")]

    def __str__(self) -> str:
        return (
            f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_type}"
        )
