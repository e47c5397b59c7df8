"""``kinrw tenants apply``: make the database match the registry (never delete)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from kinrw.tenancy import onboarding, template
from kinrw.tenancy.context import in_public
from kinrw.tenancy.models import Domain, Tenant
from kinrw.tenancy.registry import RegistryEntry


@dataclass
class Plan:
    create: list[RegistryEntry] = field(default_factory=list)
    update: list[tuple[Tenant, RegistryEntry, dict[str, tuple[object, object]]]] = field(
        default_factory=list
    )
    unchanged: list[Tenant] = field(default_factory=list)
    not_in_registry: list[Tenant] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.create or self.update)


@dataclass
class Outcome:
    created: list[onboarding.Created] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0
    repaired: list[str] = field(default_factory=list)


def plan(entries: list[RegistryEntry]) -> Plan:
    with in_public():
        tenants = {t.ags: t for t in Tenant.objects.prefetch_related("domains")}
        result = Plan()
        wanted_ags = set()
        for entry in entries:
            wanted_ags.add(entry.ags)
            tenant = tenants.get(entry.ags)
            if tenant is None:
                result.create.append(entry)
                continue
            if tenant.slug != entry.slug:
                raise onboarding.OnboardingError(
                    f"Registerzeile {entry.line}: AGS {entry.ags} gehört zu „{tenant.slug}“, "
                    f"nicht „{entry.slug}“ (Kurznamen werden nicht umbenannt)."
                )
            diff = onboarding.changes_for(tenant, entry)
            if diff:
                result.update.append((tenant, entry, diff))
            else:
                result.unchanged.append(tenant)
        result.not_in_registry = [t for ags, t in tenants.items() if ags not in wanted_ags]
        _check_conflicts(result)
    return result


def _check_conflicts(result: Plan) -> None:
    """Refuse the whole plan before changing anything if a new slug/domain is taken."""
    taken_slugs = set(Tenant.objects.values_list("slug", flat=True))
    domains = dict(Domain.objects.values_list("domain", "tenant__ags"))
    for entry in result.create:
        if entry.slug in taken_slugs:
            raise onboarding.OnboardingError(
                f"Registerzeile {entry.line}: der Kurzname „{entry.slug}“ ist bereits vergeben."
            )
        if entry.primary_domain() in domains:
            raise onboarding.OnboardingError(
                f"Registerzeile {entry.line}: die Domain „{entry.primary_domain()}“ ist bereits "
                "vergeben."
            )
    for _tenant, entry, diff in result.update:
        if "domain" in diff and domains.get(entry.primary_domain(), entry.ags) != entry.ags:
            raise onboarding.OnboardingError(
                f"Registerzeile {entry.line}: die Domain „{entry.primary_domain()}“ ist bereits "
                "vergeben."
            )


def execute(
    the_plan: Plan,
    *,
    admin_email: str | None = None,
    progress: Callable[[str], None] | None = None,
) -> Outcome:
    outcome = Outcome(repaired=onboarding.repair())
    outcome.unchanged = len(the_plan.unchanged)
    if the_plan.create:
        try:
            template.ensure_template()
        except template.TemplateUnavailable as exc:  # fall back to migrations per KI
            outcome.repaired.append(f"Vorlage nicht nutzbar, Anlegen per Migration: {exc}")
    for entry in the_plan.create:
        outcome.created.append(onboarding.tenant_create(entry=entry, admin_email=admin_email))
        if progress:
            progress(entry.slug)
    for tenant, entry, _diff in the_plan.update:
        onboarding.tenant_update(tenant=tenant, entry=entry)
        outcome.updated.append(tenant.slug)
        if progress:
            progress(tenant.slug)
    return outcome
