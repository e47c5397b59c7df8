"""Generic tenant isolation: every URL of a KI's host, also the ones added later.

Walks every pattern of ``kinrw.conf.urls_tenant`` (includes, API and all) and checks
that KI A's host never serves an object of KI B (404 for every method, B unchanged),
that the Land host serves no workspace URL, and that no page, API list or export of A
shows B's records. A new URL needs nothing here unless the walker cannot tell what its
kwargs are: then ``test_every_tenant_url_can_be_filled_in`` fails and says what to add
to the registry below.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib.auth.tokens import default_token_generator
from django.test import Client, override_settings
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from kinrw.accounts.models import User
from kinrw.tenancy.context import in_public, in_tenant
from kinrw.workspace.models import (
    ApiToken,
    AuditEntry,
    ContactPerson,
    CooperationAgreement,
    FiguresState,
    GremiumMeeting,
    Measure,
    Membership,
    Outbox,
    SessionCount,
)
from tests.kit import PASSWORD, Kit
from tests.workspace.records import Records, records_create
from tests.workspace.urlwalk import (
    Registry,
    body,
    foreign_object_failures,
    is_tenant,
    restart_sequences,
    routes,
    snapshot,
)

pytestmark = pytest.mark.django_db

# ---- the one place for what the walker cannot work out itself -----------------------------
REGISTRY = Registry(
    # URL name -> model of the page's <pk>. Needed only where the walker guesses wrong or not
    # at all: it reads `model` / `queryset.model` of class-based views and DRF viewsets, and
    # for function views takes the model the URL name starts with (ws:measure_detail ->
    # Measure, ws:contact_update -> "contact" in parent_models -> ContactPerson).
    view_models={},
    # Names (of `<x>_pk` kwargs and URL names' first words) that are not the model_name of a
    # workspace model.
    parent_models={
        "token": ApiToken,
        "staff": Membership,
        "member": Membership,
        "audit": AuditEntry,
        "meeting": GremiumMeeting,
        "contact": ContactPerson,
        "agreement": CooperationAgreement,
        "count": SessionCount,
        "user": User,
        "account": User,
    },
    # kwargs that are values, not objects, with the value to put in.
    value_kwargs={
        "year": timezone.localdate().year,
        "jahr": timezone.localdate().year,
        "month": 3,
        "monat": 3,
        "format": "json",  # DRF format suffixes
    },
    # URLs whose kwargs are no workspace objects, each with a test of its own below.
    own_tests={"accounts:set_password": "test_set_password_link_of_b_does_nothing_on_a"},
)
# ---------------------------------------------------------------------------------------------

URLCONF = "kinrw.conf.urls_tenant"
PUBLIC_URLCONF = "kinrw.conf.urls_public"
MARK_A, MARK_B = "IsoMarkKoeln4711", "IsoMarkBonn0815"  # ASCII: verbatim in HTML/JSON/CSV/XLSX
PK_FLOOR = 1_000_000  # B's sequences restart here: no pk of B exists in A


@pytest.fixture
def both(kit: Kit) -> tuple[Records, Records]:
    """Marked records of every workspace model in both KIs; B's pks are unknown to A, and
    the first record of each of B's tables has the same pk (PK_FLOOR)."""
    with in_tenant(kit.b.tenant):
        restart_sequences(kit.b.tenant.schema_name, PK_FLOOR, ["workspace", "accounts"])
        b = records_create(marker=MARK_B, amount=Decimal("81547.93"))
    with in_tenant(kit.a.tenant):
        a = records_create(marker=MARK_A, amount=Decimal("36912.57"))
        for obj in b.created:
            assert obj.pk >= PK_FLOOR, f"{obj!r} of B has pk {obj.pk}"
            assert not type(obj)._default_manager.filter(pk=obj.pk).exists(), (
                f"A has a {type(obj).__name__} with pk {obj.pk}: raise PK_FLOOR"
            )
    return a, b


def _client(kit: Kit) -> Client:
    client = kit.a.client()
    client.raise_request_exception = False  # list every failing URL, not just the first
    return client


def test_every_tenant_url_can_be_filled_in() -> None:
    found = routes(URLCONF)
    problems = [p for route in found for p in REGISTRY.problems(route)]
    assert not problems, "URLs the isolation test cannot fill in:\n" + "\n".join(problems)
    assert {"home", "accounts:login", "accounts:set_password"} <= {r.name for r in found}


