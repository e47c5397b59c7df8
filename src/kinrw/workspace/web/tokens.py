"""The signed-in account's own API keys: list, create (key shown once), revoke."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from kinrw.workspace.models import ApiToken
from kinrw.workspace.services import api_token_create, api_token_revoke
from kinrw.workspace.web.base import call_service, member_view
from kinrw.workspace.web.forms import WorkspaceForm

SHOWN_KEY = "kinrw_new_api_key"  # session: the new key, shown once on the next page
VALIDITY = [
    ("90", _("90 Tage")),
    ("365", _("ein Jahr")),
    ("30", _("30 Tage")),
    ("", _("unbegrenzt (bis zum Widerruf)")),
]


class TokenForm(WorkspaceForm):
    name = forms.CharField(
        label=_("Bezeichnung"),
        max_length=100,
        help_text=_("Wofür der Schlüssel gebraucht wird, z. B. „Auswertung in Excel“."),
    )
    days = forms.ChoiceField(label=_("Gültig für"), choices=VALIDITY, required=False)


@member_view
def token_list(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        days = form.cleaned_data["days"]
        expires = timezone.now() + dt.timedelta(days=int(days)) if days else None
        made = call_service(
            form,
            api_token_create,
            actor=request.user,
            user=request.user,
            name=form.cleaned_data["name"],
            expires_at=expires,
        )
        if made is not None:
            request.session[SHOWN_KEY] = made[1]
            return redirect("ws:token_list")
    tokens = ApiToken.objects.filter(user_id=request.user.pk).order_by("-created_at")
    context = {
        "form": form,
        "tokens": tokens,
        "new_key": request.session.pop(SHOWN_KEY, None),
        "now": timezone.now(),
    }
    return render(request, "workspace/tokens/list.html", context)


@member_view
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user_id=request.user.pk, revoked_at__isnull=True)
    if request.method == "POST":
        api_token_revoke(actor=request.user, token=token)  # type: ignore[arg-type]
        messages.success(
            request, _g("Der Schlüssel „%(name)s“ ist widerrufen.") % {"name": token.name}
        )
        return redirect("ws:token_list")
    return render(request, "workspace/tokens/revoke.html", {"token": token})
