"""The two-tenant kit: two KIs (Köln and Bonn), each with users and data.

Built once per test session, committed, from the template (fast). Tests ask
"and the other KI sees nothing?" in one line with :func:`as_tenant` and the
``kit`` fixture. Later issues add their data in :func:`populate`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.test import Client

from kinrw.accounts.models import User
from kinrw.state.models import LandAccess, LandRole
from kinrw.tenancy import onboarding, registry
from kinrw.tenancy.context import in_tenant
from kinrw.tenancy.models import Tenant

KIT_SLUGS = ("koeln", "bonn")
PASSWORD = "Kit-Passwort-2026!"


@dataclass
class KitTenant:
    tenant: Tenant
    host: str
    admin_email: str
    staff_email: str
    extra: dict[str, object] = field(default_factory=dict)

    def client(self, *, login: bool = True) -> Client:
        client = Client(HTTP_HOST=self.host)
        if login:
            with in_tenant(self.tenant):
                assert client.login(username=self.admin_email, password=PASSWORD)
        return client


@dataclass
class Kit:
    a: KitTenant
    b: KitTenant
    land_host: str
    land_email: str

    def __iter__(self) -> Iterator[KitTenant]:
        return iter((self.a, self.b))


def build() -> Kit:
    from django.conf import settings

    from kinrw.catalogue.services import catalogue_apply

    catalogue_apply()  # the Land's programme catalogue, as `make run` loads it
    entries = {e.slug: e for e in registry.load()}
    made = []
    for slug in KIT_SLUGS:
        tenant = Tenant.objects.filter(slug=slug).first()
        if tenant is None:
            tenant = onboarding.tenant_create(entry=entries[slug]).tenant
        made.append(_kit_tenant(tenant))
        populate(made[-1])
    land_email = "referat@mkjfgfi.example"
    if not User.objects.filter(email=land_email).exists():
        user = User.objects.create_user(land_email, PASSWORD, full_name="Referat 512")
        LandAccess.objects.create(user=user, role=LandRole.MINISTERIUM)
    return Kit(a=made[0], b=made[1], land_host=settings.KINRW_BASE_DOMAIN, land_email=land_email)


def _kit_tenant(tenant: Tenant) -> KitTenant:
    return KitTenant(
        tenant=tenant,
        host=onboarding.primary_domain(tenant) or "",
        admin_email=f"leitung@{tenant.slug}.example",
        staff_email=f"fachkraft@{tenant.slug}.example",
    )


def populate(kt: KitTenant) -> None:
    """Each KI's own users (and, in later issues, its records)."""
    from kinrw.workspace.models import Membership, Role

    with in_tenant(kt.tenant):
        for email, name, role in (
            (kt.admin_email, "KI-Leitung", Role.LEITUNG),
            (kt.staff_email, "Fachkraft", Role.FACHKRAFT),
        ):
            user = User.objects.filter(email=email).first() or User.objects.create_user(
                email, PASSWORD, full_name=f"{name} {kt.tenant.name}"
            )
            # fixture data, not a user's action: no audit entry, so tests start with none
            Membership.objects.update_or_create(user=user, defaults={"role": role})
        kt.extra["user_ids"] = sorted(User.objects.values_list("id", flat=True))


@contextmanager
def as_tenant(kt: KitTenant) -> Iterator[None]:
    with in_tenant(kt.tenant):
        yield
