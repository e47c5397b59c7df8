"""ContentType ids are looked up per schema, also when threads share the cache."""

from __future__ import annotations

import threading

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction

from kinrw.tenancy.context import in_tenant
from kinrw.tenancy.models import Tenant
from tests.kit import Kit

pytestmark = pytest.mark.django_db


def _row_id(model: type) -> int:
    return ContentType.objects.filter(
        app_label=model._meta.app_label, model=model._meta.model_name
    ).values_list("pk", flat=True)[0]


def test_cached_content_type_is_the_asking_schemas(kit: Kit) -> None:
    seen: list[int] = []
    filled, checked = threading.Event(), threading.Event()

    def warm_in_koeln() -> None:
        """Another thread, in Köln's schema, where this content type has another id."""
        try:
            with in_tenant(kit.a.tenant), transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute(
                        "UPDATE django_content_type SET id = 900001 "
                        "WHERE app_label = 'tenancy' AND model = 'tenant'"
                    )
                seen.append(ContentType.objects.get_for_model(Tenant).pk)  # fills the cache
                filled.set()
                checked.wait(timeout=30)  # stay in Köln while the other thread looks
                transaction.set_rollback(True)
        finally:
            connection.close()

    public_id = _row_id(Tenant)
    worker = threading.Thread(target=warm_in_koeln)
    worker.start()
    try:
        assert filled.wait(timeout=30)
        # The shared cache holds Köln's entry; this thread, in public, gets public's id.
        assert ContentType.objects.get_for_model(Tenant).pk == public_id
    finally:
        checked.set()
        worker.join()
    assert seen == [900001]
