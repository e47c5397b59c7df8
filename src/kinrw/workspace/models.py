"""The KI workspace (tenant schemas)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from kinrw.core.placement import TenantModel


class Enrolment(TenantModel):
    """That this KI runs a programme of the Land's catalogue in a year."""

    id = models.BigAutoField(primary_key=True)
    programme = models.ForeignKey(
        "catalogue.Programme",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("Programm"),
    )
    year = models.PositiveSmallIntegerField(
        _("Jahr"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    granted_amount = models.DecimalField(
        _("bewilligter Betrag (Euro)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    created_at = models.DateTimeField(_("angelegt"), auto_now_add=True)
    updated_at = models.DateTimeField(_("geändert"), auto_now=True)

    class Meta:
        verbose_name = _("Programmteilnahme")
        verbose_name_plural = _("Programmteilnahmen")
        ordering = ["-year", "programme__sort_order"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "year"], name="enrolment_once_per_year"),
            models.CheckConstraint(
                condition=models.Q(year__gte=2000, year__lte=2100), name="enrolment_year_range"
            ),
            models.CheckConstraint(
                condition=models.Q(granted_amount__isnull=True) | models.Q(granted_amount__gte=0),
                name="enrolment_amount_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme} {self.year}"


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
