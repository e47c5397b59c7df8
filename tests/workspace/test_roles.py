"""Roles inside a KI: the permission table, the first KI-Leitung, and per-KI memberships."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from kinrw.accounts.models import User
from kinrw.tenancy import onboarding, registry
from kinrw.tenancy.context import in_tenant
from kinrw.workspace.models import AuditEntry, Membership, Role
from kinrw.workspace.roles import Action, Area, can, require, role_of
from kinrw.workspace.services import WorkspaceError, membership_set
from tests.kit import Kit

pytestmark = pytest.mark.django_db

R, W = Action.READ, Action.WRITE
EXPECTED = {
    # area: (Leitung, Fachkraft, Verwaltung, Lesend) as "rw", "r" or ""
    Area.PROGRAMMES: ("rw", "rw", "r", "r"),
    Area.MEASURES: ("rw", "rw", "r", "r"),
    Area.SESSIONS: ("rw", "rw", "r", "r"),
    Area.PARTNERS: ("rw", "rw", "rw", "r"),
    Area.STAFF: ("rw", "", "", ""),
    Area.AUDIT: ("rw", "", "", ""),
}
ROLES = (Role.LEITUNG, Role.FACHKRAFT, Role.VERWALTUNG, Role.LESEND)


def test_the_permission_table(kit: Kit) -> None:
    with in_tenant(kit.a.tenant):
        users = {}
        for role in ROLES:
            users[role] = User.objects.create_user(f"rolle-{role}@koeln.example")
            membership_set(actor=None, user=users[role], role=role)
        for area, rights in EXPECTED.items():
            for role, allowed in zip(ROLES, rights, strict=True):
                assert can(users[role], R, area) == ("r" in allowed), (role, area, "read")
                assert can(users[role], W, area) == ("w" in allowed), (role, area, "write")
        with pytest.raises(PermissionDenied, match="KI-Leitung"):
            require(users[Role.LESEND], W, Area.MEASURES)


def test_no_membership_no_access_and_roles_are_per_ki(kit: Kit) -> None:
    with in_tenant(kit.a.tenant):
        outsider = User.objects.create_user("ohne-rolle@koeln.example")
        assert role_of(outsider) is None
        assert not can(outsider, R, Area.MEASURES)
        leitung = User.objects.get(email=kit.a.admin_email)
        assert role_of(leitung) == Role.LEITUNG
    with in_tenant(kit.b.tenant):
        # the same numeric id in Bonn is Bonn's own account with Bonn's role
        assert not Membership.objects.filter(user__email=kit.a.admin_email).exists()


def test_the_last_leitung_cannot_be_demoted(kit: Kit) -> None:
    with in_tenant(kit.a.tenant):
        leitung = User.objects.get(email=kit.a.admin_email)
        with pytest.raises(WorkspaceError, match="mindestens eine KI-Leitung"):
            membership_set(actor=None, user=leitung, role=Role.LESEND)
        second = User.objects.get(email=kit.a.staff_email)
        membership_set(actor=leitung, user=second, role=Role.LEITUNG)
        membership_set(actor=second, user=leitung, role=Role.LESEND)
        assert role_of(leitung) == Role.LESEND
        entry = AuditEntry.objects.filter(object_type="workspace.membership").order_by("-id")[0]
        assert entry.changes["role"] == ["leitung", "lesend"]
        assert entry.actor == second


def test_the_first_admin_of_a_new_ki_is_its_leitung(kit: Kit) -> None:
    entry = next(e for e in registry.load() if e.slug == "olpe")
    created = onboarding.tenant_create(entry=entry, admin_email="leitung@olpe.example")
    assert created.set_password_url
    with in_tenant(created.tenant):
        admin = User.objects.get(email="leitung@olpe.example")
        assert Membership.objects.get(user=admin).role == Role.LEITUNG
        assert role_of(admin) == Role.LEITUNG


def test_an_account_without_role_gets_a_german_403_on_the_overview(kit: Kit) -> None:
    from django.test import Client

    from tests.kit import PASSWORD

    with in_tenant(kit.a.tenant):
        User.objects.create_user("ohne@koeln.example", PASSWORD)
    client = Client(HTTP_HOST=kit.a.host)
    with in_tenant(kit.a.tenant):
        assert client.login(username="ohne@koeln.example", password=PASSWORD)
    response = client.get("/")
    assert response.status_code == 403
    assert "Keine Berechtigung" in response.content.decode()
    assert 'action="/konto/abmelden/"' in response.content.decode()  # logout is a POST
    assert client.post("/konto/abmelden/").status_code == 302
    with in_tenant(kit.a.tenant):  # a Lesend account reads the overview
        reader = User.objects.create_user("lesend@koeln.example", PASSWORD)
        membership_set(actor=None, user=reader, role=Role.LESEND)
        reading = Client(HTTP_HOST=kit.a.host)
        assert reading.login(username="lesend@koeln.example", password=PASSWORD)
    assert reading.get("/").status_code == 200
