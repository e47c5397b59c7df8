"""Partner organisations, their business contacts and cooperation agreements."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django_filters import rest_framework as filters
from rest_framework import serializers

from kinrw.tenancy.models import Gemeinde
from kinrw.workspace.api.base import ServiceSerializer, ServiceViewSet
from kinrw.workspace.models import ContactPerson, CooperationAgreement, Organisation
from kinrw.workspace.roles import Area
from kinrw.workspace.services import (
    agreement_create,
    agreement_delete,
    agreement_update,
    contact_create,
    contact_delete,
    contact_update,
    organisation_create,
    organisation_delete,
    organisation_update,
)


def _organisation_field(**kwargs: Any) -> serializers.PrimaryKeyRelatedField:
    return serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.filter(is_deleted=False),
        help_text="Nummer der Organisation (siehe /organisations/).",
        **kwargs,
    )


class OrganisationSerializer(ServiceSerializer):
    gemeinde = serializers.SlugRelatedField(
        slug_field="ags",
        queryset=Gemeinde.objects.all(),
        required=False,
        allow_null=True,
        help_text="AGS einer Gemeinde im Gebiet des KI (siehe /gemeinden/).",
    )

    class Meta:
        model = Organisation
        fields = [
            "id",
            "name",
            "kind",
            "street",
            "postcode",
            "city",
            "gemeinde",
            "created_at",
            "updated_at",
        ]


class OrganisationViewSet(ServiceViewSet):
    """Partnerorganisationen des KI (gelöschte erscheinen nicht)."""

    area = Area.PARTNERS
    queryset = Organisation.objects.all()
    serializer_class = OrganisationSerializer
    filterset_fields = ["kind"]
    search_fields = ["name", "city", "street", "postcode"]
    ordering_fields = ["name", "kind", "city", "created_at", "id"]
    ordering = ["name", "id"]

    def get_queryset(self) -> QuerySet[Organisation]:
        return Organisation.objects.filter(is_deleted=False).select_related("gemeinde")

    def create_object(self, data: dict[str, Any]) -> Organisation:
        return organisation_create(actor=self.actor, **data)

    def update_object(self, instance: Organisation, data: dict[str, Any]) -> Organisation:
        return organisation_update(actor=self.actor, organisation=instance, **data)

    def delete_object(self, instance: Organisation) -> None:
        organisation_delete(actor=self.actor, organisation=instance)


class ContactSerializer(ServiceSerializer):
    organisation = _organisation_field()

    class Meta:
        model = ContactPerson
        fields = ["id", "organisation", "name", "role", "phone", "email", "created_at"]


class ContactUpdateSerializer(ContactSerializer):
    organisation = serializers.PrimaryKeyRelatedField(read_only=True)


class ContactViewSet(ServiceViewSet):
    """Dienstliche Ansprechpersonen der Partnerorganisationen."""

    area = Area.PARTNERS
    queryset = ContactPerson.objects.all()
    serializer_class = ContactSerializer
    update_serializer_class = ContactUpdateSerializer
    filterset_fields = ["organisation"]
    search_fields = ["name", "role", "email", "organisation__name"]
    ordering_fields = ["name", "organisation", "created_at", "id"]
    ordering = ["name", "id"]

    def get_queryset(self) -> QuerySet[ContactPerson]:
        return ContactPerson.objects.filter(organisation__is_deleted=False)

    def create_object(self, data: dict[str, Any]) -> ContactPerson:
        return contact_create(actor=self.actor, **data)

    def update_object(self, instance: ContactPerson, data: dict[str, Any]) -> ContactPerson:
        return contact_update(actor=self.actor, contact=instance, **data)

    def delete_object(self, instance: ContactPerson) -> None:
        contact_delete(actor=self.actor, contact=instance)


class AgreementSerializer(ServiceSerializer):
    organisation = _organisation_field()

    class Meta:
        model = CooperationAgreement
        fields = ["id", "organisation", "kind", "starts_on", "ends_on", "status", "created_at"]


class AgreementUpdateSerializer(AgreementSerializer):
    organisation = serializers.PrimaryKeyRelatedField(read_only=True)


class AgreementFilter(filters.FilterSet):
    starts_on = filters.DateFromToRangeFilter(label="Beginn von/bis")

    class Meta:
        model = CooperationAgreement
        fields = ["organisation", "kind", "status", "starts_on"]


class AgreementViewSet(ServiceViewSet):
    """Kooperationsvereinbarungen mit Partnerorganisationen."""

    area = Area.PARTNERS
    queryset = CooperationAgreement.objects.all()
    serializer_class = AgreementSerializer
    update_serializer_class = AgreementUpdateSerializer
    filterset_class = AgreementFilter
    search_fields = ["organisation__name"]
    ordering_fields = ["starts_on", "ends_on", "status", "kind", "created_at", "id"]
    ordering = ["-starts_on", "id"]

    def get_queryset(self) -> QuerySet[CooperationAgreement]:
        return CooperationAgreement.objects.filter(organisation__is_deleted=False)

    def create_object(self, data: dict[str, Any]) -> CooperationAgreement:
        return agreement_create(actor=self.actor, **data)

    def update_object(
        self, instance: CooperationAgreement, data: dict[str, Any]
    ) -> CooperationAgreement:
        return agreement_update(actor=self.actor, agreement=instance, **data)

    def delete_object(self, instance: CooperationAgreement) -> None:
        agreement_delete(actor=self.actor, agreement=instance)
