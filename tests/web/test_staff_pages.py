"""Team pages (KI-Leitung only): members and roles, invitations with a one-time link, removal."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from kinrw.accounts.models import User
from kinrw.tenancy.context import in_tenant
from kinrw.workspace.models import AuditEntry, Membership, Role
from kinrw.workspace.web import staff as staff_pages
from tests.kit import PASSWORD, Kit, KitTenant

pytestmark = pytest.mark.django_db
LOCMEM = "django.core.mail.backends.locmem.EmailBackend"


def role_client(kt: KitTenant, role: str, email: str = "") -> Client:
    email = email or f"{role}-team@{kt.tenant.slug}.example"
    client = Client(HTTP_HOST=kt.host)
    with in_tenant(kt.tenant):
        user = User.objects.create_user(email, PASSWORD, full_name=f"Konto {role}")
        Membership.objects.create(user=user, role=role)
        assert client.login(username=email, password=PASSWORD)
    return client


def rows(html: str) -> list[str]:
    return [
        re.sub(r"<[^>]+>", "", h).strip() for h in re.findall(r'<th scope="row">(.*?)</th>', html)
    ]


def _membership(kt: KitTenant, email: str) -> Membership:
    with in_tenant(kt.tenant):
        return Membership.objects.select_related("user").get(user__email=email)


def _invite(client: Client, **data: str) -> object:
    post = {"email": "neu@koeln.example", "full_name": "Nora Neu", "role": Role.FACHKRAFT}
    return client.post("/team/einladen/", {**post, **data})


def test_list_shows_members_with_role_and_status(kit: Kit) -> None:
    client = kit.a.client()
    _invite(client)
    html = client.get("/team/").content.decode()
    assert rows(html) == ["Fachkraft Köln", "KI-Leitung Köln", "Nora Neu"]
    assert "Einladung offen" in html and "leitung@koeln.example" in html
    assert "Person einladen" in html and "<caption" in html
    found = client.get("/team/?q=nora").content.decode()
    assert rows(found) == ["Nora Neu"]
    by_mail = client.get("/team/?q=leitung%40koeln").content.decode()
    assert rows(by_mail) == ["KI-Leitung Köln"]
    leads = client.get("/team/?rolle=leitung").content.decode()
    assert rows(leads) == ["KI-Leitung Köln"]
    assert "bonn" not in html.lower().replace("bonn.example", "")  # no account of the other KI


def test_list_exports_and_keeps_its_query_count(kit: Kit) -> None:
    client = kit.a.client()
    csv = client.get("/team/?export=csv").content.decode("utf-8-sig").splitlines()
    assert csv[0] == "Name;E-Mail-Adresse;Rolle;Status;Im Team seit"
    assert any(
        line.startswith("KI-Leitung Köln;leitung@koeln.example;KI-Leitung;aktiv;") for line in csv
    )
    client.get("/team/?rolle=lesend")
    with in_tenant(kit.a.tenant):
        user = User.objects.create_user("einer@koeln.example", full_name="Einer")
        Membership.objects.create(user=user, role=Role.LESEND)
    with CaptureQueriesContext(connection) as one:
        client.get("/team/?rolle=lesend")
    with in_tenant(kit.a.tenant):
        for i in range(20):
            user = User.objects.create_user(f"lesend{i}@koeln.example", full_name=f"Lesend {i}")
            Membership.objects.create(user=user, role=Role.LESEND)
    with CaptureQueriesContext(connection) as many:
        html = client.get("/team/?rolle=lesend").content.decode()
    assert "21 Einträge" in html and len(many) == len(one)


def test_invite_creates_the_account_and_shows_the_link_once(
    kit: Kit, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(settings, "KINRW_EMAIL_CONFIGURED", False)  # no EMAIL_URL
    client = kit.a.client()
    response = _invite(client, email="Nora.Neu@Koeln.example")
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    link = re.search(r'id="invite-link" value="([^"]+)"', page)
    assert link and "ist als Fachkraft im Team" in page
    assert "sicher weiter" in page and "verschickt keine E-Mails" in page
    assert len(mail.outbox) == 0  # no mail set up for this deployment: nothing sent
    with in_tenant(kit.a.tenant):
        user = User.objects.get(email="nora.neu@koeln.example")
        assert not user.has_usable_password() and user.is_active and not user.is_superuser
        assert Membership.objects.get(user=user).role == Role.FACHKRAFT
        _uid, token = link.group(1).rstrip("/").split("/")[-2:]
        assert default_token_generator.check_token(user, token)
        kinds = set(AuditEntry.objects.values_list("object_type", "action"))
        assert kinds == {("accounts.user", "create"), ("workspace.membership", "create")}
        assert AuditEntry.objects.filter(actor__email=kit.a.admin_email).count() == 2
    assert "://koeln.localhost/konto/passwort-setzen/" in link.group(1)
    newcomer = Client(HTTP_HOST=kit.a.host)  # the invited person sets a password and signs in
    path = "/konto/" + link.group(1).split("/konto/", 1)[1]
    form = newcomer.get(path, follow=True)
    new = {"new_password1": "Neues-Passwort-2026!", "new_password2": "Neues-Passwort-2026!"}
    assert newcomer.post(form.redirect_chain[-1][0], new).status_code == 302
    with in_tenant(kit.a.tenant):
        assert newcomer.login(username="nora.neu@koeln.example", password=new["new_password1"])
    assert newcomer.get("/massnahmen/").status_code == 200
    again = client.get(response["Location"]).content.decode()
    assert 'id="invite-link"' not in again and "nicht noch einmal gezeigt" in again


def test_mail_counts_as_set_up_only_when_the_settings_say_so() -> None:
    assert not staff_pages._mail_configured()  # no EMAIL_URL in the test environment
    with override_settings(KINRW_EMAIL_CONFIGURED=True):
        assert staff_pages._mail_configured()


@override_settings(EMAIL_BACKEND=LOCMEM, KINRW_EMAIL_CONFIGURED=True)
def test_invite_sends_the_link_by_mail_when_mail_is_set_up(kit: Kit) -> None:
    client = kit.a.client()
    response = _invite(client)
    page = client.get(response["Location"]).content.decode()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["neu@koeln.example"]
    link = re.search(r'id="invite-link" value="([^"]+)"', page)
    assert link and link.group(1) in mail.outbox[0].body
    assert "per E-Mail an neu@koeln.example" in page


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"email": "keine-adresse"}, "email", "Bitte eine gültige E-Mail-Adresse eingeben"),
        ({"full_name": ""}, "full_name", "zwingend erforderlich"),
        ({"role": "chef"}, "role", "Bitte eine gültige Auswahl treffen"),
        ({"email": "fachkraft@koeln.example"}, "email", "gehört schon zum Team"),
    ],
)
def test_invite_errors_appear_at_the_field(
    kit: Kit, data: dict[str, str], field: str, message: str
) -> None:
    with in_tenant(kit.a.tenant):
        before = (User.objects.count(), AuditEntry.objects.count())
    response = _invite(kit.a.client(), **data)
    html = response.content.decode()
    assert response.status_code == 200
    errors = html.split(f'id="id_{field}_errors"', 1)
    assert len(errors) == 2 and message in errors[1].split("</ul>", 1)[0]
    assert 'value="Nora Neu"' in html or field == "full_name"  # the form comes back filled
    with in_tenant(kit.a.tenant):
        assert (User.objects.count(), AuditEntry.objects.count()) == before


def test_role_change_is_saved_and_audited(kit: Kit) -> None:
    member = _membership(kit.a, kit.a.staff_email)
    client = kit.a.client()
    page = client.get(f"/team/{member.pk}/").content.decode()
    assert "fachkraft@koeln.example" in page and "Aus dem Team entfernen" in page
    response = client.post(f"/team/{member.pk}/", {"role": Role.VERWALTUNG})
    assert response.status_code == 302 and response["Location"] == "/team/"
    assert "hat jetzt die Rolle Verwaltung" in client.get("/team/").content.decode()
    with in_tenant(kit.a.tenant):
        assert Membership.objects.get(pk=member.pk).role == Role.VERWALTUNG
        entry = AuditEntry.objects.get(object_type="workspace.membership")
        assert entry.changes["role"] == ["fachkraft", "verwaltung"]


def test_the_last_leitung_keeps_the_role_with_the_services_message(kit: Kit) -> None:
    me = _membership(kit.a, kit.a.admin_email)
    client = kit.a.client()
    page = client.get(f"/team/{me.pk}/").content.decode()
    assert "Ihr eigenes Konto" in page and f"/team/{me.pk}/entfernen/" not in page
    response = client.post(f"/team/{me.pk}/", {"role": Role.LESEND})
    assert response.status_code == 200
    assert "mindestens eine KI-Leitung" in response.content.decode()
    with in_tenant(kit.a.tenant):
        assert Membership.objects.get(pk=me.pk).role == Role.LEITUNG
        assert not AuditEntry.objects.exists()
    assert client.get("/team/").status_code == 200


def test_handing_over_leitung_leads_home(kit: Kit) -> None:
    other = _membership(kit.a, kit.a.staff_email)
    me = _membership(kit.a, kit.a.admin_email)
    client = kit.a.client()
    client.post(f"/team/{other.pk}/", {"role": Role.LEITUNG})
    response = client.post(f"/team/{me.pk}/", {"role": Role.FACHKRAFT})
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/team/").status_code == 403


def test_remove_asks_first_then_locks_the_account(kit: Kit) -> None:
    member = _membership(kit.a, kit.a.staff_email)
    staff = Client(HTTP_HOST=kit.a.host)
    with in_tenant(kit.a.tenant):
        assert staff.login(username=kit.a.staff_email, password=PASSWORD)
    client = kit.a.client()
    page = client.get(f"/team/{member.pk}/entfernen/").content.decode()
    assert "Was dann passiert" in page and "gesperrt" in page
    with in_tenant(kit.a.tenant):
        assert Membership.objects.filter(pk=member.pk).exists()
    response = client.post(f"/team/{member.pk}/entfernen/")
    assert response.status_code == 302
    assert "gehört nicht mehr zum Team" in client.get("/team/").content.decode()
    with in_tenant(kit.a.tenant):
        user = User.objects.get(email=kit.a.staff_email)
        assert not user.is_active and not Membership.objects.filter(user=user).exists()
        assert set(AuditEntry.objects.values_list("object_type", "action")) == {
            ("workspace.membership", "delete"),
            ("accounts.user", "update"),
        }
        assert not Client(HTTP_HOST=kit.a.host).login(username=kit.a.staff_email, password=PASSWORD)
    assert staff.get("/massnahmen/").status_code == 302  # the open session is over too
    assert client.get(f"/team/{member.pk}/").status_code == 404


def test_a_removed_account_can_be_invited_again(kit: Kit) -> None:
    member = _membership(kit.a, kit.a.staff_email)
    client = kit.a.client()
    client.post(f"/team/{member.pk}/entfernen/")
    response = _invite(client, email=kit.a.staff_email, full_name="", role=Role.LESEND)
    assert response.status_code == 200  # name is required
    response = _invite(client, email=kit.a.staff_email, role=Role.LESEND)
    assert response.status_code == 302
    with in_tenant(kit.a.tenant):
        user = User.objects.get(email=kit.a.staff_email)
        assert user.is_active and not user.has_usable_password()  # old password is gone
        assert Membership.objects.get(user=user).role == Role.LESEND


def test_nobody_removes_their_own_account(kit: Kit) -> None:
    other = _membership(kit.a, kit.a.staff_email)
    me = _membership(kit.a, kit.a.admin_email)
    client = kit.a.client()
    client.post(f"/team/{other.pk}/", {"role": Role.LEITUNG})
    response = client.post(f"/team/{me.pk}/entfernen/")
    assert response.status_code == 200
    assert "eigenes Konto nicht entfernen" in response.content.decode()
    with in_tenant(kit.a.tenant):
        assert Membership.objects.filter(pk=me.pk).exists()
        assert User.objects.get(email=kit.a.admin_email).is_active


def test_a_new_link_for_a_pending_invitation_only(kit: Kit) -> None:
    client = kit.a.client()
    client.get(_invite(client)["Location"])  # the first link is shown and gone
    pending = _membership(kit.a, "neu@koeln.example")
    page = client.get(f"/team/{pending.pk}/").content.decode()
    assert "Neuen Link erzeugen" in page
    assert client.get(f"/team/{pending.pk}/neuer-link/").status_code == 405
    response = client.post(f"/team/{pending.pk}/neuer-link/")
    assert response.status_code == 302
    assert 'id="invite-link"' in client.get(response["Location"]).content.decode()
    active = _membership(kit.a, kit.a.staff_email)
    assert "Neuen Link erzeugen" not in client.get(f"/team/{active.pk}/").content.decode()
    refused = client.post(f"/team/{active.pk}/neuer-link/", follow=True).content.decode()
    assert "schon ein Passwort" in refused and 'id="invite-link"' not in refused


@pytest.mark.parametrize("role", [Role.FACHKRAFT, Role.VERWALTUNG, Role.LESEND])
def test_only_the_leitung_sees_the_team(kit: Kit, role: str) -> None:
    member = _membership(kit.a, kit.a.staff_email)
    client = role_client(kit.a, role)
    assert "/team/" not in client.get("/").content.decode()  # not in the navigation
    paths = [f"/team/{member.pk}/{p}" for p in ("", "entfernen/", "eingeladen/", "neuer-link/")]
    for path in ["/team/", "/team/?export=csv", "/team/einladen/", *paths]:
        for method in (client.get, client.post):
            response = method(path, {"role": Role.LEITUNG, "email": "x@koeln.example"})
            assert response.status_code == 403, path
            assert "Keine Berechtigung" in response.content.decode()
    with in_tenant(kit.a.tenant):
        assert Membership.objects.get(pk=member.pk).role == Role.FACHKRAFT
        assert not AuditEntry.objects.exists()


def test_other_ki_gets_404_for_members_of_this_one(kit: Kit) -> None:
    with in_tenant(kit.a.tenant):  # a pk that Bonn's schema does not have
        user = User.objects.create_user("nur-koeln@koeln.example", full_name="Nur Köln")
        member = Membership.objects.create(pk=987_654, user=user, role=Role.FACHKRAFT)
    with in_tenant(kit.b.tenant):
        assert not Membership.objects.filter(pk=member.pk).exists()
    other = kit.b.client()
    html = other.get("/team/").content.decode()
    assert "koeln.example" not in html
    for path in ("", "entfernen/", "eingeladen/", "neuer-link/"):
        assert other.post(f"/team/{member.pk}/{path}", {"role": Role.LESEND}).status_code == 404
        if path != "neuer-link/":
            assert other.get(f"/team/{member.pk}/{path}").status_code == 404
    with in_tenant(kit.a.tenant):
        assert Membership.objects.get(pk=member.pk).role == Role.FACHKRAFT
        assert User.objects.get(pk=member.user_id).is_active
