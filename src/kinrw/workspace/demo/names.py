"""German names for demo records: organisations per type, streets, contacts, Gremien.

Organisation names are typical of their kind (they may resemble real ones, as
"Kita Regenbogen" does in many towns); people are clearly fictitious
(Mustermann, Beispiel …), their e-mail addresses are at ``example.org`` and
their phone numbers are the Bundesnetzagentur's numbers for media productions
(Köln, 0221 4710 000–999), which are never assigned to anyone.
"""

from __future__ import annotations

from kinrw.workspace.models import GremiumKind, OrganisationType

T = OrganisationType

# {ort}: the Gemeinde (for a kreisfreie Stadt: the city); {ki}: the KI's short name.
ORGANISATION_NAMES: dict[str, list[str]] = {
    T.KITA: [
        "Kita Regenbogen",
        "Kita Sonnenschein",
        "Kita Pusteblume",
        "Kita Löwenzahn",
        "Kita Kunterbunt",
        "Ev. Kita Arche Noah",
        "Kath. Kita St. Marien",
        "Kath. Kita St. Josef",
        "AWO-Kita Sternschnuppe",
        "Städtische Kita Am Park",
        "Städtische Kita Lindenhof",
        "DRK-Kita Wirbelwind",
        "Kita Spatzennest",
        "Kita Waldwichtel",
        "Kita Farbklecks",
        "Kita Weltentdecker",
    ],
    T.FAMILIENZENTRUM: [
        "Familienzentrum {ort}-Mitte",
        "Familienzentrum Am Bach",
        "Familienzentrum Villa Kunterbunt",
        "Familienzentrum Sonnenblume",
        "Familienzentrum Nord",
        "Familienzentrum Süd",
    ],
    T.GRUNDSCHULE: [
        "Gemeinschaftsgrundschule Am Park",
        "Gemeinschaftsgrundschule Lindenstraße",
        "Katholische Grundschule St. Martin",
        "Evangelische Grundschule {ort}",
        "Grundschule Am Rosenhügel",
        "Grundschule Im Kirchfeld",
        "Gemeinschaftsgrundschule Regenbogen",
        "Grundschule An der Burg",
    ],
    T.WEITERFUEHRENDE_SCHULE: [
        "Gesamtschule {ort}",
        "Realschule Am Stadtpark",
        "Städtisches Gymnasium {ort}",
        "Sekundarschule {ort}",
        "Hauptschule An der Linde",
        "Geschwister-Scholl-Gesamtschule",
    ],
    T.BERUFSKOLLEG: ["Berufskolleg {ort}", "Kaufmännisches Berufskolleg {ort}"],
    T.SCHULAMT: ["Schulamt für {ki}"],
    T.JUGENDAMT: ["Jugendamt {ort}"],
    T.JOBCENTER: ["Jobcenter {ki}"],
    T.AGENTUR_FUER_ARBEIT: ["Agentur für Arbeit {ki}"],
    T.AUSLAENDERBEHOERDE: ["Ausländerbehörde {ki}"],
    T.EINBUERGERUNGSBEHOERDE: ["Einbürgerungsbehörde {ki}"],
    T.WOHLFAHRTSVERBAND: [
        "AWO Ortsverein {ort}",
        "Caritasverband {ort} e. V.",
        "Diakonisches Werk {ort}",
        "DRK-Ortsverein {ort} e. V.",
        "Der Paritätische – Kreisgruppe {ki}",
    ],
    T.INTEGRATIONSAGENTUR: [
        "Integrationsagentur der AWO {ort}",
        "Integrationsagentur der Caritas {ort}",
        "Integrationsagentur der Diakonie {ort}",
    ],
    T.MIGRANTENSELBSTORGANISATION: [
        "Deutsch-Türkischer Kulturverein {ort} e. V.",
        "Ukrainische Gemeinschaft {ort} e. V.",
        "Afrikanisches Forum {ort} e. V.",
        "Syrischer Elternverein {ort} e. V.",
        "Polnischer Kulturkreis {ort} e. V.",
        "Griechische Gemeinde {ort} e. V.",
        "Eritreischer Verein {ort} e. V.",
        "Kurdisches Kulturzentrum {ort} e. V.",
        "Arabischer Frauenverein {ort} e. V.",
        "Rumänischer Kulturverein {ort} e. V.",
    ],
    T.VEREIN: [
        "Turnverein {ort} 1904 e. V.",
        "SV Blau-Weiß {ort} e. V.",
        "Nachbarschaftshilfe {ort} e. V.",
        "Förderverein Willkommen in {ort} e. V.",
        "Bürgerverein {ort}-Mitte e. V.",
        "Sprachcafé {ort} e. V.",
    ],
    T.RELIGIONSGEMEINSCHAFT: [
        "Ev. Kirchengemeinde {ort}",
        "Kath. Pfarrei St. Johannes {ort}",
        "Islamische Gemeinde {ort} e. V.",
        "Alevitische Gemeinde {ort} e. V.",
    ],
    T.VERWALTUNG: ["Sozialamt {ki}", "Bürgerbüro {ort}"],
    T.SONSTIGE: ["Volkshochschule {ort}", "Stadtbibliothek {ort}", "Gesundheitsamt {ki}"],
}

