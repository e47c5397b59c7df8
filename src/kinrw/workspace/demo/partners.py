"""Demo partners and networks: organisations with addresses in the KI's Gemeinden,
business contacts (fictitious), cooperation agreements, Gremien with meetings."""

from __future__ import annotations

import datetime as dt
import hashlib
import unicodedata

from kinrw.tenancy.models import Gemeinde
from kinrw.workspace.demo import names
from kinrw.workspace.demo.context import DemoContext
from kinrw.workspace.models import (
    AgreementKind,
    AgreementStatus,
    ContactPerson,
    CooperationAgreement,
    Gremium,
    GremiumMeeting,
    Organisation,
    OrganisationType,
)


def _postcode(ctx: DemoContext, gemeinde: Gemeinde) -> str:
    """An invented but stable five-digit postcode per Gemeinde, in the region's range."""
    prefixes = names.POSTCODE_PREFIXES.get(ctx.tenant.regierungsbezirk, ["50"])
    ki = int(hashlib.sha256(ctx.tenant.ags.encode()).hexdigest()[:8], 16)
    place = int(hashlib.sha256(gemeinde.ags.encode()).hexdigest()[:8], 16)
    return f"{prefixes[ki % len(prefixes)]}{ki % 10}{place % 100:02d}"


def _ascii(text: str) -> str:
    text = text.replace("ä", "ae").replace("ö", "oe").replace("ü", "ue").replace("ß", "ss")
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def _organisation(ctx: DemoContext, kind: str, used: set[str]) -> Organisation:
    rng = ctx.rng
    gemeinde = ctx.place()
    street = f"{rng.choice(names.STREETS)} {rng.randint(1, 120)}"
    name = rng.choice(names.ORGANISATION_NAMES[kind]).format(ort=gemeinde.name, ki=ctx.tenant.name)
    if name in used:
        name = f"{name}, {street}"
    used.add(name)
    return Organisation(
        name=name[:200],
        kind=kind,
        street=street,
        postcode=_postcode(ctx, gemeinde),
        city=gemeinde.name,
        gemeinde=gemeinde,
    )


def make_organisations(ctx: DemoContext) -> list[Organisation]:
    """The KI's offices once each, the rest drawn by how common each kind is."""
    rng, used = ctx.rng, set()
    kinds = list(names.OFFICES)
    weighted = list(names.ORGANISATION_WEIGHTS)
    weights = [names.ORGANISATION_WEIGHTS[k] for k in weighted]
    kinds += rng.choices(weighted, weights=weights, k=max(0, ctx.volume.organisations - len(kinds)))
    objs = Organisation.objects.bulk_create([_organisation(ctx, kind, used) for kind in kinds])
    ctx.created.add("workspace.organisation", objs)
    _contacts(ctx, objs)
    _agreements(ctx, objs)
    return objs


def _contacts(ctx: DemoContext, organisations: list[Organisation]) -> None:
    rng, rows = ctx.rng, []
    for org in organisations:
        for _ in range(rng.choice((1, 1, 2))):
            first, last = rng.choice(names.FIRST_NAMES), rng.choice(names.LAST_NAMES)
            roles = names.CONTACT_ROLES.get(org.kind, names.DEFAULT_CONTACT_ROLES)
            rows.append(
                ContactPerson(
                    organisation=org,
                    name=f"{first} {last}",
                    role=rng.choice(roles),
                    phone=f"{names.PHONE_PREFIX} {rng.randint(0, 999):03d}",
                    email=f"{_ascii(first)}.{_ascii(last)}{len(rows) + 1}@example.org",
                )
            )
    ctx.created.add("workspace.contactperson", ContactPerson.objects.bulk_create(rows))


def _agreements(ctx: DemoContext, organisations: list[Organisation]) -> None:
    rng, rows = ctx.rng, []
    first_year = ctx.years[0]
    for org in organisations:
        if org.kind == OrganisationType.JOBCENTER or rng.random() < 0.15:
            kind = AgreementKind.KOOPERATION
        elif org.kind in (OrganisationType.VEREIN, OrganisationType.MIGRANTENSELBSTORGANISATION):
            if rng.random() > 0.3:
                continue
            kind = AgreementKind.WEITERLEITUNG
        else:
            continue
        starts = dt.date(first_year - rng.randint(0, 3), rng.randint(1, 12), 1)
        ended = kind == AgreementKind.WEITERLEITUNG and starts.year < ctx.today.year
        rows.append(
            CooperationAgreement(
                organisation=org,
                kind=kind,
                starts_on=starts,
                ends_on=dt.date(starts.year, 12, 31) if ended else None,
                status=AgreementStatus.BEENDET if ended else AgreementStatus.AKTIV,
            )
        )
    agreements = CooperationAgreement.objects.bulk_create(rows)
    ctx.created.add("workspace.cooperationagreement", agreements)


def make_gremien(ctx: DemoContext, organisations: list[Organisation]) -> None:
    """Gremien with their members and quarterly meetings over the years (none in the future)."""
    rng = ctx.rng
    chosen = names.GREMIEN[: ctx.volume.gremien]
    gremien = Gremium.objects.bulk_create(
        [Gremium(name=name, kind=kind, gemeinde=None) for name, kind in chosen]
    )
    ctx.created.add("workspace.gremium", gremien)
    members: dict[int, list[Organisation]] = {}
    links = []
    for gremium in gremien:
        size = min(len(organisations), rng.randint(3, 9))
        members[gremium.pk] = rng.sample(organisations, k=size)
        links += [
            Gremium.members.through(gremium_id=gremium.pk, organisation_id=org.pk)
            for org in members[gremium.pk]
        ]
    Gremium.members.through.objects.bulk_create(links)
    meetings = []
    for gremium in gremien:
        for year in ctx.years:
            for quarter in range(4):
                held = dt.date(year, quarter * 3 + rng.randint(1, 3), rng.randint(1, 28))
                if held <= ctx.today:
                    meetings.append(
                        GremiumMeeting(
                            gremium=gremium, held_on=held, topic=rng.choice(names.MEETING_TOPICS)
                        )
                    )
    meetings = GremiumMeeting.objects.bulk_create(meetings)
    ctx.created.add("workspace.gremiummeeting", meetings)
    GremiumMeeting.participants.through.objects.bulk_create(
        [
            GremiumMeeting.participants.through(gremiummeeting_id=m.pk, organisation_id=org.pk)
            for m in meetings
            for org in members[m.gremium.pk]
            if rng.random() < 0.7
        ]
    )