def test_records_cover_every_workspace_model(both: tuple[Records, Records]) -> None:
    models = {m for m in apps.get_app_config("workspace").get_models() if is_tenant(m)}
    # the figures counter and the outbox are kept by the database; no page or API shows them
    missing = models - {type(obj) for obj in both[1].created} - {FiguresState, Outbox}
    assert not missing, f"add {sorted(m.__name__ for m in missing)} to tests/workspace/records.py"


def test_objects_of_b_are_not_found_on_a(kit: Kit, both: tuple[Records, Records]) -> None:
    _, b = both
    with in_tenant(kit.b.tenant):
        before = snapshot(b)
    failures = foreign_object_failures(_client(kit), URLCONF, REGISTRY, b)
    with in_tenant(kit.b.tenant):
        assert snapshot(b) == before, "a request on A's host changed B's records"
    assert not failures, "A's host answered for B's objects (want 404):\n" + "\n".join(failures)


def test_the_walker_catches_a_leak(kit: Kit, both: tuple[Records, Records]) -> None:
    _, b = both
    registry = Registry(
        view_models={"ignores_pk": Measure}, parent_models={}, value_kwargs={}, own_tests={}
    )
    with override_settings(ROOT_URLCONF="tests.workspace.urls_leaky"):
        failures = foreign_object_failures(_client(kit), "tests.workspace.urls_leaky", registry, b)
    measure = b[Measure].pk
    assert sorted(failures) == [
        f"GET /andere/{measure}/ (reads_other_schema [andere/<int:pk>/]): 200",
        f"GET /notizen/{measure}/ (measure_notes [notizen/<int:pk>/]): 200",
        f"GET /ohne-pruefung/{measure}/ (ignores_pk [ohne-pruefung/<int:pk>/]): 200",
        f"POST /notizen/{measure}/ (measure_notes [notizen/<int:pk>/]): 200",
        f"POST /ohne-pruefung/{measure}/ (ignores_pk [ohne-pruefung/<int:pk>/]): 200",
    ]


def test_set_password_link_of_b_does_nothing_on_a(kit: Kit, both: tuple[Records, Records]) -> None:
    _, b = both
    with in_tenant(kit.b.tenant):
        user = b[User]
        kwargs = {
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        }
    route = next(r for r in routes(URLCONF) if r.name == "accounts:set_password")
    path = route.path(kwargs, URLCONF)
    client = Client(HTTP_HOST=kit.a.host)
    page = client.get(path, follow=True)
    assert page.status_code in (200, 404) and b"new_password1" not in page.content
    new = {"new_password1": "Ganz-Neues-Passwort-2026", "new_password2": "Ganz-Neues-Passwort-2026"}
    client.post(page.redirect_chain[-1][0] if page.redirect_chain else path, new)
    with in_tenant(kit.b.tenant):
        assert User.objects.get(pk=user.pk).check_password(PASSWORD)


def test_land_host_serves_no_workspace_url(kit: Kit, both: tuple[Records, Records]) -> None:
    client = Client(HTTP_HOST=kit.land_host, raise_request_exception=False)
    with in_public():
        assert client.login(username=kit.land_email, password=PASSWORD)
    paths = {
        route.path(REGISTRY.kwargs(route, records), URLCONF)
        for route in REGISTRY.usable(URLCONF)
        for records in both
    }
    failures = []
    for path in sorted(paths):
        response = client.get(path)
        try:
            resolve(path, urlconf=PUBLIC_URLCONF)  # a Land page of its own: "/", /konto/…
            answered = response.status_code < 500
        except Resolver404:
            answered = response.status_code == 404
        text = body(response)
        if not answered or any(records.found_in(text) for records in both):
            failures.append(f"GET {path}: {response.status_code}")
    assert not failures, "the Land host answered a workspace URL:\n" + "\n".join(failures)


def test_pages_of_a_never_show_records_of_b(kit: Kit, both: tuple[Records, Records]) -> None:
    a, b = both
    client, failures, seen_a = _client(kit), [], []
    for route in REGISTRY.usable(URLCONF):
        if REGISTRY.has_objects(route):
            continue  # pages of one object: test_objects_of_b_are_not_found_on_a
        path = route.path(REGISTRY.kwargs(route, a), URLCONF)
        for query in ("", "?export=csv", "?export=xlsx"):
            response = client.get(path + query)
            text = body(response)
            if response.status_code >= 500 or b.found_in(text):
                failures.append(f"GET {path}{query} ({route.label}): {response.status_code}")
            if MARK_A.encode() in text:
                seen_a.append(path + query)
    assert not failures, "pages of A that show B's records or fail:\n" + "\n".join(failures)
    assert seen_a, "no page of A shows A's own records: the check above proves nothing"
