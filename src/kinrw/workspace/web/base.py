"""Shared pieces of the workspace's pages: role-checked views and service calls from forms."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse

from kinrw.workspace.roles import Action, Area, can, require, role_of
from kinrw.workspace.services import WorkspaceError

V = TypeVar("V", bound=Callable[..., HttpResponse])
T = TypeVar("T")


def area_view(area: Area, action: Action = Action.READ) -> Callable[[V], V]:
    """Login required, then the role table: a German 403 page when the role does not allow it.

    Views that change data take the WRITE action for their area.
    """

    def decorate(view: V) -> V:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            require(request.user, action, area)  # type: ignore[arg-type]
            return view(request, *args, **kwargs)

        return login_required(wrapped)  # type: ignore[return-value]

    return decorate


def member_view(view: V) -> V:
    """Login required and any role in this KI (pages about the account itself)."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if role_of(request.user) is None:  # type: ignore[arg-type]
            require(request.user, Action.READ, Area.PROGRAMMES)  # type: ignore[arg-type]
        return view(request, *args, **kwargs)

    return login_required(wrapped)  # type: ignore[return-value]


def may_write(request: HttpRequest, area: Area) -> bool:
    return can(request.user, Action.WRITE, area)  # type: ignore[arg-type]


def call_service(form: forms.Form, service: Callable[..., T], **kwargs: Any) -> T | None:
    """Run a write service; its German error lands at the form field it names (or on top)."""
    try:
        return service(**kwargs)
    except WorkspaceError as exc:
        target = exc.field if exc.field in form.fields else None
        form.add_error(target, exc.message)
        return None
