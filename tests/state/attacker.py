"""An attacker for disclosure tests: everything it can recompute from a protected table.

Written independently of `kinrw.state.disclosure` (it only reads the published
cells and the additive groups), so the tests check the module, not themselves.
"""

from __future__ import annotations

from fractions import Fraction

from kinrw.state.disclosure import Key, ProtectedTable


def by_subtraction(table: ProtectedTable) -> dict[Key, object]:
    """Hidden cells recomputable as "total minus the other cells" of one group.

    The attack is chained: a recomputed cell counts as known in the next round.
    Also uses that every hidden cell is at least 1 (zeros are shown): k hidden
    cells that must sum to k are all 1.
    """
    known = {key: cell.value or 0 for key, cell in table.cells.items() if not cell.hidden}
    found: dict[Key, object] = {}
    changed = True
    while changed:
        changed = False
        for total, members in table.groups:
            unknown = [key for key in (total, *members) if key not in known]
            if not unknown:
                continue
            if len(unknown) == 1:
                key = unknown[0]
                rest = sum(known[m] for m in members if m != key)
                known[key] = rest if key == total else known[total] - rest
            elif total in known and known[total] - sum(
                known[m] for m in members if m in known
            ) == len(unknown):
                known.update(dict.fromkeys(unknown, 1))
            else:
                continue
            found.update({key: known[key] for key in unknown})
            changed = True
    return found


def by_linear_algebra(table: ProtectedTable) -> list[Key]:
    """Hidden cells fixed by the system of all group equations together.

    A cell is fixed iff dropping its column lowers the rank of the coefficient
    matrix over the hidden cells by one (its unit vector is in the row space).
    """
    hidden = sorted(key for key, cell in table.cells.items() if cell.hidden)
    matrix = []
    for total, members in table.groups:
        row = [Fraction(0)] * len(hidden)
        for position, key in enumerate(hidden):
            row[position] += members.count(key) - (1 if key == total else 0)
        if any(row):
            matrix.append(row)
    full = _rank(matrix)
    return [
        key
        for position, key in enumerate(hidden)
        if _rank([row[:position] + row[position + 1 :] for row in matrix]) < full
    ]


def _rank(matrix: list[list[Fraction]]) -> int:
    rows = [list(row) for row in matrix]
    rank = 0
    columns = len(rows[0]) if rows else 0
    for column in range(columns):
        pivot = next((r for r in range(rank, len(rows)) if rows[r][column]), None)
        if pivot is None:
            continue
        rows[rank], rows[pivot] = rows[pivot], rows[rank]
        for r in range(len(rows)):
            if r != rank and rows[r][column]:
                factor = rows[r][column] / rows[rank][column]
                rows[r] = [a - factor * b for a, b in zip(rows[r], rows[rank], strict=True)]
        rank += 1
    return rank
