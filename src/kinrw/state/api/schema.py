"""OpenAPI settings of the State API (schema view and ``kinrw django spectacular``).

Generate the committed reference with::

    kinrw django spectacular --urlconf kinrw.conf.urls_public \
        --custom-settings kinrw.state.api.schema.SETTINGS --lang de --validate \
        --fail-on-warn --file docs/api/openapi-state.yaml
"""

from __future__ import annotations

URLCONF = "kinrw.conf.urls_public"

SETTINGS = {
    "TITLE": "KI-Plattform NRW – Schnittstelle der Landesebene",
    "DESCRIPTION": (
        "Lesende REST-Schnittstelle (API) der Landesebene: Programmkatalog, die sichtbaren "
        "Kommunalen Integrationszentren und ihre zusammengefassten Zahlen, geschützt wie im "
        "Dashboard (Geheimhaltung: „.“ gesperrt, „–“ nichts vorhanden). Sie gilt nur auf dem "
        "Host der Landesebene (https://<Domain>/api/v1/state/). Anmeldung mit der Sitzung "
        "im Browser; eine Bezirksregierung sieht nur die KI ihres Regierungsbezirks."
    ),
    "SCHEMA_PATH_PREFIX": "/api/v1/state",
}
