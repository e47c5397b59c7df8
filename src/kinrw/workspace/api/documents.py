"""Documents attached to measures, agreements and meetings: list, upload, download, delete.

The role table applies per document: its owner's area (measures, or partners for
agreements and meetings). Downloads answer like the page ``/dokumente/<id>/``: a redirect
to a short-lived presigned URL on S3, or the file itself from local disk.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from kinrw.workspace.api.base import AreaMixin
from kinrw.workspace.api.filters import IntegerFilter
from kinrw.workspace.api.permissions import AreaPermission
from kinrw.workspace.documents.selectors import area_of, documents_alive
from kinrw.workspace.documents.storage import DocumentStorageError, for_current_tenant
from kinrw.workspace.models import CooperationAgreement, Document, GremiumMeeting, Measure
from kinrw.workspace.roles import Action, Area, can, role_of
from kinrw.workspace.services import document_delete, document_upload
from kinrw.workspace.web.documents import download_response


class DocumentSerializer(serializers.ModelSerializer):
    download = serializers.SerializerMethodField(
        help_text="Pfad zum Herunterladen (Weiterleitung auf eine kurz gültige Adresse)."
    )

    class Meta:
        model = Document
        fields = [
            "id",
            "measure",
            "agreement",
            "meeting",
            "original_name",
            "size",
            "content_type",
            "sha256",
            "uploaded_by",
            "uploaded_at",
            "download",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.STR)
    def get_download(self, obj: Document) -> str:
        return reverse("api:document-download", args=[obj.pk])


class DocumentUploadSerializer(serializers.Serializer):
    file = serializers.FileField(
        help_text="Die Datei (PDF, PNG, JPEG, DOCX, XLSX, ODT, ODS, TXT, CSV)."
    )
    measure = serializers.PrimaryKeyRelatedField(
        queryset=Measure.objects.filter(is_deleted=False),
        required=False,
        help_text="Nummer der Maßnahme (genau eines von measure, agreement, meeting).",
    )
    agreement = serializers.PrimaryKeyRelatedField(
        queryset=CooperationAgreement.objects.filter(organisation__is_deleted=False),
        required=False,
        help_text="Nummer der Kooperationsvereinbarung.",
    )
    meeting = serializers.PrimaryKeyRelatedField(
        queryset=GremiumMeeting.objects.all(),
        required=False,
        help_text="Nummer der Sitzung eines Gremiums.",
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        owners = [attrs[name] for name in ("measure", "agreement", "meeting") if name in attrs]
        if len(owners) != 1:
            raise serializers.ValidationError(
                _("Bitte genau eines angeben: measure, agreement oder meeting.")
            )
        attrs["owner"] = owners[0]
        return attrs


class DocumentFilter(filters.FilterSet):
    measure = IntegerFilter(field_name="measure_id", label="Maßnahme")
    agreement = IntegerFilter(field_name="agreement_id", label="Kooperationsvereinbarung")
    meeting = IntegerFilter(field_name="meeting_id", label="Sitzung")

    class Meta:
        model = Document
        fields = ["measure", "agreement", "meeting"]


class DocumentPermission(AreaPermission):
    """Reading: the queryset holds only what the role may read. Uploading: the write right
    for the chosen owner's area. Each document: the right for its owner's area."""

    def has_permission(self, request: Request, view: Any) -> bool:
        if not request.user or not request.user.is_authenticated:
            return False
        if role_of(request.user) is None:
            self.message = _("Ihr Konto hat keine Rolle in diesem KI.")
            return False
        if request.method in permissions.SAFE_METHODS or view.action != "create":
            return True
        area = Area.MEASURES if request.data.get("measure") else Area.PARTNERS
        return can(request.user, Action.WRITE, area)

    def has_object_permission(self, request: Request, view: Any, obj: Any) -> bool:
        wanted = Action.READ if request.method in permissions.SAFE_METHODS else Action.WRITE
        return can(request.user, wanted, area_of(obj))


class DocumentViewSet(
    AreaMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Dokumente an Maßnahmen, Kooperationsvereinbarungen und Sitzungen."""

    area = Area.MEASURES  # the role table per document: DocumentPermission
    permission_classes = [DocumentPermission]
    parser_classes = [MultiPartParser, FormParser]
    http_method_names = ["get", "post", "delete", "head", "options"]
    queryset = Document.objects.all()
    serializer_class = DocumentSerializer
    filterset_class = DocumentFilter
    search_fields = ["original_name"]
    ordering_fields = ["uploaded_at", "original_name", "size", "id"]
    ordering = ["-uploaded_at", "-id"]

    def get_queryset(self) -> QuerySet[Document]:
        queryset = documents_alive().select_related("uploaded_by")
        if not can(self.request.user, Action.READ, Area.MEASURES):
            queryset = queryset.filter(measure__isnull=True)
        if not can(self.request.user, Action.READ, Area.PARTNERS):
            queryset = queryset.filter(measure__isnull=False)
        return queryset

    def get_object(self) -> Document:
        document: Document = super().get_object()
        try:
            for_current_tenant().check(document.storage_key)
        except DocumentStorageError as exc:
            raise NotFound from exc
        return document

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:
        return DocumentUploadSerializer if self.action == "create" else DocumentSerializer

    @extend_schema(
        request={"multipart/form-data": DocumentUploadSerializer},
        responses={201: DocumentSerializer},
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        upload = DocumentUploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        document = document_upload(
            actor=self.actor,
            owner=upload.validated_data["owner"],
            file=upload.validated_data["file"],
        )
        data = DocumentSerializer(self.get_queryset().get(pk=document.pk)).data
        return Response(data, status=status.HTTP_201_CREATED)

    def perform_destroy(self, instance: Document) -> None:
        document_delete(actor=self.actor, document=instance)

    @extend_schema(
        responses={
            (302, "*/*"): OpenApiResponse(
                description="Weiterleitung auf eine kurz gültige Adresse der Datei (S3)."
            ),
            (200, "application/octet-stream"): OpenApiResponse(
                OpenApiTypes.BINARY, description="Die Datei (Ablage auf dem Server)."
            ),
        },
    )
    @action(detail=True, methods=["get"])
    def download(self, request: Request, pk: str | None = None) -> HttpResponse:
        return download_response(self.get_object())
