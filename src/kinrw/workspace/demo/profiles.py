"""What a typical measure of each catalogue programme looks like (demo data only).

Keyed by the programme's stable ``code``; a programme the table does not know
(a new catalogue entry) gets :data:`DEFAULT`, so the generator keeps working
when the catalogue grows. Which figures a session records is derived from the
catalogue (unit, breakdowns); :data:`PER_MEASURE` names the indicators that
describe a measure as a whole (groups, sites, money …): they are recorded once,
on its first session, not every week.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kinrw.catalogue.models import Unit
from kinrw.workspace.models import OrganisationType as T
from kinrw.workspace.models import TargetGroup as G


@dataclass(frozen=True)
class Profile:
    titles: list[str]  # {ort}: Gemeinde, {partner}: organisation, {n}: number, {year}
    description: str
    weight: int = 2  # how many measures of this programme, relative to others
    weeks: tuple[int, int] = (8, 30)  # how long a measure runs (weekly sessions)
    partners: list[str] = field(default_factory=list)  # partner kinds; empty: a venue
    target_groups: list[str] = field(default_factory=list)
    group_size: tuple[int, int] = (5, 14)  # persons counted per session
    starts_at: tuple[int, int] = (9, 30)
    mix: dict[str, list[str]] = field(default_factory=dict)  # breakdown: the values that occur


_PARENTS = [G.ELTERN, G.KINDER]
_EARLY = [T.KITA, T.FAMILIENZENTRUM]
_ADULTS = ["jahre_27_64", "jahre_18_26", "ab_65", "keine_angabe"]

PROFILES: dict[str, Profile] = {
    "griffbereit": Profile(
        ["Griffbereit-Gruppe – {partner}", "Griffbereit {ort} – Gruppe {n}"],
        "Wöchentliche Eltern-Kind-Gruppe für Familien mit Kindern von 1 bis 3 Jahren, "
        "angeleitet von Elternbegleiter:innen in der Familiensprache.",
        weight=5,
        weeks=(20, 40),
        partners=_EARLY,
        target_groups=_PARENTS,
        mix={"age_band_children": ["jahre_1_3", "jahre_0_1"]},
    ),
    "griffbereit_mini": Profile(
        ["griffbereitMINI – {partner}", "griffbereitMINI {ort} – Gruppe {n}"],
        "Treffen für Eltern mit Babys im ersten Lebensjahr.",
        weight=2,
        weeks=(12, 30),
        partners=_EARLY,
        target_groups=_PARENTS,
        group_size=(4, 10),
        mix={"age_band_children": ["jahre_0_1"]},
    ),
    "rucksack_kita": Profile(
        ["Rucksack KiTa – {partner}", "Rucksack KiTa {ort} – Elterngruppe {n}"],
        "Elterngruppe zur Sprachbildung von Kindern im Alter von 4 bis 6 Jahren.",
        weight=4,
        weeks=(20, 38),
        partners=_EARLY,
        target_groups=_PARENTS,
        mix={"age_band_children": ["jahre_4_6"]},
    ),
    "rucksack_schule": Profile(
        ["Rucksack Schule – {partner}", "Rucksack Schule {ort} – Elterngruppe {n}"],
        "Elterngruppe an der Grundschule, abgestimmt mit dem Unterricht der Klasse.",
        weight=3,
        weeks=(20, 36),
        partners=[T.GRUNDSCHULE],
        target_groups=[G.ELTERN, G.KINDER],
        starts_at=(8, 15),
    ),
    "seiteneinstieg": Profile(
        ["Seiteneinstiegsberatung {ort} {year}", "Sprechstunde Seiteneinstieg {year}"],
        "Erstberatung neu zugewanderter Schüler:innen und ihrer Familien, "
        "Empfehlung der Schulform und Vermittlung des Schulplatzes.",
        weight=2,
        weeks=(30, 44),
        partners=[T.SCHULAMT],
        target_groups=[G.KINDER, G.JUGENDLICHE, G.NEUZUGEWANDERTE],
        group_size=(3, 12),
        starts_at=(10, 0),
        mix={"age_band": ["jahre_6_9", "jahre_10_13", "jahre_14_17"]},
    ),
    "komm_an": Profile(
        ["KOMM-AN-Projekt – {partner}", "Ankommenstreffpunkt {ort}"],
        "Lokales Projekt aus KOMM-AN NRW, gefördert über einen Weiterleitungsvertrag.",
        weight=3,
        weeks=(10, 30),
        partners=[T.VEREIN, T.MIGRANTENSELBSTORGANISATION, T.RELIGIONSGEMEINSCHAFT],
        target_groups=[G.GEFLUECHTETE, G.EHRENAMTLICHE],
        group_size=(6, 25),
        starts_at=(17, 0),
        mix={"age_band": _ADULTS},
    ),
    "sprachmittlerpool": Profile(
        ["Laien-Sprachmittlerpool {year}", "Sprachmittlung für Kitas und Schulen {year}"],
        "Einsätze ehrenamtlicher Sprachmittler:innen für Kitas, Schulen und Ämter.",
        weight=1,
        weeks=(40, 48),
        target_groups=[G.FACHKRAEFTE, G.NEUZUGEWANDERTE],
        group_size=(2, 9),
        starts_at=(9, 0),
    ),
    "kim_baustein_1": Profile(
        ["Strategische Koordinierung KIM {year}", "Lenkungskreis KIM {year}"],
        "Koordinierung des Kommunalen Integrationsmanagements mit den Rechtskreisen.",
        weight=1,
        weeks=(40, 48),
        partners=[T.VERWALTUNG],
        target_groups=[G.FACHKRAEFTE],
        group_size=(2, 6),
    ),
    "kim_baustein_2": Profile(
        ["Case Management – {partner}", "Case Management {ort} – Team {n}"],
        "Rechtskreisübergreifendes Case Management für Zugewanderte (nur Fallzahlen).",
        weight=2,
        weeks=(40, 48),
        partners=[T.JOBCENTER, T.JUGENDAMT],
        target_groups=[G.NEUZUGEWANDERTE, G.GEFLUECHTETE],
        group_size=(2, 8),
        mix={"age_band": ["jahre_18_26", "jahre_27_64"]},
    ),
    "kim_baustein_3": Profile(
        ["KIM-Stelle – {partner}", "Beratung Aufenthalt und Einbürgerung {year}"],
        "Zusätzliche Stelle in der Ausländer- oder Einbürgerungsbehörde.",
        weight=1,
        weeks=(40, 48),
        partners=[T.AUSLAENDERBEHOERDE, T.EINBUERGERUNGSBEHOERDE],
        target_groups=[G.NEUZUGEWANDERTE],
        group_size=(2, 8),
    ),
    "mso": Profile(
        ["MSO-Beratung – {partner}", "MSO-Sprechstunde {ort}"],
        "Beratung und Begleitung von Migrantenselbstorganisationen.",
        weight=2,
        weeks=(8, 24),
        partners=[T.MIGRANTENSELBSTORGANISATION],
        target_groups=[G.MSO],
        group_size=(3, 12),
        starts_at=(18, 0),
        mix={"age_band": _ADULTS},
    ),
    "durchstarten": Profile(
        ["Durchstarten – {partner}", "Durchstarten {ort} – Gruppe {n}"],
        "Begleitung junger Geflüchteter in Ausbildung und Arbeit.",
        weight=2,
        weeks=(16, 36),
        partners=[T.JOBCENTER, T.AGENTUR_FUER_ARBEIT, T.BERUFSKOLLEG],
        target_groups=[G.JUGENDLICHE, G.GEFLUECHTETE],
        group_size=(4, 12),
        starts_at=(14, 0),
        mix={"age_band": ["jahre_18_26", "jahre_14_17"]},
    ),
    "eigene_massnahme": Profile(
        [
            "Sprachcafé {ort}",
            "Interkulturelles Frauenfrühstück {ort}",
            "Hausaufgabenhilfe – {partner}",
            "Fortbildung Interkulturelle Öffnung {year}",
            "Nähcafé {ort}",
            "Fahrradkurs für Frauen {ort}",
        ],
        "Eigenes Angebot des KI.",
        weight=3,
        weeks=(6, 20),
        partners=[T.VEREIN, T.FAMILIENZENTRUM, T.WOHLFAHRTSVERBAND],
        target_groups=[G.FRAUEN, G.ALLE, G.AELTERE],
        group_size=(5, 18),
        starts_at=(15, 30),
        mix={"age_band": _ADULTS},
    ),
}

DEFAULT = Profile(["{programme} {ort} {year}"], "", weight=1)

# Indicators that describe a measure as a whole: recorded once, on its first session.
PER_MEASURE = {
    "groups",
    "sites",
    "languages",
    "money_passed_on",
    "elternbegleiter_trained",
    "schools",
    "classes",
    "parent_groups",
    "projects",
    "recipients",
    "volunteers_qualified",
    "proofs_checked",
    "active_interpreters",
    "costs",
    "posts",
    "working_groups",
    "partner_organisations",
    "cooperation_agreements",
    "days_to_school_place",
    "organisations_advised",
}
# Persons counted per session who are the session's volunteers (Session.volunteers_present).
VOLUNTEER_INDICATORS = {"elternbegleiter_active"}
# Units that never make sense per week: recorded once per measure as well.
PER_MEASURE_UNITS = {Unit.EUROS, Unit.GROUPS, Unit.DAYS}

# Typical mix of a breakdown's values; other breakdowns get a random few values per measure.
BREAKDOWN_WEIGHTS: dict[str, dict[str, float]] = {
    "gender": {"weiblich": 6, "maennlich": 5, "divers": 0.1, "keine_angabe": 0.3},
}
# Languages of the measures (codes of the catalogue's "language" breakdown), by frequency.
LANGUAGE_WEIGHTS: dict[str, int] = {
    "arabisch": 9,
    "tuerkisch": 9,
    "ukrainisch": 8,
    "russisch": 4,
    "polnisch": 3,
    "rumaenisch": 3,
    "bulgarisch": 3,
    "persisch": 3,
    "kurdisch": 3,
    "albanisch": 2,
    "bosnisch_kroatisch_serbisch": 2,
    "tigrinya": 1,
    "somali": 1,
    "paschtu": 1,
    "griechisch": 1,
    "italienisch": 1,
    "englisch": 1,
}


def profile_of(code: str) -> Profile:
    return PROFILES.get(code, DEFAULT)
