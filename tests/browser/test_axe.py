"""Accessibility of the main pages in a real browser: axe-core (WCAG 2.1 A and AA) finds no
serious or critical violation, and the skip link is the keyboard's first stop.

Pages being added (lists, forms, details, the month grid, the import page) get one line
in PAGES: the URL name, how to fill in its kwargs from the committed records of KI A
(``site.records[Model]``, see tests/workspace/records.py), and who is signed in.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.db import models
from django.urls import reverse
from django.utils import timezone

from kinrw.workspace.models import (
    AuditEntry,
    CooperationAgreement,
    Document,
    Gremium,
    GremiumMeeting,
    Measure,
    Membership,
    Organisation,
    Session,
)
from tests.browser.conftest import CLOSED_YEAR, Site, login

pytestmark = pytest.mark.slow

Kwargs = Callable[[Site], dict[str, object]]


@dataclass(frozen=True)
class Case:
    name: str  # URL name (on the KI host: kinrw.conf.urls_tenant, on the Land host: urls_public)
    kwargs: Kwargs = field(default=lambda site: {})
    user: str | None = "leitung"  # leitung, fachkraft, ohne_rolle, land, or None (signed out)
    land: bool = False  # on the Land host instead of KI A's (Köln)
    status: int = 200
    query: str = ""
    skip_link: bool = True  # pages on base.html have one; the bare error pages do not
    ready: str = ""  # CSS selector of what a script renders: wait for it before checking
    known: frozenset[str] = frozenset()  # axe rule ids tolerated for now (say why at the case)
    submit: bool = False  # send the page's form empty first: check the page with its errors

    @property
    def id(self) -> str:
        what = f"{self.name}-{self.user or 'anonym'}{self.query}{'-fehler' if self.submit else ''}"
        return f"{'land' if self.land else 'ki'}-{what}"


def pk(model: type[models.Model], kwarg: str = "pk", **extra: object) -> Kwargs:
    """Kwargs with the pk of KI A's committed record of ``model`` (tests/workspace/records.py)."""
    return lambda site: {kwarg: site.records[model].pk, **extra}


TODAY = timezone.localdate()
PAGES = [
    Case("accounts:login", user=None),
    Case("accounts:login", user=None, submit=True),
    Case("accounts:set_password", kwargs=lambda site: site.invite_kwargs, user=None),
    Case("home"),
    Case("home", query="?jahr=2020"),
    Case("home", user="fachkraft"),
    Case("home", user="ohne_rolle", status=403),
    Case("accounts:login", user=None, land=True),
    Case("home", user="land", land=True),
    Case("state_map", user="land", land=True),
    Case("state_dashboard", user="land", land=True, query="?bezug=einwohner"),
    Case("state_ki", kwargs=lambda site: {"slug": "koeln"}, user="land", land=True),
    Case("state_programme", kwargs=lambda site: {"code": "griffbereit"}, user="land", land=True),
    Case("state_periods", user="land", land=True),
    Case("state_period_close", kwargs=lambda site: {"year": 2025}, user="land", land=True),
    Case(
        "state_period_revisions", kwargs=lambda site: {"year": CLOSED_YEAR}, user="land", land=True
    ),
    # measures, sessions, the month grid
    Case("ws:measure_list"),
    Case("ws:measure_list", query="?status=laufend&sort=-titel&q=Gruppe"),
    Case("ws:measure_create"),
    Case("ws:measure_create", submit=True),
    Case("ws:measure_detail", pk(Measure)),
    Case("ws:measure_update", pk(Measure)),
    Case("ws:measure_delete", pk(Measure)),
    Case("ws:measure_month", pk(Measure, year=TODAY.year, month=TODAY.month)),
    Case("ws:session_list"),
    Case("ws:session_create", pk(Measure, "measure_pk")),
    Case("ws:session_create", pk(Measure, "measure_pk"), submit=True),
    Case("ws:session_series", pk(Measure, "measure_pk")),
    Case("ws:session_detail", pk(Session)),
    Case("ws:session_update", pk(Session)),
    # partners and networks
    Case("ws:organisation_list"),
    Case("ws:organisation_create"),
    Case("ws:organisation_create", submit=True),
    Case("ws:organisation_detail", pk(Organisation)),
    Case("ws:organisation_update", pk(Organisation)),
    Case("ws:contact_create", pk(Organisation, "organisation_pk")),
    Case("ws:agreement_list"),
    Case("ws:agreement_create", pk(Organisation, "organisation_pk")),
    Case("ws:gremium_list"),
    Case("ws:gremium_create"),
    Case("ws:gremium_detail", pk(Gremium)),
    Case("ws:meeting_create", pk(Gremium, "gremium_pk")),
    Case(
        "ws:agreement_detail",
        lambda site: {
            "organisation_pk": site.records[Organisation].pk,
            "pk": site.records[CooperationAgreement].pk,
        },
    ),
    Case(
        "ws:meeting_detail",
        lambda site: {
            "gremium_pk": site.records[Gremium].pk,
            "pk": site.records[GremiumMeeting].pk,
        },
    ),
    # documents: the upload page with its error, the delete confirmation
    Case("ws:measure_document_upload", pk(Measure, "measure_pk"), submit=True),
    Case("ws:document_delete", pk(Document)),
    # programmes, team, audit trail, import, API docs
    Case("ws:enrolment_list"),
    Case("ws:enrolment_create"),
    Case("ws:programme_catalogue"),
    Case("ws:staff_list"),
    Case("ws:staff_invite"),
    Case("ws:staff_invite", submit=True),
    Case("ws:staff_update", pk(Membership)),
    Case("ws:audit_list"),
    Case("ws:audit_detail", pk(AuditEntry)),
    Case("ws:session_import"),
    # Swagger UI's own page (no base.html): its colours and its buttons with links inside fail
    # WCAG AA; fix by our own stylesheet / another renderer, then drop `known`.
    Case(
        "api:docs",
        skip_link=False,
        ready="#swagger-ui .info",
        known=frozenset({"color-contrast", "nested-interactive"}),
    ),
]

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = {"serious", "critical"}


