from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from kinrw.tenancy.selectors import tenant_counts


def home(request: HttpRequest) -> HttpResponse:
    context = {"counts": tenant_counts()} if request.user.is_authenticated else {}
    return render(request, "state/home.html", context)
