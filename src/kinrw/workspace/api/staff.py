"""Staff and history (KI-Leitung only, read-only): roles of the accounts, the audit trail."""

from __future__ import annotations

from django.db.models import QuerySet
from django_filters import rest_framework as filters
from rest_framework import serializers

from kinrw.accounts.models import User
from kinrw.workspace.api.base import ReadViewSet
from kinrw.workspace.models import AuditAction, AuditEntry, Membership
from kinrw.workspace.roles import Area


class MembershipSerializer(serializers.ModelSerializer):
    email = serializers.EmailField(source="user.email", read_only=True)
    full_name = serializers.CharField(source="user.full_name", read_only=True)
    is_active = serializers.BooleanField(source="user.is_active", read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "user", "email", "full_name", "is_active", "role", "created_at"]


class MembershipViewSet(ReadViewSet):
    """Konten des KI und ihre Rollen (nur KI-Leitung).

    ``user`` ist die Nummer, die Maßnahmen unter ``responsible`` angeben.
    """

    area = Area.STAFF
    queryset = Membership.objects.select_related("user")
    serializer_class = MembershipSerializer
    filterset_fields = ["role", "user"]
    search_fields = ["user__email", "user__full_name"]
    ordering_fields = ["role", "user__email", "user__full_name", "created_at", "id"]
    ordering = ["user__email", "id"]


class AuditSerializer(serializers.ModelSerializer):
    class Meta:
        model = AuditEntry
        fields = [
            "id",
            "created_at",
            "actor",
            "actor_label",
            "action",
            "object_type",
            "object_id",
            "changes",
        ]


class AuditFilter(filters.FilterSet):
    action = filters.ChoiceFilter(choices=AuditAction.choices)
    created_at = filters.IsoDateTimeFromToRangeFilter(label="Zeitpunkt von/bis")

    class Meta:
        model = AuditEntry
        fields = ["action", "object_type", "object_id", "actor", "created_at"]


class AuditViewSet(ReadViewSet):
    """Änderungsprotokoll des KI: wer hat wann was geändert (nur KI-Leitung)."""

    area = Area.AUDIT
    queryset = AuditEntry.objects.all()
    serializer_class = AuditSerializer
    filterset_class = AuditFilter
    search_fields = ["actor_label", "object_type"]
    ordering_fields = ["created_at", "id"]
    ordering = ["-created_at", "-id"]

    def get_queryset(self) -> QuerySet[AuditEntry]:
        return AuditEntry.objects.all()


class ColleagueSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "full_name"]


class ColleagueViewSet(ReadViewSet):
    """Kolleginnen und Kollegen mit einer Rolle im KI: die Nummern für ``responsible``
    einer Maßnahme (für alle, die Maßnahmen lesen dürfen; nur Nummer und Name)."""

    area = Area.MEASURES
    queryset = User.objects.filter(ki_membership__isnull=False, is_active=True)
    serializer_class = ColleagueSerializer
    filterset_fields: list[str] = []
    search_fields = ["full_name"]
    ordering_fields = ["full_name", "id"]
    ordering = ["full_name", "id"]
