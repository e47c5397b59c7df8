"""Disclosure control with crafted data: primary and secondary suppression hold."""

from __future__ import annotations

import random

import pytest

from kinrw.state.disclosure import (
    CONFIDENTIAL,
    NOTHING,
    PRIMARY,
    SECONDARY,
    KiFigures,
    ProtectedCell,
    ProtectedTable,
    bezirk_key,
    determined,
    ki_key,
    part_key,
    protect,
)
from tests.state.attacker import by_linear_algebra, by_subtraction

K = KiFigures


def assert_safe(table: ProtectedTable) -> None:
    assert by_subtraction(table) == {}
    assert by_linear_algebra(table) == []
    for cell in table.cells.values():
        if cell.hidden:
            assert cell.value is None
            assert str(cell) == CONFIDENTIAL


def test_primary_suppression_hides_small_person_counts_only():
    table = protect(
        [
            K("koeln", "Köln", 2),
            K("bonn", "Köln", 0),
            K("aachen", "Köln", None),
            K("leverkusen", "Köln", 30),
            K("dueren", "Köln", 40),
            K("bielefeld", "Detmold", 3),
        ]
    )
    assert table.ki("koeln").reason == PRIMARY
    assert str(table.ki("koeln")) == "."
    assert table.ki("koeln").value is None
    # A true zero names nobody: shown as "–" (nichts vorhanden), like a missing report.
    assert (table.ki("bonn").value, str(table.ki("bonn"))) == (0, NOTHING)
    assert (table.ki("aachen").value, str(table.ki("aachen"))) == (None, NOTHING)
    assert table.ki("leverkusen").reason == SECONDARY
    assert str(table.ki("bielefeld")) == "3"
    assert_safe(table)


def test_threshold_is_a_parameter():
    table = protect([K("koeln", "Köln", 4), K("bonn", "Köln", 50), K("dueren", "Köln", 60)])
    assert not table.hidden()
    table = protect(
        [K("koeln", "Köln", 4), K("bonn", "Köln", 50), K("dueren", "Köln", 60)], threshold=5
    )
    assert table.ki("koeln").reason == PRIMARY


def test_row_group_a_lone_hidden_breakdown_cell_gets_a_partner():
    # Without secondary suppression: 14 - 5 - 7 = 2 would reveal the hidden cell.
    row = K("koeln", "Köln", 14, {"0-1": 2, "1-3": 5, "4-6": 7})
    table = protect([row, K("bonn", "Köln", 30), K("dueren", "Köln", 40)])
    assert table.part("koeln", "0-1").reason == PRIMARY
    assert table.part("koeln", "1-3").reason == SECONDARY  # the smallest other cell
    assert str(table.part("koeln", "4-6")) == "7"
    assert str(table.ki("koeln")) == "14"
    assert_safe(table)


def test_bezirk_group_a_lone_hidden_ki_gets_a_partner():
    # Without secondary suppression: Bezirk 32 - 10 - 20 = 2.
    rows = [K("a", "Köln", 2), K("b", "Köln", 10), K("c", "Köln", 20), K("d", "Detmold", 50)]
    table = protect(rows)
    assert table.ki("a").reason == PRIMARY
    assert table.ki("b").reason == SECONDARY
    assert str(table.bezirk("Köln")) == "32"
    assert str(table.land) == "82"
    assert_safe(table)


def test_land_group_a_lone_hidden_bezirk_gets_a_partner():
    # Bezirk Detmold is one small KI: its total is secret too; Land 2 + 30 + 70 would reveal it.
    rows = [
        K("a", "Detmold", 2),
        K("b", "Köln", 10),
        K("c", "Köln", 20),
        K("d", "Münster", 30),
        K("e", "Münster", 40),
    ]
    table = protect(rows)
    assert table.bezirk("Detmold").reason == PRIMARY
    assert table.bezirk("Köln").reason == SECONDARY  # smallest other Bezirk (30 < 70)
    # Köln's total hidden, its KIs all shown would give it back: one KI is hidden as well.
    assert table.ki("b").reason == SECONDARY
    assert str(table.land) == "102"
    assert_safe(table)


