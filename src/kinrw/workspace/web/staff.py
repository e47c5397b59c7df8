"""The KI's team (KI-Leitung only): members and roles, invitations, removal."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib import messages
from django.core.mail import send_mail
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from kinrw.accounts.models import User
from kinrw.accounts.services import set_password_link
from kinrw.tenancy.onboarding import primary_domain
from kinrw.workspace import selectors_admin
from kinrw.workspace.models import Membership, Role
from kinrw.workspace.roles import Action, Area
from kinrw.workspace.services import WorkspaceError, membership_set
from kinrw.workspace.services.staff import member_deactivate, member_invite
from kinrw.workspace.web.admin_forms import InviteForm, RoleForm
from kinrw.workspace.web.base import area_view, call_service
from kinrw.workspace.web.listing import Column, Filter, list_response

log = logging.getLogger(__name__)
SESSION_KEY = "kinrw_invite_link"  # the one-time link, shown once on the next page


def _status(m: Membership) -> str:
    return str(_("aktiv") if m.user.has_usable_password() else _("Einladung offen"))


COLUMNS = [
    Column(
        "name",
        _("Name"),
        lambda m: m.user.full_name or m.user.email,
        sort="user__full_name",
        link=lambda m: reverse("ws:staff_update", args=[m.pk]),
    ),
    Column("email", _("E-Mail-Adresse"), lambda m: m.user.email, sort="user__email"),
    Column("rolle", _("Rolle"), lambda m: m.get_role_display(), sort="role"),
    Column("status", _("Status"), _status),
    Column(
        "seit", _("Im Team seit"), lambda m: timezone.localtime(m.created_at).date(), "created_at"
    ),
]

FILTERS = [Filter("rolle", _("Rolle"), lambda: Role.choices, lambda qs, v: qs.filter(role=v))]


def _search(qs: QuerySet[Membership], term: str) -> QuerySet[Membership]:
    return qs.filter(Q(user__full_name__icontains=term) | Q(user__email__icontains=term))


@area_view(Area.STAFF)
def staff_list(request: HttpRequest) -> HttpResponse:
    return list_response(
        request,
        queryset=selectors_admin.members(),
        title=_("Team"),
        columns=COLUMNS,
        filters=FILTERS,
        search=_search,
        search_label=_("Name oder E-Mail-Adresse enthält"),
        default_sort="name",
        template="workspace/staff/list.html",
        export_name="team",
        empty_text=_("Noch niemand im Team. Laden Sie Ihre Kolleginnen und Kollegen ein."),
    )


def _mail_configured() -> bool:
    """Only when the deployment set up mail; otherwise the link is passed on by hand."""
    return bool(settings.KINRW_EMAIL_CONFIGURED)  # EMAIL_URL is set


def _send_link(request: HttpRequest, user: User, link: str) -> bool:
    if not _mail_configured():
        return False
    ki = getattr(request, "tenant", None)
    body = _g(
        "Guten Tag,\n\nSie haben ein Konto für %(ki)s auf der KI-Plattform NRW. Bitte setzen "
        "Sie Ihr Passwort über diesen Link (er gilt einmal und nur für kurze Zeit):\n\n%(link)s"
        "\n\nWenn Sie damit nicht gerechnet haben, antworten Sie bitte nicht und wenden Sie "
        "sich an Ihr Kommunales Integrationszentrum."
    ) % {"ki": getattr(ki, "name", ""), "link": link}
    try:
        send_mail(_g("Ihr Konto auf der KI-Plattform NRW"), body, None, [user.email])
    except Exception as exc:  # the link is shown anyway; the page says the mail failed
        # no traceback: SMTP errors carry the recipient's address (no personal data in logs)
        log.warning("invitation mail could not be sent: %s", type(exc).__name__)
        return False
    return True


def _hand_out_link(request: HttpRequest, membership: Membership) -> HttpResponse:
    link = set_password_link(user=membership.user, host=primary_domain(request.tenant) or "")  # type: ignore[attr-defined]
    mailed = _send_link(request, membership.user, link)
    request.session[SESSION_KEY] = {"pk": membership.pk, "link": link, "mailed": mailed}
    return redirect("ws:staff_invited", pk=membership.pk)


@area_view(Area.STAFF, Action.WRITE)
def staff_invite(request: HttpRequest) -> HttpResponse:
    form = InviteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        membership = call_service(form, member_invite, actor=request.user, **form.cleaned_data)
        if membership is not None:
            messages.success(
                request,
                _g("%(name)s ist als %(role)s im Team.")
                % {"name": membership.user, "role": membership.get_role_display()},
            )
            return _hand_out_link(request, membership)
    return render(request, "workspace/staff/invite.html", {"form": form})


@area_view(Area.STAFF, Action.WRITE)
def staff_invited(request: HttpRequest, pk: int) -> HttpResponse:
    """The one-time link, once; a reload shows how to get a new one instead."""
    membership = get_object_or_404(selectors_admin.members(), pk=pk)
    shown = request.session.get(SESSION_KEY)
    if shown and shown.get("pk") == membership.pk:
        del request.session[SESSION_KEY]
    else:
        shown = None
    return render(request, "workspace/staff/invited.html", {"m": membership, "shown": shown})


@area_view(Area.STAFF, Action.WRITE)
@require_POST
def staff_relink(request: HttpRequest, pk: int) -> HttpResponse:
    """A new set-password link for an account that has not set its password yet."""
    membership = get_object_or_404(selectors_admin.members(), pk=pk)
    if membership.user.has_usable_password():
        messages.error(
            request,
            _g(
                "Dieses Konto hat schon ein Passwort. Hat die Person es vergessen, entfernen Sie "
                "sie aus dem Team und laden Sie sie mit derselben E-Mail-Adresse neu ein."
            ),
        )
        return redirect("ws:staff_update", pk=membership.pk)
    return _hand_out_link(request, membership)


@area_view(Area.STAFF, Action.WRITE)
def staff_update(request: HttpRequest, pk: int) -> HttpResponse:
    """The member's page: details and their role (changing it is the only edit)."""
    membership = get_object_or_404(selectors_admin.members(), pk=pk)
    is_self = membership.user_id == request.user.pk
    if request.method == "POST":
        form = RoleForm(request.POST)
        if form.is_valid():
            role = form.cleaned_data["role"]
            call_service(form, membership_set, actor=request.user, user=membership.user, role=role)
            if not form.errors:
                membership.role = role
                messages.success(
                    request,
                    _g("%(name)s hat jetzt die Rolle %(role)s.")
                    % {"name": membership.user, "role": membership.get_role_display()},
                )
                if is_self and role != Role.LEITUNG:
                    return redirect("home")  # the team page is no longer theirs to see
                return redirect("ws:staff_list")
    else:
        form = RoleForm(initial={"role": membership.role})
    context = {"m": membership, "form": form, "is_self": is_self, "status": _status(membership)}
    return render(request, "workspace/staff/member.html", context)


@area_view(Area.STAFF, Action.WRITE)
def staff_delete(request: HttpRequest, pk: int) -> HttpResponse:
    membership = get_object_or_404(selectors_admin.members(), pk=pk)
    error = None
    if request.method == "POST":
        name = str(membership.user)
        try:
            member_deactivate(actor=request.user, membership=membership)  # type: ignore[arg-type]
        except WorkspaceError as exc:
            error = exc.message
        else:
            messages.success(
                request,
                _g("%(name)s gehört nicht mehr zum Team; das Konto ist gesperrt.") % {"name": name},
            )
            return redirect("ws:staff_list")
    is_self = membership.user_id == request.user.pk
    context = {"m": membership, "error": error, "is_self": is_self}
    return render(request, "workspace/staff/confirm_delete.html", context)
