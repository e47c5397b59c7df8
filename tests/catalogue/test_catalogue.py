"""The programme catalogue: loaded from its data file, validated, never deleted."""

from __future__ import annotations

from pathlib import Path

import pytest

from kinrw.catalogue import loader
from kinrw.catalogue.models import Breakdown, Indicator, Programme
from kinrw.catalogue.services import catalogue_apply
from tests.kit import Kit

pytestmark = pytest.mark.django_db

SMALL = """
version = 1

[[breakdown]]
code = "gender"
label = "Geschlecht"
values = [{ code = "weiblich", label = "weiblich" }, { code = "maennlich", label = "männlich" }]

[[programme]]
code = "testprogramm"
name = "Testprogramm"
funding_line = "Testförderung"
handlungsfeld = "kultur"
active_from = 2020
active_until = 0
description = "Nur für Tests."

  [[programme.indicator]]
  code = "teilnehmende"
  label = "Teilnehmende"
  unit = "persons"
  counts_persons = true
  breakdowns = ["gender"]

  [[programme.indicator]]
  code = "termine"
  label = "Termine"
  unit = "sessions"
"""

REQUIRED_PROGRAMMES = {
    "griffbereit",
    "griffbereit_mini",
    "rucksack_kita",
    "rucksack_schule",
    "komm_an",
    "sprachmittlerpool",
    "seiteneinstieg",
    "kim_baustein_1",
    "kim_baustein_2",
    "kim_baustein_3",
    "mso",
    "durchstarten",
    "eigene_massnahme",
}


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "programmes.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_shipped_catalogue_has_the_domain_programmes() -> None:
    spec = loader.load()
    codes = {p.code for p in spec.programmes}
    assert codes >= REQUIRED_PROGRAMMES
    own = [p for p in spec.programmes if p.own_measure]
    assert [p.code for p in own] == ["eigene_massnahme"]
    assert all(p.indicators for p in spec.programmes)
    persons = {p.code for p in spec.programmes if any(i.counts_persons for i in p.indicators)}
    assert {"griffbereit", "rucksack_kita", "seiteneinstieg", "eigene_massnahme"} <= persons


def test_kit_database_holds_the_shipped_catalogue(kit: Kit) -> None:
    assert set(Programme.objects.values_list("code", flat=True)) >= REQUIRED_PROGRAMMES
    griffbereit = Programme.objects.get(code="griffbereit")
    assert griffbereit.indicators.filter(counts_persons=True).exists()


def test_apply_is_idempotent_and_updates_in_place(kit: Kit, tmp_path: Path) -> None:
    path = _write(tmp_path, SMALL)
    first = catalogue_apply(path=path)
    assert "Programm testprogramm" in first.created
    assert "Indikator testprogramm.teilnehmende" in first.created
    assert catalogue_apply(path=path).empty
    programme_id = Programme.objects.get(code="testprogramm").pk
    changed = catalogue_apply(path=_write(tmp_path, SMALL.replace('"Termine"', '"Treffen"')))
    assert changed.updated == ["Indikator testprogramm.termine (label)"]
    assert Programme.objects.get(code="testprogramm").pk == programme_id
    assert Indicator.objects.get(programme_id=programme_id, code="termine").label == "Treffen"


def test_entries_leaving_the_file_are_deactivated_not_deleted(kit: Kit, tmp_path: Path) -> None:
    catalogue_apply(path=_write(tmp_path, SMALL))
    without_termine = SMALL[: SMALL.index('  [[programme.indicator]]\n  code = "termine"')]
    changes = catalogue_apply(path=_write(tmp_path, without_termine))
    assert "Indikator testprogramm.termine" in changes.deactivated
    indicator = Indicator.objects.get(programme__code="testprogramm", code="termine")
    assert indicator.is_active is False
    # the shipped programmes that are not in this small file are deactivated, not gone
    assert not Programme.objects.get(code="griffbereit").is_active
    assert Programme.objects.filter(code="griffbereit").exists()


def test_dry_run_changes_nothing(kit: Kit, tmp_path: Path) -> None:
    before = list(Programme.objects.values_list("code", "is_active").order_by("code"))
    changes = catalogue_apply(path=_write(tmp_path, SMALL), dry_run=True)
    assert "Programm testprogramm" in changes.created
    assert list(Programme.objects.values_list("code", "is_active").order_by("code")) == before


@pytest.mark.parametrize(
    ("broken", "message"),
    [
        (('unit = "sessions"', 'unit = "stunden"'), "unbekannte Einheit „stunden“"),
        (
            ('breakdowns = ["gender"]', 'breakdowns = ["alter"]'),
            "unbekannte Aufschlüsselung „alter“",
        ),
        (('handlungsfeld = "kultur"', 'handlungsfeld = "musik"'), "unbekanntes Handlungsfeld"),
        (("active_from = 2020", 'active_from = "2020"'), "„active_from“ muss ein Jahr sein"),
        (("active_until = 0", "active_until = 2019"), "„active_until“"),
        (('code = "termine"', 'code = "teilnehmende"'), "steht doppelt"),
        (('code = "testprogramm"', 'code = "Test-Programm"'), "ungültiger Schlüssel"),
        (("version = 1", "version = 1\n[[[broken"), "keine gültige TOML-Datei"),
    ],
)
def test_bad_catalogue_files_are_refused_and_change_nothing(
    kit: Kit, tmp_path: Path, broken: tuple[str, str], message: str
) -> None:
    before = (Programme.objects.count(), Indicator.objects.count(), Breakdown.objects.count())
    with pytest.raises(loader.CatalogueError, match=message):
        catalogue_apply(path=_write(tmp_path, SMALL.replace(*broken, 1)))
    assert (
        Programme.objects.count(),
        Indicator.objects.count(),
        Breakdown.objects.count(),
    ) == before


def test_the_catalogue_lives_in_public_only(kit: Kit) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_schema FROM information_schema.tables "
            "WHERE table_name = 'catalogue_programme' ORDER BY 1"
        )
        assert [row[0] for row in cursor.fetchall()] == ["public"]


def test_cli_apply_reports_and_refuses_in_one_line(kit: Kit, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from kinrw.cli.main import _register, cli

    _register()
    runner = CliRunner()
    done = runner.invoke(cli, ["catalogue", "apply", str(_write(tmp_path, SMALL))])
    assert done.exit_code == 0, done.output
    assert "+ Programm testprogramm" in done.output
    again = runner.invoke(cli, ["catalogue", "apply", str(_write(tmp_path, SMALL))])
    assert "Nichts zu tun" in again.output
    broken = runner.invoke(cli, ["catalogue", "apply", str(_write(tmp_path, "version = 1\n"))])
    assert broken.exit_code == 2
    assert broken.output.strip().splitlines() == [
        f"Fehler: {tmp_path / 'programmes.toml'}: der Katalog enthält kein Programm."
    ]
