"""Which records are demo data: one audit entry per run lists their ids; ``--reset`` uses it.

The entry is anchored on the demo KI-Leitung account (the marker) and holds,
under ``demo_data``, the run's settings, its counts and the ids it made as
ranges. Removing appends a second entry (the trail stays append-only).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.apps import apps
from django.db import connection
from django.db.models import ProtectedError, Q, QuerySet

from kinrw.accounts.models import User
from kinrw.tenancy.models import Tenant
from kinrw.workspace.demo.staff import demo_domain
from kinrw.workspace.models import AuditAction, AuditEntry, Measure, Session, SessionCount

KEY = "demo_data"
ACTOR_LABEL = "Demodaten (kinrw demo-data)"
# Removal order: what refers to a record goes before it.
REMOVAL_ORDER = [
    "workspace.gremiummeeting",
    "workspace.gremium",
    "workspace.measure",
    "workspace.cooperationagreement",
    "workspace.contactperson",
    "workspace.organisation",
    "workspace.enrolment",
]


class DemoError(Exception):
    """Demo data can not be made or removed; the message is German and says why."""


def manifest_write(*, marker: User, summary: dict[str, Any], ids: dict[str, Any]) -> None:
    AuditEntry.objects.create(
        actor=None,
        actor_label=ACTOR_LABEL,
        action=AuditAction.CREATE,
        object_type=User._meta.label_lower,
        object_id=marker.pk,
        changes={KEY: [None, {**summary, "ids": ids}]},
    )


def manifest_read(marker: User) -> dict[str, Any] | None:
    entry = (
        AuditEntry.objects.filter(
            object_type=User._meta.label_lower, object_id=marker.pk, changes__has_key=KEY
        )
        .order_by("-id")
        .first()
    )
    if entry is None or entry.action != AuditAction.CREATE:
        return None
    return dict(entry.changes[KEY][1])


def _in_ranges(ranges: list[list[int]]) -> Q:
    q = Q(pk__in=[])
    for first, last in ranges:
        q |= Q(pk__gte=first, pk__lte=last)
    return q


def _delete_rows(queryset: QuerySet[Any]) -> int:
    """One DELETE for rows nothing else refers to.

    ``QuerySet.delete()`` would load every row first (django-tenants listens to
    ``post_delete`` of all models, which rules out Django's fast delete): for the
    benchmark's two million counts that takes minutes.
    """
    model = queryset.model
    subquery, params = queryset.values("pk").query.sql_with_params()
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {quote(model._meta.db_table)} "  # noqa: S608 (names from the model)
            f"WHERE {quote(model._meta.pk.column)} IN ({subquery})",
            params,
        )
        return cursor.rowcount


def manifest_remove(*, tenant: Tenant, marker: User) -> dict[str, int]:
    """Delete what the last run made (and the demo accounts); {model label: rows removed}."""
    manifest = manifest_read(marker) or {"ids": {}}
    ids: dict[str, list[list[int]]] = manifest["ids"]
    removed: Counter[str] = Counter()
    measures = Measure.objects.filter(_in_ranges(ids.get("workspace.measure", [])))
    # counts and sessions (also those staff added to demo measures) in one statement each
    sessions = Session.objects.filter(measure__in=measures)
    removed["workspace.sessioncount"] = _delete_rows(
        SessionCount.objects.filter(session__in=sessions)
    )
    removed["workspace.session"] = _delete_rows(sessions)
    querysets = [
        apps.get_model(label).objects.filter(_in_ranges(ids.get(label, [])))
        for label in REMOVAL_ORDER
    ]
    querysets.append(User.objects.filter(email__endswith="@" + demo_domain(tenant)))
    try:
        for queryset in querysets:
            removed.update(queryset.delete()[1])
    except ProtectedError as exc:
        first = next(iter(exc.protected_objects))
        raise DemoError(
            "Die Demodaten lassen sich nicht entfernen: eigene Einträge verweisen darauf "
            f"(z. B. {first._meta.verbose_name} „{first}“). Bitte diese zuerst ändern oder löschen."
        ) from exc
    AuditEntry.objects.create(
        actor=None,
        actor_label=ACTOR_LABEL,
        action=AuditAction.DELETE,
        object_type=User._meta.label_lower,
        object_id=marker.pk,
        changes={KEY: [{k: v for k, v in manifest.items() if k != "ids"}, None]},
    )
    return {label.lower(): n for label, n in removed.items() if n}
