"""What every resource of the API shares: role check, writes through services, errors.

A resource is a viewset naming its area (for the role table), its queryset (the
current KI's schema; deleted records left out) and the service calls for
create, update and delete. Serializers only check the shape of the input; the
services decide what is valid and write (audited). A ``WorkspaceError`` of a
service becomes a 400 with the German message at the field it names.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers, viewsets
from rest_framework.exceptions import NotFound, ParseError, ValidationError
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from kinrw.accounts.models import User
from kinrw.workspace.api.permissions import AreaPermission
from kinrw.workspace.roles import Area
from kinrw.workspace.services import WorkspaceError


def exception_handler(exc: Exception, context: dict[str, Any]) -> Any:
    """DRF's handler, plus: ``WorkspaceError`` → 400 ``{field: [message]}``, and German
    messages where Django or DRF would answer in English (or name a model)."""
    if isinstance(exc, WorkspaceError):
        field = exc.field if exc.field in _input_fields(context.get("view")) else None
        exc = ValidationError({field or api_settings.NON_FIELD_ERRORS_KEY: [exc.message]})
    elif isinstance(exc, Http404):
        exc = NotFound()  # not "No Measure matches the given query."
    elif isinstance(exc, ParseError):
        exc = ParseError(_("Der Inhalt der Anfrage ist kein gültiges JSON."))
    return drf_exception_handler(exc, context)


def _input_fields(view: Any) -> set[str]:
    if view is None or not hasattr(view, "get_serializer"):
        return set()
    return {name for name, field in view.get_serializer().fields.items() if not field.read_only}


class ServiceSerializer(serializers.ModelSerializer):
    # Checks types and shape only; never saves (the viewset calls the service).
    # (A comment, not a docstring: the schema would show it for every subclass.)

    def get_validators(self) -> list[Any]:
        return []  # uniqueness and the like are the service's business

    def create(self, validated_data: dict[str, Any]) -> Any:
        raise NotImplementedError("writes go through kinrw.workspace.services")

    def update(self, instance: Any, validated_data: dict[str, Any]) -> Any:
        raise NotImplementedError("writes go through kinrw.workspace.services")


class AreaMixin:
    """The area of the role table a resource belongs to."""

    area: Area
    permission_classes = [AreaPermission]
    request: Any

    @property
    def actor(self) -> User:
        return self.request.user  # type: ignore[no-any-return]


class ReadViewSet(AreaMixin, viewsets.ReadOnlyModelViewSet):
    """List (filtered, searched, ordered, paginated) and retrieve."""


class ServiceViewSet(AreaMixin, viewsets.ModelViewSet):
    """Full resource; subclasses implement :meth:`create_object`, :meth:`update_object`
    and :meth:`delete_object` by calling the area's services."""

    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]
    update_serializer_class: type[serializers.Serializer] | None = None

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:
        if self.action in ("update", "partial_update") and self.update_serializer_class:
            return self.update_serializer_class
        return super().get_serializer_class()

    def create_object(self, data: dict[str, Any]) -> models.Model:
        raise NotImplementedError

    def update_object(self, instance: Any, data: dict[str, Any]) -> models.Model:
        raise NotImplementedError

    def delete_object(self, instance: Any) -> None:
        raise NotImplementedError

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        obj = self.create_object(dict(serializer.validated_data))
        serializer.instance = self._fresh(obj)

    def perform_update(self, serializer: serializers.BaseSerializer) -> None:
        obj = self.update_object(serializer.instance, dict(serializer.validated_data))
        serializer.instance = self._fresh(obj)

    def perform_destroy(self, instance: Any) -> None:
        self.delete_object(instance)

    def _fresh(self, obj: models.Model) -> models.Model:
        """The written record as the list shows it (relations loaded the same way)."""
        return self.get_queryset().get(pk=obj.pk)
