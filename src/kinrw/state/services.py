"""Writes of the Land layer."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction

from kinrw.accounts.models import User
from kinrw.accounts.services import AccountError, admin_create, validate_email
from kinrw.state.models import LandAccess, LandRole
from kinrw.tenancy.context import in_public
from kinrw.tenancy.models import Regierungsbezirk


def land_account_invite(
    *, email: str, role: str, regierungsbezirk: str = "", full_name: str = ""
) -> str:
    """Create a Land account with its role; return its one-time set-password link."""
    if role not in LandRole.values:
        raise AccountError(f"Unbekannte Rolle „{role}“ ({', '.join(LandRole.values)}).")
    if role == LandRole.BEZIRKSREGIERUNG and regierungsbezirk not in Regierungsbezirk.values:
        raise AccountError(
            "Für die Bezirksregierung bitte den Regierungsbezirk angeben "
            f"({', '.join(Regierungsbezirk.values)})."
        )
    if role != LandRole.BEZIRKSREGIERUNG and regierungsbezirk:
        raise AccountError("Ein Regierungsbezirk gehört nur zur Rolle Bezirksregierung.")
    email = validate_email(email)
    with in_public(), transaction.atomic():
        link = admin_create(email=email, host=settings.KINRW_BASE_DOMAIN, full_name=full_name)
        user = User.objects.get(email=email)
        if role != LandRole.PLATTFORMBETRIEB:
            user.is_superuser = False
            user.save(update_fields=["is_superuser"])
        LandAccess.objects.update_or_create(
            user=user, defaults={"role": role, "regierungsbezirk": regierungsbezirk}
        )
    return link
