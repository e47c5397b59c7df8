"""``kinrw accounts token create|list|revoke``: the key printed once, then usable, then not."""

from __future__ import annotations

import pytest
from click.testing import CliRunner, Result

from kinrw.cli.accounts import accounts
from kinrw.tenancy.context import in_tenant
from kinrw.workspace.models import ApiToken
from tests.api.conftest import token_api
from tests.kit import Kit

pytestmark = pytest.mark.django_db


def _run(*args: str) -> Result:
    return CliRunner().invoke(accounts, ["token", *args], catch_exceptions=False)


def test_create_prints_the_key_once_and_it_works(kit: Kit) -> None:
    result = _run(
        "create", "--tenant", "koeln", "--email", kit.a.staff_email, "--name", "Fachverfahren"
    )
    assert result.exit_code == 0, result.output
    key = result.output.strip().splitlines()[-1]
    assert key.startswith("kinrw_") and "Fachverfahren" in result.output
    assert token_api(kit.a, key).get("measures/").status_code == 200
    with in_tenant(kit.a.tenant):
        token = ApiToken.objects.get()
        assert token.user.email == kit.a.staff_email and token.expires_at is None

    listed = _run("list", "--tenant", "koeln")
    assert token.prefix in listed.output and "aktiv" in listed.output
    assert key not in listed.output

    revoked = _run("revoke", "--tenant", "koeln", f"{token.prefix}…")
    assert revoked.exit_code == 0, revoked.output
    assert token_api(kit.a, key).get("measures/").status_code == 401
    assert "widerrufen" in _run("list", "--tenant", "koeln").output


def test_create_with_days_sets_the_expiry(kit: Kit) -> None:
    result = _run(
        "create", "--tenant", "bonn", "--email", kit.b.admin_email, "--name", "x", "--days", "30"
    )
    assert result.exit_code == 0 and "Gültig bis" in result.output
    with in_tenant(kit.b.tenant):
        assert ApiToken.objects.get().expires_at is not None


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--tenant", "nirgendwo", "--email", "a@b.example", "--name", "x"], "Kein KI"),
        (["--tenant", "koeln", "--email", "leitung@bonn.example", "--name", "x"], "kein Konto"),
        (["--tenant", "koeln", "--email", "leitung@koeln.example", "--name", " "], "Bezeichnung"),
    ],
)
def test_bad_input_is_one_german_line_and_code_2(kit: Kit, args: list[str], words: str) -> None:
    result = CliRunner().invoke(accounts, ["token", "create", *args])
    assert result.exit_code == 2
    assert result.output.startswith("Fehler: ") and words in result.output
    with in_tenant(kit.a.tenant):
        assert not ApiToken.objects.exists()


def test_revoke_an_unknown_prefix(kit: Kit) -> None:
    result = CliRunner().invoke(accounts, ["token", "revoke", "--tenant", "koeln", "kinrw_xxxxxx"])
    assert result.exit_code == 2 and "Kein Schlüssel" in result.output
