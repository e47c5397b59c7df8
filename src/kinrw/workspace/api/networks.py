"""Gremien (committees, networks) of the KI and their meetings."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django_filters import rest_framework as filters
from rest_framework import serializers

from kinrw.tenancy.models import Gemeinde
from kinrw.workspace.api.base import ServiceSerializer, ServiceViewSet
from kinrw.workspace.models import Gremium, GremiumMeeting, Organisation
from kinrw.workspace.roles import Area
from kinrw.workspace.services import (
    gremium_create,
    gremium_delete,
    gremium_update,
    meeting_create,
    meeting_delete,
    meeting_update,
)


def _organisations_field(help_text: str) -> serializers.PrimaryKeyRelatedField:
    return serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.filter(is_deleted=False),
        many=True,
        required=False,
        help_text=help_text,
    )


class GremiumSerializer(ServiceSerializer):
    gemeinde = serializers.SlugRelatedField(
        slug_field="ags",
        queryset=Gemeinde.objects.all(),
        required=False,
        allow_null=True,
        help_text="AGS einer Gemeinde im Gebiet des KI (siehe /gemeinden/).",
    )
    members = _organisations_field("Nummern der Mitgliedsorganisationen.")

    class Meta:
        model = Gremium
        fields = ["id", "name", "kind", "gemeinde", "members", "created_at"]


class GremiumViewSet(ServiceViewSet):
    """Gremien und Netzwerke, in denen das KI mitarbeitet."""

    area = Area.PARTNERS
    queryset = Gremium.objects.all()
    serializer_class = GremiumSerializer
    filterset_fields = ["kind"]
    search_fields = ["name"]
    ordering_fields = ["name", "kind", "created_at", "id"]
    ordering = ["name", "id"]

    def get_queryset(self) -> QuerySet[Gremium]:
        return Gremium.objects.select_related("gemeinde").prefetch_related("members")

    def create_object(self, data: dict[str, Any]) -> Gremium:
        return gremium_create(actor=self.actor, **data)

    def update_object(self, instance: Gremium, data: dict[str, Any]) -> Gremium:
        return gremium_update(actor=self.actor, gremium=instance, **data)

    def delete_object(self, instance: Gremium) -> None:
        gremium_delete(actor=self.actor, gremium=instance)


class MeetingSerializer(ServiceSerializer):
    gremium = serializers.PrimaryKeyRelatedField(
        queryset=Gremium.objects.all(), help_text="Nummer des Gremiums (siehe /gremien/)."
    )
    participants = _organisations_field("Nummern der teilnehmenden Organisationen.")

    class Meta:
        model = GremiumMeeting
        fields = ["id", "gremium", "held_on", "topic", "participants", "created_at"]


class MeetingUpdateSerializer(MeetingSerializer):
    gremium = serializers.PrimaryKeyRelatedField(read_only=True)


class MeetingFilter(filters.FilterSet):
    held_on = filters.DateFromToRangeFilter(label="Datum von/bis")

    class Meta:
        model = GremiumMeeting
        fields = ["gremium", "held_on"]


class MeetingViewSet(ServiceViewSet):
    """Sitzungen der Gremien."""

    area = Area.PARTNERS
    queryset = GremiumMeeting.objects.all()
    serializer_class = MeetingSerializer
    update_serializer_class = MeetingUpdateSerializer
    filterset_class = MeetingFilter
    search_fields = ["topic", "gremium__name"]
    ordering_fields = ["held_on", "gremium", "created_at", "id"]
    ordering = ["-held_on", "id"]

    def get_queryset(self) -> QuerySet[GremiumMeeting]:
        return GremiumMeeting.objects.prefetch_related("participants")

    def create_object(self, data: dict[str, Any]) -> GremiumMeeting:
        return meeting_create(actor=self.actor, **data)

    def update_object(self, instance: GremiumMeeting, data: dict[str, Any]) -> GremiumMeeting:
        return meeting_update(actor=self.actor, meeting=instance, **data)

    def delete_object(self, instance: GremiumMeeting) -> None:
        meeting_delete(actor=self.actor, meeting=instance)