def test_land_over_kis_group_never_reveals_a_lone_hidden_ki():
    rows = [K("a", "Köln", 1), K("b", "Köln", 9), K("c", "Detmold", 100), K("d", "Münster", 7)]
    table = protect(rows)
    hidden_kis = [key for key in table.hidden() if key[0] == "ki"]
    assert len(hidden_kis) >= 2  # Land 117 minus all shown KIs leaves two or more unknowns
    assert_safe(table)


def test_hidden_cells_that_must_all_be_one_get_a_partner():
    # Two hidden KIs summing to 2 are each 1: the total pins them; a third cell is hidden.
    rows = [K("a", "Köln", 1), K("b", "Köln", 1), K("c", "Köln", 30), K("d", "Köln", 40)]
    table = protect(rows)
    assert table.hidden() == {
        ki_key("a"): PRIMARY,
        ki_key("b"): PRIMARY,
        ki_key("c"): SECONDARY,
    }
    assert_safe(table)


def test_breakdown_and_bezirk_interact_until_a_fixed_point():
    rows = [
        K("a", "Köln", 12, {"w": 1, "m": 11}),
        K("b", "Köln", 2, {"w": 0, "m": 2}),
        K("c", "Köln", 25, {"w": 12, "m": 13}),
        K("d", "Detmold", 9, {"w": 4, "m": 5}),
    ]
    table = protect(rows)
    assert table.part("a", "w").reason == PRIMARY
    assert table.part("a", "m").reason == SECONDARY
    assert table.ki("b").reason == PRIMARY
    assert table.ki("a").hidden  # b needs a partner in Köln: a (12) is the smallest
    assert not table.hidden().keys() & {part_key("b", "w"), bezirk_key("Köln")}
    assert_safe(table)


def test_nothing_hidden_when_every_cell_reaches_the_threshold():
    rows = [
        K(f"ki{i}", bezirk, 3 + i, {"x": 3, "y": i})
        for i, bezirk in enumerate(["Köln", "Köln", "Detmold"], start=3)
    ]
    table = protect(rows)
    assert table.hidden() == {}
    assert all(not cell.hidden for cell in table.cells.values())


def test_non_person_indicators_are_never_suppressed():
    rows = [K("a", "Köln", 1), K("b", "Köln", 2, {"x": 1, "y": 1}), K("c", "Detmold", 0)]
    table = protect(rows, counts_persons=False)
    assert table.hidden() == {}
    assert [table.ki(s).value for s in "abc"] == [1, 2, 0]
    assert table.part("b", "x").value == 1
    assert table.land.value == 3


def test_breakdown_must_add_up():
    with pytest.raises(ValueError, match="does not add up"):
        protect([K("a", "Köln", 5, {"x": 1, "y": 1})])
    with pytest.raises(ValueError, match="twice"):
        protect([K("a", "Köln", 5), K("a", "Köln", 6)])


def random_rows(rng: random.Random) -> list[KiFigures]:
    bezirke = rng.sample(
        ["Arnsberg", "Detmold", "Düsseldorf", "Köln", "Münster"], rng.randint(1, 5)
    )
    breakdown = ["a", "b", "c", "d"][: rng.choice([0, 0, 2, 3, 4])]
    rows = []
    for number in range(rng.randint(1, 14)):

        def figure() -> int | None:
            return rng.choice([None, 0, 1, 1, 2, 2, 3, 4, 5, 8, 13, 40])

        parts = {name: figure() for name in breakdown}
        value = figure() if not breakdown else None
        rows.append(K(f"ki{number:02d}", rng.choice(bezirke), value, parts))
    return rows


