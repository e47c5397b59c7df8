"""The Land layer (public schema). For now: who may use the Land side, and how."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kinrw.core.placement import Placement
from kinrw.tenancy.models import Regierungsbezirk


class LandRole(models.TextChoices):
    MINISTERIUM = "ministerium", _("Ministerium")
    LAKI = "laki", _("LaKI (Landesweite Koordinierungsstelle)")
    BEZIRKSREGIERUNG = "bezirksregierung", _("Bezirksregierung")
    PLATTFORMBETRIEB = "plattformbetrieb", _("Plattformbetrieb")


class LandAccess(models.Model):
    """An account of the public schema that may sign in on the Land host."""

    schema_placement = Placement.PUBLIC

    id = models.BigAutoField(primary_key=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="land_access"
    )
    role = models.CharField(_("Rolle"), max_length=32, choices=LandRole.choices)
    regierungsbezirk = models.CharField(
        _("Regierungsbezirk"), max_length=20, choices=Regierungsbezirk.choices, blank=True
    )
    created_at = models.DateTimeField(_("angelegt"), auto_now_add=True)

    class Meta:
        verbose_name = _("Zugang zur Landesebene")
        verbose_name_plural = _("Zugänge zur Landesebene")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(role="bezirksregierung") & ~models.Q(regierungsbezirk="")
                    | ~models.Q(role="bezirksregierung") & models.Q(regierungsbezirk="")
                ),
                name="landaccess_bezirk_only_for_bezirksregierung",
            ),
        ]

    def __str__(self) -> str:
        label = LandRole(self.role).label
        return f"{label} {self.regierungsbezirk}".strip()


from kinrw.state.facts import Fact, RebuildLedger  # noqa: E402  (registered with this app)
from kinrw.state.periods import ReportingPeriod, SubmittedFact  # noqa: E402
from kinrw.state.version import LandVersion  # noqa: E402

__all__ = [
    "Fact",
    "LandAccess",
    "LandRole",
    "LandVersion",
    "RebuildLedger",
    "ReportingPeriod",
    "SubmittedFact",
]