def _open(page: Any, site: Site, case: Case) -> None:
    kit = site.kit
    host = kit.land_host if case.land else kit.a.host
    email = {
        None: None,
        "leitung": kit.a.admin_email,
        "fachkraft": kit.a.staff_email,
        "ohne_rolle": site.no_role_email,
        "land": kit.land_email,
    }[case.user]
    if email is not None:
        login(page, site, host, email)
    urlconf = "kinrw.conf.urls_public" if case.land else "kinrw.conf.urls_tenant"
    path = reverse(case.name, kwargs=case.kwargs(site), urlconf=urlconf) + case.query
    response = page.goto(site.url(host, path))
    status = response.status if response is not None else None
    assert status == case.status, f"{path}: {status}, want {case.status}\n{site.log_tail()}"
    if case.submit:  # the server's error page, also where the browser would check first
        form = page.locator("main form[method=post]").first
        form.evaluate("form => { form.noValidate = true; }")
        with page.expect_navigation():
            form.locator("button[type=submit]").first.click()
        assert page.locator(".errorlist, .message--error, [aria-invalid=true]").count(), (
            f"{path}: the empty form was accepted; pick a form that refuses empty input"
        )
    if case.ready:
        page.wait_for_selector(case.ready)
    styled = (
        "[...document.styleSheets].every(s => s.cssRules.length > 0) && document.styleSheets.length"
    )
    assert page.evaluate(styled), f"{path}: the stylesheet did not load (contrast unchecked)"


def _report(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        lines.append(f"[{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"][:5]:
            lines.append(f"    {', '.join(map(str, node['target']))}: {node['html'][:160]}")
            lines.extend(f"      - {check['message']}" for check in node.get("any", []))
    return "\n".join(lines)


def _axe(page: Any) -> list[dict[str, Any]]:
    options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
    results = Axe().run(page, options=options).response
    assert results["passes"], "axe-core checked nothing on this page"
    return list(results["violations"])


def _keyboard_problems(page: Any) -> list[str]:
    """The skip link is the first Tab stop, shows up with a focus outline and moves the
    focus to the content (#inhalt)."""
    # A form's autofocus (login) moves the start: put it back at the top of the page first.
    page.evaluate(
        "(() => { if (document.activeElement === document.body) return;"
        " const top = document.documentElement; top.tabIndex = -1; top.focus();"
        " top.removeAttribute('tabindex'); })()"
    )
    page.keyboard.press("Tab")
    focused = page.evaluate(
        "(() => { const e = document.activeElement, r = e.getBoundingClientRect();"
        " return {cls: e.className, text: e.textContent.trim(), visible: r.width > 0"
        " && r.height > 0 && r.left >= 0 && r.top >= 0, outline: getComputedStyle(e).outlineStyle};"
        " })()"
    )
    if focused["cls"] != "skip-link" or focused["text"] != "Zum Inhalt springen":
        return [f"the first Tab stop is {focused}, not the skip link „Zum Inhalt springen“"]
    problems = []
    if not focused["visible"] or focused["outline"] == "none":
        problems.append(f"the focused skip link is not visible with a focus outline: {focused}")
    page.keyboard.press("Enter")
    if page.evaluate("document.activeElement.id") != "inhalt":
        problems.append("Enter on the skip link does not move the focus to #inhalt")
    return problems


@pytest.mark.parametrize("case", PAGES, ids=lambda c: c.id)
def test_page_is_accessible(page: Any, site: Site, case: Case) -> None:
    blocked: list[str] = []  # what the Content-Security-Policy refused (ADR 0013)
    page.on(
        "console", lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None
    )
    _open(page, site, case)
    problems = _keyboard_problems(page) if case.skip_link else []
    if blocked:
        problems.append("the Content-Security-Policy blocked:\n" + "\n".join(blocked))
    violations = _axe(page)  # after the keyboard check: the shown skip link is checked too
    blocking = [v for v in violations if v["impact"] in BLOCKING and v["id"] not in case.known]
    fixed = case.known - {v["id"] for v in violations}
    if fixed:
        problems.append(f"{sorted(fixed)} no longer fail: drop them from `known`")
    if blocking:
        problems.append(f"axe-core (WCAG 2.1 A/AA), serious or critical:\n{_report(blocking)}")
    elif violations:
        print(_report(violations))  # minor, moderate and known ones, for whoever looks
    assert not problems, f"{page.url}:\n" + "\n".join(problems)


def test_the_checks_catch_what_they_should(page: Any) -> None:
    """A page with known faults: unreadable text, an input without label, no skip link."""
    page.set_content(
        '<html lang="de"><head><title>x</title></head><body><a href="/">Start</a><main>'
        '<p style="color:#bbb;background:#fff">kaum lesbar</p><input type="text">'
        "</main></body></html>"
    )
    assert _keyboard_problems(page)
    found = {v["id"]: v["impact"] for v in _axe(page)}
    assert found.get("color-contrast") == "serious" and found.get("label") == "critical", found
