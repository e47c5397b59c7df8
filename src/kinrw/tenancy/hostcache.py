"""Host name -> tenant, without SQL once warm.

Each process keeps a dictionary of resolved hosts. It is emptied

* in this process by the model signals and the onboarding services,
* in every other process by PostgreSQL ``NOTIFY kinrw_tenancy``, sent by a
  trigger on the tenant and domain tables (so a CLI ``suspend`` reaches all
  web workers within moments), received by :mod:`kinrw.tenancy.listener`,
* and after ``KINRW_TENANT_CACHE_TTL`` seconds as a last resort.

While the listener is not connected the cache is bypassed: correctness
never depends on a notice arriving.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from django.conf import settings

from kinrw.tenancy.context import in_public
from kinrw.tenancy.models import Domain, Tenant


@dataclass(frozen=True)
class Resolved:
    tenant: Tenant | None  # None: the public (Land) host
    is_public: bool


PUBLIC = Resolved(tenant=None, is_public=True)

_lock = threading.Lock()
_entries: dict[str, tuple[float, Resolved | None]] = {}
_generation = 0
MAX_ENTRIES = 10_000


def clear() -> None:
    global _generation
    with _lock:
        _entries.clear()
        _generation += 1


def resolve(host: str) -> Resolved | None:
    """The tenant for ``host`` (lower-case, no port); None if unknown."""
    if host == settings.KINRW_BASE_DOMAIN:
        return PUBLIC
    from kinrw.tenancy import listener

    use_cache = listener.ensure_started()
    now = time.monotonic()
    if use_cache:
        hit = _entries.get(host)
        if hit is not None and hit[0] > now:
            return hit[1]
    generation = _generation
    resolved = _load(host)
    if use_cache:
        with _lock:
            if len(_entries) >= MAX_ENTRIES:  # random host names must not grow memory
                _entries.clear()
            if generation == _generation:  # no invalidation while we were loading
                _entries[host] = (now + settings.KINRW_TENANT_CACHE_TTL, resolved)
    return resolved


def _load(host: str) -> Resolved | None:
    with in_public():
        return _query(host)


def _query(host: str) -> Resolved | None:
    domain = (
        Domain.objects.select_related("tenant")
        .filter(domain=host)
        .only(
            "domain",
            "tenant__id",
            "tenant__schema_name",
            "tenant__slug",
            "tenant__name",
            "tenant__official_name",
            "tenant__status",
            "tenant__ags",
            "tenant__kind",
            "tenant__regierungsbezirk",
        )
        .first()
    )
    if domain is None:
        return None
    tenant: Tenant = domain.tenant
    tenant.domain_url = host
    return Resolved(tenant=tenant, is_public=False)
