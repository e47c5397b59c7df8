"""The outbox handler: from a KI's changed months to the Land's facts (issue 4).

Triggers write one :class:`~kinrw.workspace.models.Outbox` row per changed month
in the same transaction as the change (migration ``workspace.0012_outbox``).
:func:`sweep` is the relay: it marks pending rows as sent and hands them to a
sender (the Celery task ``state.outbox_process`` in production). :func:`process`
recomputes those months with the KI's own figures and marks the rows done. Nothing
is incremented, so a row sent twice only recomputes the same cells again.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Callable, Iterable

from django.db import connection
from django.db.models import F, Q
from django.db.models.functions import Now
from django.utils import timezone

from kinrw.state.recompute import active_tenants, recompute
from kinrw.tenancy.context import in_public, in_tenant
from kinrw.tenancy.models import Tenant
from kinrw.workspace.models import Outbox

# a row sent this long ago and still not done is sent again (lost task, dead worker);
# KINRW_OUTBOX_RESEND_SECONDS shortens it for the recovery tests
RESEND_AFTER = dt.timedelta(seconds=float(os.environ.get("KINRW_OUTBOX_RESEND_SECONDS", "300")))
# done rows are kept this long for the operators, then removed by the sweeper
KEEP_DONE = dt.timedelta(days=7)

Sender = Callable[[Tenant, list[int]], None]


def _fault(point: str) -> None:
    """Test hook: ``KINRW_FAULT=<point>`` stalls the handler there (killed-worker tests)."""
    if os.environ.get("KINRW_FAULT") == point:
        print(f"KINRW_FAULT {point}: stalled", flush=True)  # the test waits for this line
        time.sleep(3600)


def process(tenant: Tenant, ids: Iterable[int]) -> int:
    """Recompute the months of the KI's pending outbox rows and mark them done.

    ``ids`` are the rows the message carried; every other row of the KI that is not
    done yet is taken along, so a KI that writes while its earlier messages wait in
    the queue gets one recomputation, and the later messages find nothing left to do.
    Returns how many rows were done. The rows are marked as sent first (committed),
    so a change made while the months are being recomputed writes a new row instead
    of hiding behind these.
    """
    ids = list(ids)
    with in_tenant(tenant), connection.cursor() as cursor:
        # one statement: nothing to do unless a carried row is still pending; then every
        # pending row of the KI, marked sent (committed before the recomputation)
        cursor.execute(
            "UPDATE workspace_outbox SET sent_at = coalesce(sent_at, now()) "
            "WHERE done_at IS NULL AND EXISTS (SELECT 1 FROM workspace_outbox c "
            "WHERE c.id = ANY(%s) AND c.done_at IS NULL) RETURNING id, month",
            [ids],
        )
        found = dict(cursor.fetchall())
    if not found:
        return 0
    _fault("outbox-process")
    recompute(tenant, set(found.values()))
    with in_tenant(tenant):
        return Outbox.objects.filter(pk__in=list(found), done_at__isnull=True).update(done_at=Now())


def due(tenant: Tenant, now: dt.datetime | None = None) -> list[int]:
    """The KI's outbox rows to send: not done, and never sent or sent too long ago."""
    now = now or timezone.now()
    with in_tenant(tenant):
        return list(
            Outbox.objects.filter(done_at__isnull=True)
            .filter(Q(sent_at__isnull=True) | Q(sent_at__lt=now - RESEND_AFTER))
            .order_by("pk")
            .values_list("pk", flat=True)
        )


def relay(tenant: Tenant, send: Sender) -> int:
    """Send the KI's due outbox rows as one message; return how many rows.

    Rows are marked sent before the message leaves; if sending fails they are
    unmarked, so the next sweep tries again.
    """
    now = timezone.now()
    ids = due(tenant, now)
    if not ids:
        return 0
    with in_tenant(tenant):
        Outbox.objects.filter(pk__in=ids).update(sent_at=now, attempts=F("attempts") + 1)
    try:
        send(tenant, ids)
    except Exception:
        with in_tenant(tenant):
            Outbox.objects.filter(pk__in=ids, done_at__isnull=True).update(sent_at=None)
        raise
    return len(ids)


def sweep(send: Sender) -> int:
    """Send every KI's due outbox rows (one message per KI); return how many rows.

    The fallback of the relay (:mod:`kinrw.state.relay`): it finds rows whose
    notification was missed and rows whose message was lost. It also removes done
    rows older than :data:`KEEP_DONE`.
    """
    with in_public():
        tenants = list(active_tenants())
    total = 0
    for tenant in tenants:
        with in_tenant(tenant):
            Outbox.objects.filter(done_at__lt=timezone.now() - KEEP_DONE).delete()
        total += relay(tenant, send)
    return total
