"""Documents on the pages of measures, agreements and meetings: upload, download, delete.

Downloads check the KI (the schema of the host) and the account's role for the owner's
area, then redirect to a presigned S3 URL valid for ``KINRW_DOCUMENT_URL_SECONDS``, or
stream the file from local disk after the same checks.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Model
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from kinrw.workspace import services
from kinrw.workspace.documents import filetypes
from kinrw.workspace.documents.selectors import area_of, document_get, documents_of
from kinrw.workspace.documents.storage import DocumentStorageError, for_current_tenant
from kinrw.workspace.models import CooperationAgreement, Document, GremiumMeeting, Measure
from kinrw.workspace.roles import Action, Area, require
from kinrw.workspace.web.base import area_view, call_service, may_write
from kinrw.workspace.web.forms import WorkspaceForm
from kinrw.workspace.web.partner_pages import delete_page


def _max_mb() -> str:
    return f"{settings.KINRW_DOCUMENT_MAX_BYTES / 1024 / 1024:g}".replace(".", ",")


class DocumentForm(WorkspaceForm):
    file = forms.FileField(
        label=_("Datei"),
        widget=forms.ClearableFileInput(attrs={"accept": filetypes.ACCEPT}),
        error_messages={"required": _("Bitte eine Datei auswählen.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _g(
            "PDF, Bilder (PNG, JPEG), Word/Excel (DOCX, XLSX), OpenDocument (ODT, ODS), "
            "TXT oder CSV; höchstens %(max)s MB."
        ) % {"max": _max_mb()}
        self._describe()


def owner_url(owner: Model) -> str:
    if isinstance(owner, Measure):
        return reverse("ws:measure_detail", args=[owner.pk])
    if isinstance(owner, CooperationAgreement):
        return reverse("ws:agreement_detail", args=[owner.organisation_id, owner.pk])
    assert isinstance(owner, GremiumMeeting)
    return reverse("ws:meeting_detail", args=[owner.gremium_id, owner.pk])


def owner_label(owner: Model) -> str:
    if isinstance(owner, Measure):
        return _g("Maßnahme „%(title)s“") % {"title": owner.title}
    if isinstance(owner, CooperationAgreement):
        return _g("%(kind)s mit „%(name)s“") % {
            "kind": owner.get_kind_display(),
            "name": owner.organisation.name,
        }
    assert isinstance(owner, GremiumMeeting)
    return _g("Sitzung am %(date)s: %(name)s") % {
        "date": f"{owner.held_on:%d.%m.%Y}",
        "name": owner.gremium.name,
    }


def section_context(request: HttpRequest, owner: Model, upload_url: str) -> dict[str, Any]:
    """What ``workspace/documents/section.html`` needs on an owner's detail page."""
    area = Area.MEASURES if isinstance(owner, Measure) else Area.PARTNERS
    return {
        "documents": documents_of(owner=owner),
        "document_form": DocumentForm(),
        "document_upload_url": upload_url,
        "can_write_documents": may_write(request, area),
    }


def _upload(request: HttpRequest, owner: Model) -> HttpResponse:
    back = owner_url(owner) + "#dokumente"
    form = DocumentForm(request.POST, request.FILES) if request.method == "POST" else DocumentForm()
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        document = call_service(
            form, services.document_upload, actor=request.user, owner=owner, file=upload
        )
        if document is not None:
            messages.success(
                request,
                _g("Das Dokument „%(name)s“ ist hochgeladen.") % {"name": document.original_name},
            )
            return redirect(back)
    return render(
        request,
        "workspace/documents/upload.html",
        {"form": form, "subject": owner_label(owner), "cancel_url": back},
    )


@area_view(Area.MEASURES, Action.WRITE)
def measure_document_upload(request: HttpRequest, measure_pk: int) -> HttpResponse:
    measure = get_object_or_404(Measure, pk=measure_pk, is_deleted=False)
    return _upload(request, measure)


@area_view(Area.PARTNERS, Action.WRITE)
def agreement_document_upload(
    request: HttpRequest, organisation_pk: int, agreement_pk: int
) -> HttpResponse:
    agreement = get_object_or_404(
        CooperationAgreement.objects.select_related("organisation"),
        pk=agreement_pk,
        organisation_id=organisation_pk,
        organisation__is_deleted=False,
    )
    return _upload(request, agreement)


@area_view(Area.PARTNERS, Action.WRITE)
def meeting_document_upload(request: HttpRequest, gremium_pk: int, meeting_pk: int) -> HttpResponse:
    meeting = get_object_or_404(
        GremiumMeeting.objects.select_related("gremium"), pk=meeting_pk, gremium_id=gremium_pk
    )
    return _upload(request, meeting)


def _document(request: HttpRequest, pk: int, action: Action) -> Document:
    """The document, if the account's role allows ``action`` on its owner's area and its
    key lies under this KI's prefix (a row pointing elsewhere is treated as missing)."""
    document = document_get(pk=pk)
    require(request.user, action, area_of(document))  # type: ignore[arg-type]
    try:
        for_current_tenant().check(document.storage_key)
    except DocumentStorageError as exc:
        raise Http404 from exc
    return document


def download_response(document: Document) -> HttpResponse:
    """A redirect to a presigned S3 URL, or the file from local disk; 404 for a key outside
    this KI's prefix or a file that is gone. The caller has checked the rights."""
    files = for_current_tenant()
    try:
        if files.is_s3:
            url = files.download_url(
                document.storage_key,
                filename=document.original_name,
                content_type=document.content_type,
            )
            response: HttpResponse = HttpResponseRedirect(url)
        else:
            response = FileResponse(
                files.open(document.storage_key),
                as_attachment=True,
                filename=document.original_name,
                content_type=document.content_type,
            )
    except (DocumentStorageError, FileNotFoundError) as exc:
        raise Http404 from exc
    add_never_cache_headers(response)
    return response


@require_safe
@login_required
def document_download(request: HttpRequest, pk: int) -> HttpResponse:
    return download_response(_document(request, pk, Action.READ))


@login_required
def document_delete(request: HttpRequest, pk: int) -> HttpResponse:
    document = _document(request, pk, Action.WRITE)
    back = owner_url(document.owner) + "#dokumente"
    return delete_page(
        request,
        delete=lambda: services.document_delete(actor=request.user, document=document),  # type: ignore[arg-type]
        success=_g("Das Dokument „%(name)s“ ist gelöscht.") % {"name": document.original_name},
        next_url=back,
        context={
            "title": _("Dokument löschen"),
            "what": document.original_name,
            "consequences": [
                _g("Die Datei wird endgültig gelöscht; das Änderungsprotokoll behält ihren Namen."),
            ],
            "cancel_url": back,
        },
    )
