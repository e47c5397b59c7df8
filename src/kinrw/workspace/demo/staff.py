"""Demo staff accounts: one per role, a shared documented password, and the demo marker."""

from __future__ import annotations

from django.contrib.auth.hashers import make_password

from kinrw.accounts.models import User
from kinrw.tenancy.models import Tenant
from kinrw.workspace.models import Membership, Role

# Documented in docs/cli.md; printed by `kinrw demo-data`. Demo systems only.
DEMO_PASSWORD = "Demo-KI-NRW-2026!"  # noqa: S105 (public on purpose)

DEMO_STAFF: list[tuple[str, str, str]] = [
    ("leitung", "Lea Leitung (Demo)", Role.LEITUNG),
    ("fachkraft", "Fritz Fachkraft (Demo)", Role.FACHKRAFT),
    ("verwaltung", "Vera Verwaltung (Demo)", Role.VERWALTUNG),
    ("lesend", "Lars Lesend (Demo)", Role.LESEND),
]


def demo_domain(tenant: Tenant) -> str:
    return f"{tenant.slug}.demo.example"


def demo_email(tenant: Tenant, local: str) -> str:
    return f"{local}@{demo_domain(tenant)}"


def marker_email(tenant: Tenant) -> str:
    """The demo KI-Leitung's address: a KI with this account has demo data."""
    return demo_email(tenant, DEMO_STAFF[0][0])


def demo_accounts_create(*, tenant: Tenant, password_hash: str) -> list[User]:
    """The demo accounts with their roles, in the current KI schema (no audit: generated data).

    ``password_hash`` is computed once per run (hashing is slow on purpose).
    """
    users = [
        User(email=demo_email(tenant, local), full_name=name, password=password_hash)
        for local, name, _ in DEMO_STAFF
    ]
    users = User.objects.bulk_create(users)
    Membership.objects.bulk_create(
        [Membership(user=u, role=role) for u, (_, _, role) in zip(users, DEMO_STAFF, strict=True)]
    )
    return users


def demo_hash(password: str = DEMO_PASSWORD) -> str:
    return make_password(password)
