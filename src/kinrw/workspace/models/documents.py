"""Documents (files) that KI staff attach to measures, agreements and Gremium meetings."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kinrw.core.placement import TenantModel

OWNER_FIELDS = ("measure", "agreement", "meeting")


def _only(owner: str) -> models.Q:
    return models.Q(**{f"{name}__isnull": name != owner for name in OWNER_FIELDS})


class Document(TenantModel):
    """One uploaded file. The bytes live in the document storage under ``storage_key``
    (``ki/<tenant id>/<uuid>/<safe name>``); this row holds what the pages show."""

    id = models.BigAutoField(primary_key=True)
    # exactly one owner (check constraint): explicit keys, no generic relation
    measure = models.ForeignKey(
        "workspace.Measure",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("Maßnahme"),
    )
    agreement = models.ForeignKey(
        "workspace.CooperationAgreement",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("Kooperationsvereinbarung"),
    )
    meeting = models.ForeignKey(
        "workspace.GremiumMeeting",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("Sitzung"),
    )
    original_name = models.CharField(_("Dateiname"), max_length=255)
    size = models.PositiveBigIntegerField(_("Größe (Bytes)"))
    content_type = models.CharField(_("Dateityp"), max_length=100)
    sha256 = models.CharField(_("Prüfsumme (SHA-256)"), max_length=64)
    storage_key = models.CharField(_("Speicherschlüssel"), max_length=400, unique=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("hochgeladen von"),
    )
    uploaded_at = models.DateTimeField(_("hochgeladen am"), auto_now_add=True)

    class Meta:
        verbose_name = _("Dokument")
        verbose_name_plural = _("Dokumente")
        ordering = ["-uploaded_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=_only("measure") | _only("agreement") | _only("meeting"),
                name="document_exactly_one_owner",
            ),
        ]

    def __str__(self) -> str:
        return str(self.original_name)

    @property
    def owner(self) -> models.Model:
        return self.measure or self.agreement or self.meeting  # type: ignore[return-value]
