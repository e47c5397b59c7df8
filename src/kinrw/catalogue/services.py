"""Writes to the catalogue: only ``catalogue_apply`` (from the catalogue file)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import models, transaction

from kinrw.catalogue import loader
from kinrw.catalogue.models import Breakdown, Indicator, Programme
from kinrw.tenancy.context import in_public


@dataclass
class CatalogueChanges:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    deactivated: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.created or self.updated or self.deactivated)


def catalogue_apply(*, path: Path | str | None = None, dry_run: bool = False) -> CatalogueChanges:
    """Make the catalogue match the file: create, update, deactivate; never delete."""
    spec = loader.load(path)
    changes = CatalogueChanges()
    with in_public(), transaction.atomic():
        for b in spec.breakdowns:
            _upsert(
                Breakdown,
                {"code": b.code},
                {
                    "label": b.label,
                    "values": b.values,
                    "sort_order": b.sort_order,
                    "is_active": True,
                },
                f"Aufschlüsselung {b.code}",
                changes,
            )
        _deactivate(
            Breakdown.objects.exclude(code__in=[b.code for b in spec.breakdowns]),
            "Aufschlüsselung",
            changes,
        )
        for p in spec.programmes:
            programme = _upsert(
                Programme,
                {"code": p.code},
                {
                    "name": p.name,
                    "funding_line": p.funding_line,
                    "handlungsfeld": p.handlungsfeld,
                    "active_from": p.active_from,
                    "active_until": p.active_until,
                    "own_measure": p.own_measure,
                    "description": p.description,
                    "sort_order": p.sort_order,
                    "is_active": True,
                },
                f"Programm {p.code}",
                changes,
            )
            for i in p.indicators:
                _upsert(
                    Indicator,
                    {"programme": programme, "code": i.code},
                    {
                        "label": i.label,
                        "unit": i.unit,
                        "counts_persons": i.counts_persons,
                        "breakdowns": i.breakdowns,
                        "sort_order": i.sort_order,
                        "is_active": True,
                    },
                    f"Indikator {p.code}.{i.code}",
                    changes,
                )
            _deactivate(
                programme.indicators.exclude(code__in=[i.code for i in p.indicators]),
                f"Indikator {p.code}.",
                changes,
            )
        _deactivate(
            Programme.objects.exclude(code__in=[p.code for p in spec.programmes]),
            "Programm",
            changes,
        )
        if dry_run:
            transaction.set_rollback(True)
    return changes


def _upsert(
    model: type[models.Model],
    keys: dict[str, Any],
    values: dict[str, Any],
    label: str,
    changes: CatalogueChanges,
) -> Any:
    obj = model.objects.filter(**keys).first()  # type: ignore[attr-defined]
    if obj is None:
        changes.created.append(label)
        return model.objects.create(**keys, **values)  # type: ignore[attr-defined]
    differing = [k for k, v in values.items() if getattr(obj, k) != v]
    if differing:
        for key in differing:
            setattr(obj, key, values[key])
        obj.save()
        changes.updated.append(f"{label} ({', '.join(differing)})")
    return obj


def _deactivate(queryset: Any, label: str, changes: CatalogueChanges) -> None:
    for obj in queryset.filter(is_active=True):
        obj.is_active = False
        obj.save(update_fields=["is_active"])
        separator = "" if label.endswith(".") else " "
        changes.deactivated.append(f"{label}{separator}{obj.code}")
