"""Where every model lives: the public schema, the tenant schemas, or both.

Our own models declare it with a class attribute ``schema_placement``
(use :class:`PublicModel` / :class:`TenantModel` or set it explicitly);
models of Django and third-party apps are listed in ``THIRD_PARTY``.
``tests/tenancy/test_placement.py`` fails when a model is missing here, when
its app is not installed on the declared side, or when a foreign key crosses
from the public schema into a tenant schema (ADR 0005).
"""

from __future__ import annotations

import enum

from django.db import models


class Placement(enum.StrEnum):
    PUBLIC = "public"  # public schema only: the Land layer and the tenant registry
    TENANT = "tenant"  # every KI schema (and the template), never in public
    BOTH = "both"  # separate tables in public and in every KI schema (e.g. accounts)


# Small public tables a tenant table may reference by foreign key: they could
# become Citus reference tables, replicated to every node (ADR 0005).
REFERENCE_MODELS: set[str] = {
    "contenttypes.contenttype",
    "auth.permission",
    "tenancy.gemeinde",
    # the Land's programme catalogue, read-only in the workspaces
    "catalogue.programme",
    "catalogue.indicator",
    "catalogue.breakdown",
}

THIRD_PARTY: dict[str, Placement] = {
    "contenttypes.contenttype": Placement.BOTH,
    "auth.permission": Placement.BOTH,
    "auth.group": Placement.BOTH,
    "sessions.session": Placement.BOTH,
    # django-axes (ADR 0013): failed logins counted where the account lives (a KI's
    # schema, or public for the Land's accounts); rows vanish after the cool-off time.
    "axes.accessattempt": Placement.BOTH,
    "axes.accessattemptexpiration": Placement.BOTH,
    "axes.accesslog": Placement.BOTH,
    "axes.accessfailurelog": Placement.BOTH,
}

# Django's own models whose keys stay 32-bit (AutoField; Django defines their
# tables). Our columns that reference them are 32-bit too; everything else of
# ours is 64-bit. They are small catalogues (groups, permissions, content
# types), not tables that grow with the number of KIs or their records.
DJANGO_32BIT_KEYS: set[str] = {"auth.group", "auth.permission", "contenttypes.contenttype"}


def placement_of(model: type[models.Model]) -> Placement | None:
    declared = getattr(model, "schema_placement", None)
    if declared is not None:
        return Placement(declared)
    label = model._meta.label_lower
    if label in THIRD_PARTY:
        return THIRD_PARTY[label]
    owner = model._meta.auto_created  # a many-to-many table lives with its model
    if isinstance(owner, type) and issubclass(owner, models.Model):
        return placement_of(owner)
    return None


class PublicModel(models.Model):
    schema_placement = Placement.PUBLIC

    class Meta:
        abstract = True


class TenantModel(models.Model):
    schema_placement = Placement.TENANT

    class Meta:
        abstract = True
