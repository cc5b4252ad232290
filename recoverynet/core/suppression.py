"""Small-number protection for published counts about people, for every app.

Rules (the same on every page, export and API response):

* **Primary suppression.** A count from 1 to 4 is never shown: it reads
  "fewer than 5" (``FEWER_THAN_FIVE``).
* **Zero is shown.** "Nobody" describes no one: a 0 cannot single a person
  out, and hiding it would make "fewer than 5" mean "1 to 4" less often than
  people expect, not more safely. A zero is never chosen as a complementary
  cell (below) when another cell will do, because a hidden 0 next to a hidden
  1 would give the 1 away (their sum is 1 and "fewer than 5" means at least 1).
* **Secondary (complementary) suppression.** In a table published with its
  totals, each total is the sum of its row or column, so one hidden cell in a
  line could be worked out by subtraction. Every line (a row with its row
  total, a column with its column total, the totals with the grand total)
  must therefore hold either no hidden figure or at least two. While a line
  holds exactly one, the smallest shown non-zero figure in that line is hidden
  too (``WITHHELD``), and the check runs again over every line, until none is
  left with a single hidden figure.
* **Rates and averages** are shown only when the group they are about has at
  least 5 people and its size is itself shown (:func:`protect_rate`).
* **Sums over people** (hours given) follow the same rule as an average of
  their group, and where they are published with a total that they add up to,
  the total is a line like a count's: :func:`protect_sums` withholds another
  figure in it so that no hidden sum is the total less the shown ones.

The logic here is pure (numbers in, decisions out); apps render ``Figure.display``.
"""

from dataclasses import dataclass
from enum import Enum

THRESHOLD = 5
FEWER_THAN_FIVE = "fewer than 5"
WITHHELD = "withheld"
NOT_SHOWN = "not shown (group under 5)"


class Status(Enum):
    SHOWN = "shown"
    SMALL = "small"  # primary: a count from 1 to 4
    WITHHELD = "withheld"  # secondary: hidden so a small count cannot be worked out


def is_small(value) -> bool:
    """A count that must not be shown: 1 to 4 people."""
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value < THRESHOLD


@dataclass(frozen=True)
class Figure:
    """One published number and whether it may be shown."""

    value: object  # the true value, for computing only: never render it unless `shown`
    status: Status = Status.SHOWN
    reason: str = ""

    @property
    def shown(self) -> bool:
        return self.status is Status.SHOWN

    @property
    def public_value(self):
        """The value to publish, or None when it is hidden."""
        return self.value if self.shown else None

    @property
    def display(self) -> str:
        if self.status is Status.SMALL:
            return FEWER_THAN_FIVE
        if self.status is Status.WITHHELD:
            return self.reason or WITHHELD
        if self.value is None:
            return ""
        if isinstance(self.value, float):
            return f"{self.value:,.1f}"
        return f"{self.value:,}" if isinstance(self.value, int) else str(self.value)

    def __str__(self):
        return self.display


def protect_count(value: int) -> Figure:
    """A count published on its own, with no total it adds up to."""
    return Figure(value, Status.SMALL) if is_small(value) else Figure(value)


def protect_rate(value, group: Figure | None) -> Figure:
    """A rate or average about `group` (the people it is over): hidden unless the
    group's size is shown and at least 5. `group` None: a rate over something
    that is not a group of people (a population), shown as it is."""
    if value is None:
        return Figure(None)
    if group is not None and (not group.shown or group.value is None or group.value < THRESHOLD):
        return Figure(value, Status.WITHHELD, NOT_SHOWN)
    return Figure(value)


@dataclass(frozen=True)
class ProtectedTable:
    """A table of counts with its totals, after suppression. ``grid`` is the
    extended table: the cells, then a column of row totals (if any), then a row
    of column totals (if any) ending with the grand total (if both)."""

    grid: tuple[tuple[Figure, ...], ...]
    rows: int
    columns: int
    row_totals: bool
    column_totals: bool

    def cell(self, row: int, column: int) -> Figure:
        return self.grid[row][column]

    def row_total(self, row: int) -> Figure:
        if not self.row_totals:
            raise ValueError("This table has no row totals.")
        return self.grid[row][self.columns]

    def column_total(self, column: int) -> Figure:
        if not self.column_totals:
            raise ValueError("This table has no column totals.")
        return self.grid[self.rows][column]

    def grand_total(self) -> Figure:
        if not (self.row_totals and self.column_totals):
            raise ValueError("This table has no grand total.")
        return self.grid[self.rows][self.columns]

    def lines(self) -> list[list[tuple[int, int]]]:
        return _lines(self.rows, self.columns, self.row_totals, self.column_totals)


