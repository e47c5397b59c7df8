"""The Land's figures version: one counter that every change the Land's pages show raises.

Statement triggers (migration ``state.0004_land_version``) raise it in the same
transaction as any change of the facts, the submitted facts, the reporting
periods, the KI registry or the programme catalogue. Whatever is derived from
those tables alone (the dashboard's protected tables, map and trend) may be
cached under the version: a reader that sees version *v* sees at least the data
committed with *v*, so nothing older is ever stored under a newer version. The
trigger also stamps the time of the change, which the key includes.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from kinrw.core.placement import Placement

# the tables whose changes raise the version (public schema)
WATCHED = (
    "state_fact",
    "state_submittedfact",
    "state_reportingperiod",
    "tenancy_tenant",
    "catalogue_programme",
    "catalogue_indicator",
)


class LandVersion(models.Model):
    """The one row (id 1) holding the counter; no personal data, only a number."""

    schema_placement = Placement.PUBLIC

    id = models.BigIntegerField(primary_key=True, default=1)
    version = models.BigIntegerField(_("Stand"), default=0)
    changed_at = models.DateTimeField(_("geändert"), null=True)

    class Meta:
        verbose_name = _("Stand der Landeszahlen")
        verbose_name_plural = _("Stand der Landeszahlen")

    def __str__(self) -> str:
        return str(self.version)


def land_version() -> str:
    """The current counter with the time of its last change (one read of one row).

    The time keeps a key unique when a counter value comes back: after a rolled-back
    transaction (tests) or a restored backup, whose data is then that of the time.
    """
    row = LandVersion.objects.filter(pk=1).values_list("version", "changed_at").first()
    if row is None:
        return "0"
    version, changed_at = row
    return f"{version}@{changed_at.isoformat() if changed_at else ''}"
