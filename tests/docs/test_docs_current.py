"""Docs that nothing else checks rot: these keep docs/cli.md and the ADR index honest."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest

from kinrw.cli.main import _register, cli
from kinrw.cli.tenants import tenant_json
from tests.kit import Kit

DOCS = Path(__file__).resolve().parents[2] / "docs"
CLI_DOC = (DOCS / "cli.md").read_text(encoding="utf-8")


def _documented_fields(section_start: str, section_end: str) -> set[str]:
    section = CLI_DOC[CLI_DOC.index(section_start) : CLI_DOC.index(section_end)]
    return set(re.findall(r"^\| `([a-z0-9_.]+)` \|", section, re.M))


@pytest.mark.django_db
def test_json_contract_in_the_docs_matches_the_output(kit: Kit) -> None:
    documented = _documented_fields("## JSON output", "`tenants show --json` adds")
    assert documented == set(tenant_json(kit.a.tenant))


def test_every_command_is_documented() -> None:
    _register()

    def walk(group: click.Group, prefix: str) -> list[str]:
        names = []
        for name, command in group.commands.items():
            full = f"{prefix} {name}"
            names.append(full)
            if isinstance(command, click.Group):
                names += walk(command, full)
        return names

    missing = [name for name in walk(cli, "kinrw") if name not in CLI_DOC]
    assert not missing, f"not in docs/cli.md: {missing}"


def test_every_decision_record_is_in_the_index() -> None:
    index = (DOCS / "adr" / "README.md").read_text(encoding="utf-8")
    records = sorted(p.name for p in (DOCS / "adr").glob("[0-9][0-9][0-9][0-9]-*.md"))
    assert records, "no decision records found"
    assert [r for r in records if r not in index] == []