@pytest.mark.parametrize("seed", range(300))
def test_random_tables_reveal_no_hidden_cell(seed):
    rows = random_rows(random.Random(seed))  # noqa: S311 (test data, fixed seed)
    table = protect(rows)
    assert_safe(table)
    plain = protect(rows, counts_persons=False)
    for key, cell in table.cells.items():
        value = plain[key].value
        if value is not None and 0 < value < 3:
            assert cell.reason == PRIMARY
        if not cell.hidden:
            assert cell.value == value  # published figures are the true figures


@pytest.mark.parametrize("seed", range(50))
def test_protection_is_deterministic(seed):
    rows = random_rows(random.Random(seed))  # noqa: S311 (test data, fixed seed)
    first = protect(rows)
    shuffled = list(rows)
    random.Random(seed + 1000).shuffle(shuffled)  # noqa: S311 (fixed seed)
    assert protect(shuffled) == first
    assert protect(rows) == first


def test_determined_finds_cells_fixed_only_by_several_groups_together():
    # Each group alone has two unknowns, together x + y, y + z, x + z fix all three.
    x, y, z = ki_key("x"), ki_key("y"), ki_key("z")
    groups = [(bezirk_key("1"), (x, y)), (bezirk_key("2"), (y, z)), (bezirk_key("3"), (x, z))]
    assert determined(groups, {x, y, z}) == [x, y, z]
    assert determined(groups[:2], {x, y, z}) == []


@pytest.mark.parametrize("seed", range(40))
def test_determined_agrees_with_the_attacker(seed):
    rng = random.Random(seed)  # noqa: S311 (test data, fixed seed)
    table = protect(random_rows(rng), counts_persons=False)
    hidden = set(rng.sample(sorted(table.cells), k=min(len(table.cells), rng.randint(1, 8))))
    cells = {
        key: ProtectedCell(value=None, symbol=CONFIDENTIAL) if key in hidden else cell
        for key, cell in table.cells.items()
    }
    attacked = ProtectedTable(cells=cells, groups=table.groups)
    assert determined(table.groups, hidden) == by_linear_algebra(attacked)


def test_a_full_size_table_with_breakdown_is_safe():
    rng = random.Random(1)  # noqa: S311 (test data, fixed seed)
    bezirke = ["Arnsberg", "Detmold", "Düsseldorf", "Köln", "Münster"]
    rows = [
        K(
            f"ki{i:02d}",
            bezirke[i % 5],
            None,
            {f"v{j:02d}": rng.choice([0, 1, 2, 3, 8, 50]) for j in range(12)},
        )
        for i in range(54)
    ]
    table = protect(rows)
    assert len(table.hidden()) > 54
    assert_safe(table)


def test_worked_example_of_docs_state_md():
    rows = [
        K("bonn", "Köln", 14, {"0-1": 2, "1-3": 5, "4-6": 7}),
        K("koeln", "Köln", 31, {"0-1": 9, "1-3": 12, "4-6": 10}),
        K("leverkusen", "Köln", 1, {"0-1": 0, "1-3": 1, "4-6": 0}),
        K("bielefeld", "Detmold", 20, {"0-1": 6, "1-3": 8, "4-6": 6}),
        K("paderborn", "Detmold", 17, {"0-1": 4, "1-3": 6, "4-6": 7}),
    ]
    table = protect(rows)
    assert table.hidden() == {
        part_key("bonn", "0-1"): PRIMARY,
        part_key("bonn", "1-3"): SECONDARY,
        ki_key("bonn"): SECONDARY,
        part_key("leverkusen", "1-3"): PRIMARY,
        ki_key("leverkusen"): PRIMARY,
    }
    assert [str(table.part("leverkusen", v)) for v in ("0-1", "4-6")] == [NOTHING, NOTHING]
    assert [str(table.bezirk("Köln")), str(table.bezirk("Detmold")), str(table.land)] == [
        "46",
        "37",
        "83",
    ]
    assert_safe(table)