def _lines(rows, columns, row_totals, column_totals):
    """Every set of positions whose last member is the sum of the others."""
    height = rows + (1 if column_totals else 0)
    width = columns + (1 if row_totals else 0)
    lines = []
    if row_totals:
        lines.extend([[(r, c) for c in range(width)] for r in range(height)])
    if column_totals:
        lines.extend([[(r, c) for r in range(height)] for c in range(width)])
    return lines


def protect_table(cells, *, row_totals: bool = True, column_totals: bool = True, hidden=()) -> ProtectedTable:
    """Suppress a table of counts (``cells``: rows of non-negative ints) published
    with the totals asked for, so that no count from 1 to 4 is shown and no
    hidden figure can be worked out from its line's total and other figures.

    ``hidden``: positions (row, column) in the extended table (totals included)
    already hidden elsewhere, e.g. a network's total that its own table withheld,
    so that this table's cells cannot be added up to it."""
    matrix = [[int(value) for value in row] for row in cells]
    rows = len(matrix)
    columns = len(matrix[0]) if rows else 0
    if any(len(row) != columns for row in matrix):
        raise ValueError("Every row needs the same number of cells.")
    if any(value < 0 for row in matrix for value in row):
        raise ValueError("Counts cannot be negative.")
    grid = [list(row) for row in matrix]
    if row_totals:
        for row in grid:
            row.append(sum(row))
    if column_totals:
        width = columns + (1 if row_totals else 0)
        grid.append([sum(grid[r][c] for r in range(rows)) for c in range(width)])

    status = {
        (r, c): (Status.SMALL if is_small(value) else Status.SHOWN)
        for r, row in enumerate(grid)
        for c, value in enumerate(row)
    }
    for position in hidden:
        if position not in status:
            raise ValueError(f"No figure at {position} to hide.")
        if status[position] is Status.SHOWN:
            status[position] = Status.WITHHELD
    _complement(grid, status, _lines(rows, columns, row_totals, column_totals))
    protected = tuple(tuple(Figure(value, status[(r, c)]) for c, value in enumerate(row)) for r, row in enumerate(grid))
    return ProtectedTable(protected, rows, columns, row_totals, column_totals)


def _complement(grid, status, lines):
    """Hide (WITHHELD) the smallest shown non-zero figure of every line holding exactly one
    hidden figure, until none does: `status` ({position: Status}) is changed in place."""
    changed = True
    while changed:
        changed = False
        for line in lines:
            hidden = [p for p in line if status[p] is not Status.SHOWN]
            if len(hidden) != 1:
                continue
            candidates = [p for p in line if status[p] is Status.SHOWN]
            if not candidates:  # a line of one figure: nothing sums to it
                continue
            # The smallest non-zero figure (a zero only if nothing else is left); ties by position.
            choice = min(candidates, key=lambda p: (grid[p[0]][p[1]] == 0, grid[p[0]][p[1]], p))
            status[choice] = Status.WITHHELD
            changed = True


def protect_sums(cells: list, total, groups: list, group_total) -> tuple[list[Figure], Figure]:
    """A column of sums over people (hours each network's volunteers gave) and their total,
    beside the counts of those people (``groups``, ``group_total``: the published Figures).

    A sum is not shown (``NOT_SHOWN``) where its group is under 5 people or its count is
    hidden, as for an average (a sum of 0 over nobody is shown: it says nothing of anyone);
    then, as the cells add up to the total, a line with one hidden figure has its smallest
    shown non-zero one withheld too, so no hidden sum is the total less the others."""
    values = [*cells, total]
    status, reasons = {}, {}
    for index, (value, group) in enumerate(zip(values, [*groups, group_total], strict=True)):
        nothing = not value and group.shown and group.value == 0
        hidden = not nothing and not protect_rate(value, group).shown
        status[(index, 0)] = Status.WITHHELD if hidden else Status.SHOWN
        reasons[(index, 0)] = NOT_SHOWN if hidden else ""
    _complement([[value] for value in values], status, [[(index, 0) for index in range(len(values))]])
    figures = [Figure(value, status[(i, 0)], reasons[(i, 0)]) for i, value in enumerate(values)]
    return figures[:-1], figures[-1]
