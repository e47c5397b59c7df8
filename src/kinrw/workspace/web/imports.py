"""Pages of the import of sessions: upload, preview with errors per row, confirm, template."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from kinrw.catalogue.models import Programme
from kinrw.core.export import export_response
from kinrw.workspace.imports.read import EXTENSIONS, MAX_BYTES
from kinrw.workspace.imports.selectors import recent_imports_of, session_imports_of
from kinrw.workspace.imports.template import template_table
from kinrw.workspace.models import ImportStatus, Measure
from kinrw.workspace.roles import Action, Area
from kinrw.workspace.services import WorkspaceError
from kinrw.workspace.services import session_import_confirm as confirm_service
from kinrw.workspace.services import session_import_discard as discard_service
from kinrw.workspace.services import session_import_prepare as prepare_service
from kinrw.workspace.web.base import area_view, call_service
from kinrw.workspace.web.forms import WorkspaceForm

PREVIEW_ROWS = 500  # more rows are imported, but not listed one by one
ACCEPT = ".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class UploadForm(WorkspaceForm):
    file = forms.FileField(
        label=_("Datei (CSV oder Excel)"),
        help_text=_(
            "Eine Zeile je Termin, höchstens 5 MB und 5.000 Zeilen. Es wird noch nichts "
            "gespeichert: Sie sehen zuerst eine Vorschau."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
        error_messages={"required": _("Bitte eine Datei auswählen.")},
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(EXTENSIONS):
            raise forms.ValidationError(
                _("Bitte eine CSV- oder Excel-Datei (.csv oder .xlsx) auswählen.")
            )
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                _("Die Datei ist größer als 5 MB. Bitte die Datei aufteilen (z. B. nach Monaten).")
            )
        return upload


def _programme_choices() -> list[tuple[str, str]]:
    choices = Programme.objects.filter(is_active=True).values_list("code", "name")
    return [("", _g("– Programm wählen –")), *choices]


class TemplateForm(WorkspaceForm):
    programm = forms.ChoiceField(label=_("Programm"), required=False)
    massnahme = forms.IntegerField(
        label=_("oder Nr. einer Maßnahme"),
        required=False,
        min_value=1,
        help_text=_("Die Vorlage enthält dann die schon angelegten Termine der Maßnahme."),
    )
    format = forms.ChoiceField(
        label=_("Dateiformat"),
        choices=[("xlsx", _("Excel (XLSX)")), ("csv", _("CSV (Semikolon)"))],
        initial="xlsx",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programm"].choices = _programme_choices()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("programm") and not data.get("massnahme"):
            self.add_error("programm", _("Bitte ein Programm oder die Nr. einer Maßnahme angeben."))
        return data


def _upload_page(
    request: HttpRequest, form: UploadForm, template_form: TemplateForm
) -> HttpResponse:
    return render(
        request,
        "workspace/imports/upload.html",
        {
            "form": form,
            "template_form": template_form,
            "recent": recent_imports_of(user=request.user),  # type: ignore[arg-type]
        },
    )


@area_view(Area.SESSIONS, Action.WRITE)
def session_import(request: HttpRequest) -> HttpResponse:
    form = UploadForm(request.POST, request.FILES) if request.method == "POST" else UploadForm()
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        draft = call_service(
            form,
            prepare_service,
            actor=request.user,
            file_name=upload.name,
            data=upload.read(),
        )
        if draft is not None:
            return redirect("ws:session_import_preview", pk=draft.pk)
    return _upload_page(request, form, TemplateForm())


@area_view(Area.SESSIONS, Action.WRITE)
def session_import_template(request: HttpRequest) -> HttpResponse:
    form = TemplateForm(request.GET)
    if not form.is_valid():
        return _upload_page(request, UploadForm(), form)
    measure = None
    if form.cleaned_data["massnahme"]:
        measure = get_object_or_404(
            Measure.objects.select_related("programme"),
            pk=form.cleaned_data["massnahme"],
            is_deleted=False,
        )
        programme, name = measure.programme, f"vorlage-massnahme-{measure.pk}"
    else:
        programme = get_object_or_404(Programme, code=form.cleaned_data["programm"], is_active=True)
        name = f"vorlage-{programme.code}"
    headers, rows = template_table(programme=programme, measure=measure)
    return export_response(fmt=form.cleaned_data["format"], name=name, headers=headers, rows=rows)


def _shown(row: dict[str, Any]) -> dict[str, Any]:
    return {**row, "date": dt.date.fromisoformat(row["date"])}


@area_view(Area.SESSIONS, Action.WRITE)
def session_import_preview(request: HttpRequest, pk: int) -> HttpResponse:
    draft = get_object_or_404(session_imports_of(user=request.user), pk=pk)  # type: ignore[arg-type]
    updates = sum(1 for row in draft.rows if row["session_id"])
    return render(
        request,
        "workspace/imports/preview.html",
        {
            "draft": draft,
            "rows": [_shown(row) for row in draft.rows[:PREVIEW_ROWS]],
            "hidden_rows": max(len(draft.rows) - PREVIEW_ROWS, 0),
            "new_count": len(draft.rows) - updates,
            "update_count": updates,
            "is_draft": draft.status == ImportStatus.DRAFT,
            "can_confirm": draft.status == ImportStatus.DRAFT and not draft.errors and draft.rows,
        },
    )


@area_view(Area.SESSIONS, Action.WRITE)
@require_POST
def session_import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    draft = get_object_or_404(session_imports_of(user=request.user), pk=pk)  # type: ignore[arg-type]
    try:
        outcome = confirm_service(actor=request.user, session_import=draft)
    except WorkspaceError as exc:
        messages.error(request, exc.message)
        return redirect("ws:session_import_preview", pk=draft.pk)
    if outcome.already_imported:
        messages.info(
            request, _g("Diese Datei ist schon importiert; es wurde nichts doppelt angelegt.")
        )
    else:
        messages.success(
            request,
            _g("Import abgeschlossen. Neue Termine: %(new)d, aktualisierte Termine: %(updated)d.")
            % {"new": outcome.created, "updated": outcome.updated},
        )
    return redirect("ws:session_import_preview", pk=draft.pk)


@area_view(Area.SESSIONS, Action.WRITE)
@require_POST
def session_import_discard(request: HttpRequest, pk: int) -> HttpResponse:
    draft = get_object_or_404(session_imports_of(user=request.user), pk=pk)  # type: ignore[arg-type]
    try:
        discard_service(actor=request.user, session_import=draft)
    except WorkspaceError as exc:
        messages.error(request, exc.message)
        return redirect("ws:session_import_preview", pk=draft.pk)
    messages.success(request, _g("Die Vorschau ist verworfen; es wurde nichts importiert."))
    return redirect("ws:session_import")
