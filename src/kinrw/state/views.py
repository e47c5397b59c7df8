from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from kinrw.tenancy.selectors import tenant_counts


def home(request: HttpRequest) -> HttpResponse:
    access = getattr(request.user, "land_access", None) if request.user.is_authenticated else None
    context = {"counts": tenant_counts(), "access": access} if access is not None else {}
    return render(request, "state/home.html", context)
