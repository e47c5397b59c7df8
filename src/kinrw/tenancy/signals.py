"""Empty this process's host cache when a tenant or domain changes."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from kinrw.tenancy import hostcache
from kinrw.tenancy.models import Domain, Tenant


@receiver([post_save, post_delete], sender=Tenant)
@receiver([post_save, post_delete], sender=Domain)
def _tenancy_changed(**_: Any) -> None:
    hostcache.clear()


@receiver(user_logged_in)
def _bind_session_to_schema(request: Any, **_: Any) -> None:
    """A new login's session belongs to the schema it was made in (SessionBindingMiddleware)."""
    from kinrw.tenancy.context import current_schema
    from kinrw.tenancy.middleware import SessionBindingMiddleware

    if request is not None and hasattr(request, "session"):
        request.session[SessionBindingMiddleware.KEY] = current_schema()