# How often each kind occurs among a KI's partners (relative weights).
ORGANISATION_WEIGHTS: dict[str, int] = {
    T.KITA: 24,
    T.FAMILIENZENTRUM: 8,
    T.GRUNDSCHULE: 14,
    T.WEITERFUEHRENDE_SCHULE: 6,
    T.BERUFSKOLLEG: 2,
    T.JUGENDAMT: 1,
    T.WOHLFAHRTSVERBAND: 5,
    T.INTEGRATIONSAGENTUR: 2,
    T.MIGRANTENSELBSTORGANISATION: 10,
    T.VEREIN: 8,
    T.RELIGIONSGEMEINSCHAFT: 4,
    T.SONSTIGE: 3,
}
# Offices every KI works with, once each.
OFFICES = [
    T.SCHULAMT,
    T.JOBCENTER,
    T.AGENTUR_FUER_ARBEIT,
    T.AUSLAENDERBEHOERDE,
    T.EINBUERGERUNGSBEHOERDE,
    T.VERWALTUNG,
]

STREETS = [
    "Hauptstraße",
    "Schulstraße",
    "Bahnhofstraße",
    "Kirchstraße",
    "Gartenstraße",
    "Lindenstraße",
    "Goethestraße",
    "Schillerstraße",
    "Friedrich-Ebert-Straße",
    "Am Markt",
    "Mühlenweg",
    "Ringstraße",
    "Parkstraße",
    "Kastanienallee",
    "Wilhelmstraße",
    "Talstraße",
    "Rosenweg",
    "Marktplatz",
]

# First digits of postcodes by Regierungsbezirk (the postcodes themselves are invented).
POSTCODE_PREFIXES: dict[str, list[str]] = {
    "Düsseldorf": ["40", "41", "42", "46", "47"],
    "Köln": ["50", "51", "52", "53"],
    "Münster": ["45", "46", "48"],
    "Detmold": ["32", "33"],
    "Arnsberg": ["44", "57", "58", "59"],
}

FIRST_NAMES = [
    "Anna",
    "Murat",
    "Olena",
    "Jonas",
    "Fatma",
    "Lukas",
    "Mariam",
    "Piotr",
    "Sophie",
    "Ahmad",
    "Elif",
    "Tobias",
    "Ioana",
    "Nadia",
    "Kai",
    "Selin",
]
LAST_NAMES = ["Mustermann", "Musterfrau", "Beispiel", "Probe", "Muster", "Vorlage", "Platzhalter"]
CONTACT_ROLES = {
    T.KITA: ["Kita-Leitung", "stellv. Kita-Leitung"],
    T.FAMILIENZENTRUM: ["Leitung Familienzentrum"],
    T.GRUNDSCHULE: ["Schulleitung", "Koordination Sprachförderung"],
    T.WEITERFUEHRENDE_SCHULE: ["Schulleitung", "Schulsozialarbeit"],
    T.BERUFSKOLLEG: ["Bildungsgangleitung Internationale Förderklassen"],
}
DEFAULT_CONTACT_ROLES = ["Leitung", "Koordination", "Sachbearbeitung", "Projektleitung"]
PHONE_PREFIX = "0221 4710"  # Bundesnetzagentur: numbers for media productions, never assigned

GREMIEN: list[tuple[str, str]] = [
    ("Lenkungsgruppe Kommunales Integrationsmanagement", GremiumKind.LENKUNGSGRUPPE),
    ("Arbeitskreis Sprachmittlung", GremiumKind.ARBEITSKREIS),
    ("Netzwerk Frühe Bildung", GremiumKind.NETZWERK),
    ("Arbeitskreis Seiteneinstieg", GremiumKind.ARBEITSKREIS),
    ("Netzwerk Migrantenselbstorganisationen", GremiumKind.NETZWERK),
    ("Arbeitskreis Übergang Schule – Beruf", GremiumKind.ARBEITSKREIS),
    ("Runder Tisch Ehrenamt", GremiumKind.NETZWERK),
    ("Arbeitskreis Gesundheit und Integration", GremiumKind.ARBEITSKREIS),
    ("Netzwerk Antidiskriminierung", GremiumKind.NETZWERK),
    ("Arbeitskreis Wohnen", GremiumKind.ARBEITSKREIS),
]
MEETING_TOPICS = [
    "Jahresplanung",
    "Austausch zur Lage vor Ort",
    "Zwischenbilanz und Zahlen des Halbjahres",
    "Vorstellung neuer Angebote",
    "Fortbildungsbedarfe",
    "Verwendungsnachweis und Sachbericht",
    "Übergänge Kita – Grundschule",
    "Ehrenamt gewinnen und halten",
]

VENUES = [
    "Räume des Kommunalen Integrationszentrums",
    "Stadtteilzentrum {ort}",
    "Bürgerhaus {ort}",
    "Volkshochschule {ort}",
    "Rathaus {ort}, Sitzungssaal",
]
CANCEL_NOTES = [
    "Ausfall wegen Krankheit der Gruppenleitung",
    "Ausfall: Raum nicht verfügbar",
    "Ausfall wegen Unwetterwarnung",
    "Ausfall: Streik im Nahverkehr",
]
