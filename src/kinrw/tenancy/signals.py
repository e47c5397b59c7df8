"""Empty this process's host cache when a tenant or domain changes."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from kinrw.tenancy import hostcache
from kinrw.tenancy.models import Domain, Tenant


@receiver([post_save, post_delete], sender=Tenant)
@receiver([post_save, post_delete], sender=Domain)
def _tenancy_changed(**_: Any) -> None:
    hostcache.clear()
