"""Form and delete pages shared by partners and Gremien: one way to show, save and confirm.

A form page shows the form on GET; on POST it validates, runs the service
(its German error lands at the field), and on success redirects with a
message (PRG). A delete page shows what goes and what stays; POST deletes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _g

from kinrw.workspace.services import WorkspaceError
from kinrw.workspace.web.base import call_service

FORM_TEMPLATE = "workspace/partners/form.html"
DELETE_TEMPLATE = "workspace/partners/confirm_delete.html"


def bound(request: HttpRequest) -> dict[str, Any] | None:
    """The POST data for a form, or None (unbound) on GET."""
    return request.POST if request.method == "POST" else None  # type: ignore[return-value]


def initial_of(obj: Any, names: Sequence[str]) -> dict[str, Any]:
    """A record's current values as a form's initial data (many-to-many as lists)."""
    values: dict[str, Any] = {}
    for name in names:
        if obj._meta.get_field(name).many_to_many:
            values[name] = list(getattr(obj, name).all())
        else:
            values[name] = getattr(obj, name)
    return values


def dropped_note(organisations: Sequence[Any]) -> str | None:
    """Deleted organisations in a member or participant list: saving removes them (the
    services accept only organisations that are not deleted); the form says so."""
    gone = [o.name for o in organisations if o.is_deleted]
    if not gone:
        return None
    return _g(
        "Gelöscht und darum nicht mehr auswählbar: %(names)s. Beim Speichern werden sie "
        "aus der Liste entfernt."
    ) % {"names": ", ".join(f"„{name}“" for name in gone)}


def form_page(
    request: HttpRequest,
    form: forms.Form,
    *,
    service: Callable[..., Any],
    service_kwargs: dict[str, Any] | None = None,
    success: Callable[[Any], str],
    next_url: Callable[[Any], str],
    context: dict[str, Any],
) -> HttpResponse:
    """Show ``form``; on a valid POST call ``service(actor=…, **cleaned_data, **kwargs)``.

    ``context`` needs ``title``, ``submit_label`` and ``cancel_url`` (and may add ``intro``).
    """
    if request.method == "POST" and form.is_valid():
        kwargs = {"actor": request.user, **(service_kwargs or {}), **form.cleaned_data}
        obj = call_service(form, service, **kwargs)
        if not form.errors:
            messages.success(request, success(obj))
            return redirect(next_url(obj))
    return render(request, FORM_TEMPLATE, {"form": form, **context})


def delete_page(
    request: HttpRequest,
    *,
    delete: Callable[[], None],
    success: str,
    next_url: str,
    context: dict[str, Any],
) -> HttpResponse:
    """GET: confirmation; POST: ``delete()``, message, redirect; a refusal shows its message.

    ``context`` needs ``title``, ``what`` (the object's name), ``consequences`` (list of
    sentences) and ``cancel_url``; ``blocked`` (a sentence) hides the delete button.
    """
    error = None
    if request.method == "POST":
        try:
            delete()
        except WorkspaceError as exc:
            error = exc.message
        else:
            messages.success(request, success)
            return redirect(next_url)
    return render(request, DELETE_TEMPLATE, {"error": error, **context})
