"""The staff of a KI and their role in its workspace."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kinrw.core.placement import TenantModel


class Role(models.TextChoices):
    LEITUNG = "leitung", _("KI-Leitung")
    FACHKRAFT = "fachkraft", _("Fachkraft")
    VERWALTUNG = "verwaltung", _("Verwaltung")
    LESEND = "lesend", _("Lesend")


class Membership(TenantModel):
    """An account's role in this KI (one role per account; no role, no access)."""

    id = models.BigAutoField(primary_key=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="ki_membership",
        verbose_name=_("Konto"),
    )
    role = models.CharField(_("Rolle"), max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(_("angelegt"), auto_now_add=True)
    updated_at = models.DateTimeField(_("geändert"), auto_now=True)

    class Meta:
        verbose_name = _("Rolle im KI")
        verbose_name_plural = _("Rollen im KI")

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"
