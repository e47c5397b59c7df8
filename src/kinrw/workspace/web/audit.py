"""The audit trail (KI-Leitung only): who changed what, when. Read-only: entries never change."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal, InvalidOperation
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import ForeignObjectRel, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from kinrw.accounts.models import User
from kinrw.catalogue.models import Programme
from kinrw.workspace import selectors_admin
from kinrw.workspace.models import AuditAction, AuditEntry
from kinrw.workspace.roles import Area
from kinrw.workspace.web.admin_forms import AuditRangeForm
from kinrw.workspace.web.base import area_view
from kinrw.workspace.web.listing import Column, Filter, list_response

# names in ``changes`` that are no model field (sessions record these)
EXTRA_LABELS = {"counts": _("Zahlen"), "series": _("Terminserie"), "password": _("Passwort")}
SYSTEM = "system"  # the account filter's value for changes without an account


class Changes:
    """Turns an entry's ``changes`` into German rows: (field label, before, after).

    Accounts and programmes show by name (each loaded once per page, however many
    rows); other linked records by their number.
    """

    @cached_property
    def _accounts(self) -> dict[int, str]:
        return selectors_admin.account_names()

    @cached_property
    def _programmes(self) -> dict[int, str]:
        return selectors_admin.programme_names()

    def rows(self, entry: AuditEntry) -> list[tuple[str, str, str]]:
        try:
            model: type[models.Model] | None = apps.get_model(entry.object_type)
        except (LookupError, ValueError):
            model = None
        out = []
        changes = entry.changes if isinstance(entry.changes, dict) else {}
        for name, pair in changes.items():
            before, after = pair if isinstance(pair, list) and len(pair) == 2 else (None, pair)
            field = self._field(model, name)
            label = capfirst(str(field.verbose_name if field else EXTRA_LABELS.get(name, name)))
            old, new = self._shown(field, before), self._shown(field, after)
            if old != new:  # e.g. fields left empty when a record was made
                out.append((label, old, new))
        return out

    def summary(self, entry: AuditEntry) -> str:
        return "; ".join(f"{label}: {old} → {new}" for label, old, new in self.rows(entry))

    @staticmethod
    def _field(model: type[models.Model] | None, name: str) -> Any:
        if model is None:
            return None
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            return None
        # a reverse relation (e.g. a session's counts) has no German name of its own
        return None if isinstance(field, ForeignObjectRel) else field

    def _shown(self, field: Any, value: Any) -> str:
        """History is free-form JSON written over years: never fail on an odd value."""
        try:
            return self.value(field, value)
        except (TypeError, ValueError, AttributeError, KeyError):
            return str(value)

    def value(self, field: Any, value: Any) -> str:
        if value is None or value == "" or value == []:
            return "–"
        if isinstance(value, list):
            return ", ".join(self.value(field, v) for v in value)
        if isinstance(value, dict):
            return ", ".join(f"{k}: {v}" for k, v in value.items()) or "–"
        if isinstance(value, bool):
            return _g("ja") if value else _g("nein")
        if field is None:
            return str(value) if not isinstance(value, dict | list) else json.dumps(value)
        if field.choices:
            return str(dict(field.flatchoices).get(value, value))
        if field.is_relation and field.related_model is not None:
            return self._related(field.related_model, value)
        return self._typed(field, value)

    def _related(self, model: type[models.Model], pk: Any) -> str:
        names = self._accounts if issubclass(model, User) else None
        if issubclass(model, Programme):
            names = self._programmes
        if names is not None and pk in names:
            return names[pk]
        return _g("Nr. %(pk)s") % {"pk": pk}

    @staticmethod
    def _typed(field: Any, value: Any) -> str:
        try:
            if isinstance(field, models.DecimalField):
                return formats.number_format(
                    Decimal(str(value)), field.decimal_places, use_l10n=True, force_grouping=True
                )
            if isinstance(field, models.DateTimeField):
                moment = timezone.localtime(dt.datetime.fromisoformat(str(value)))
                return moment.strftime("%d.%m.%Y %H:%M")
            if isinstance(field, models.DateField):
                return dt.date.fromisoformat(str(value)).strftime("%d.%m.%Y")
            if isinstance(field, models.TimeField):
                return dt.time.fromisoformat(str(value)).strftime("%H:%M")
        except (ValueError, InvalidOperation, TypeError):
            pass
        return str(value)


def _filters(request: HttpRequest, range_form: AuditRangeForm) -> list[Filter]:
    def actors() -> list[tuple[str, str]]:
        found = [(str(u.pk), str(u)) for u in selectors_admin.audit_actors()]
        return [*found, (SYSTEM, _g("System (ohne Konto)"))]

    def by_actor(qs: QuerySet[AuditEntry], v: str) -> QuerySet[AuditEntry]:
        return qs.filter(actor__isnull=True) if v == SYSTEM else qs.filter(actor_id=int(v))

    found = [
        Filter(
            "aktion", _("Aktion"), lambda: AuditAction.choices, lambda qs, v: qs.filter(action=v)
        ),
        Filter(
            "art",
            _("Art des Eintrags"),
            selectors_admin.audit_object_types,
            lambda qs, v: qs.filter(object_type=v),
        ),
        Filter("konto", _("Konto"), actors, by_actor),
    ]
    # the date range counts as a filter (reset link, "nothing matches"), rendered as dates
    data = range_form.cleaned_data if range_form.is_valid() else {}
    for name, lookup in (("von", "created_at__date__gte"), ("bis", "created_at__date__lte")):
        day = data.get(name)
        if day:
            raw = request.GET.get(name, "")
            found.append(
                Filter(
                    name,
                    "",
                    lambda raw=raw: [(raw, raw)],
                    lambda qs, v, d=day, k=lookup: qs.filter(**{k: d}),
                )
            )
    return found


@area_view(Area.AUDIT)
@require_safe
def audit_list(request: HttpRequest) -> HttpResponse:
    changes = Changes()
    range_form = AuditRangeForm(request.GET or None, auto_id="audit-%s")
    columns = [
        Column(
            "zeitpunkt",
            _("Zeitpunkt"),
            lambda e: timezone.localtime(e.created_at),
            sort="created_at",
            link=lambda e: reverse("ws:audit_detail", args=[e.pk]),
        ),
        Column("konto", _("Geändert von"), lambda e: e.actor_label, sort="actor_label"),
        Column("aktion", _("Aktion"), lambda e: e.get_action_display(), sort="action"),
        Column(
            "art",
            _("Art des Eintrags"),
            lambda e: selectors_admin.object_type_name(e.object_type),
            sort="object_type",
        ),
        Column("nummer", _("Nummer"), lambda e: e.object_id, sort="object_id"),
        Column("aenderungen", _("Änderungen"), changes.summary),
    ]
    return list_response(
        request,
        queryset=selectors_admin.audit_entries(),
        title=_("Änderungsprotokoll"),
        columns=columns,
        filters=_filters(request, range_form),
        search=lambda qs, term: qs.filter(actor_label__icontains=term),
        search_label=_("Geändert von (Name oder E-Mail) enthält"),
        default_sort="-zeitpunkt",
        template="workspace/audit/list.html",
        export_name="aenderungsprotokoll",
        empty_text=_(
            "Noch keine Änderungen. Sobald jemand im Arbeitsbereich etwas anlegt, ändert "
            "oder löscht, steht es hier."
        ),
        context={"range_form": range_form},
    )


@area_view(Area.AUDIT)
@require_safe
def audit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_object_or_404(selectors_admin.audit_entries(), pk=pk)
    context = {
        "entry": entry,
        "type_name": selectors_admin.object_type_name(entry.object_type),
        "rows": Changes().rows(entry),
    }
    return render(request, "workspace/audit/detail.html", context)
