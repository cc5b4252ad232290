"""Small-number protection (core.suppression): no count from 1 to 4 is ever shown,
and no hidden figure can be worked out from its row or column total."""

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from recoverynet.core.suppression import (
    FEWER_THAN_FIVE,
    NOT_SHOWN,
    WITHHELD,
    Figure,
    Status,
    is_small,
    protect_count,
    protect_rate,
    protect_sums,
    protect_table,
)


@pytest.mark.parametrize(("value", "small"), [(0, False), (1, True), (4, True), (5, False), (250, False)])
def test_only_counts_from_one_to_four_are_small(value, small):
    assert is_small(value) is small
    figure = protect_count(value)
    assert figure.shown is not small
    assert figure.display == (FEWER_THAN_FIVE if small else f"{value:,}")


def test_zero_is_shown_and_large_numbers_are_grouped():
    assert protect_count(0).display == "0"
    assert protect_count(12345).display == "12,345"
    assert protect_count(3).public_value is None


def test_a_rate_over_a_small_or_hidden_group_is_not_shown():
    assert protect_rate(50.0, protect_count(4)).display == NOT_SHOWN
    assert protect_rate(50.0, Figure(9, Status.WITHHELD)).public_value is None
    assert protect_rate(50.0, protect_count(5)).display == "50.0"
    assert protect_rate(12.5, None).display == "12.5"  # over a population, not a group of people
    assert protect_rate(None, protect_count(10)).display == ""


def test_a_single_small_cell_takes_the_next_smallest_in_its_row_and_column_with_it():
    # Cells, row totals, column totals:
    #   3  10  20 | 33
    #   7  12  30 | 49
    #  10  22  50 | 82
    table = protect_table([[3, 10, 20], [7, 12, 30]])
    assert table.cell(0, 0).display == FEWER_THAN_FIVE
    # Row 0: the next smallest shown is 10; column 0: 7.
    assert table.cell(0, 1).status is Status.WITHHELD
    assert table.cell(1, 0).status is Status.WITHHELD
    assert table.cell(0, 1).display == WITHHELD
    # Row 1 and column 1 now hold one hidden cell each, so 12 goes too.
    assert table.cell(1, 1).status is Status.WITHHELD
    assert [table.cell(r, 2).shown for r in range(2)] == [True, True]
    assert table.row_total(0).shown and table.column_total(0).shown and table.grand_total().shown


def test_a_small_total_is_hidden_and_protected_too():
    table = protect_table([[1, 0], [2, 9]])
    # Row 0's total is 1, column 0's total is 3: both small.
    assert table.row_total(0).display == FEWER_THAN_FIVE
    assert table.column_total(0).display == FEWER_THAN_FIVE
    assert table.cell(0, 0).display == FEWER_THAN_FIVE
    assert table.cell(0, 1).display == "0"
    _assert_protected(table)


def test_a_zero_is_not_chosen_when_another_figure_will_do():
    # Hiding the 0 beside the 1 would give the 1 away: hidden sum 1, and "fewer than 5" means at least 1.
    table = protect_table([[0, 1, 10]], column_totals=False)
    assert table.cell(0, 0).shown
    assert table.cell(0, 2).status is Status.WITHHELD


def test_columns_only():
    table = protect_table([[2], [8], [9]], row_totals=False)
    assert not table.cell(0, 0).shown and table.cell(1, 0).status is Status.WITHHELD
    assert table.cell(2, 0).shown and table.column_total(0).display == "19"
    with pytest.raises(ValueError, match="row totals"):
        table.row_total(0)


def test_a_total_hidden_elsewhere_takes_a_cell_with_it():
    # The network's 8 was withheld on the federation's table: its settlements must not add up to it.
    table = protect_table([[8], [0]], row_totals=False, hidden=[(2, 0)])
    assert table.column_total(0).status is Status.WITHHELD
    assert table.cell(0, 0).status is Status.WITHHELD
    assert table.cell(1, 0).shown
    with pytest.raises(ValueError, match="No figure"):
        protect_table([[1]], row_totals=False, hidden=[(5, 5)])


@settings(max_examples=150, deadline=None)
@given(cells=st.lists(st.lists(st.integers(0, 20), min_size=3, max_size=3), min_size=1, max_size=5), data=st.data())
def test_hidden_positions_stay_hidden_and_protected(cells, data):
    rows, columns = len(cells), 3
    positions = [(r, c) for r in range(rows + 1) for c in range(columns + 1)]
    hidden = data.draw(st.lists(st.sampled_from(positions), max_size=3))
    table = protect_table(cells, hidden=hidden)
    _assert_protected(table)
    assert all(not table.grid[r][c].shown for r, c in hidden)


def test_bad_tables_are_refused():
    with pytest.raises(ValueError, match="same number"):
        protect_table([[1, 2], [3]])
    with pytest.raises(ValueError, match="negative"):
        protect_table([[-1]])


def _assert_protected(table):
    """No shown figure is 1-4, every small figure is hidden, and no line (a row or column
    with its total) holds exactly one hidden figure, which its total would give away."""
    for row in table.grid:
        for figure in row:
            assert not (figure.shown and is_small(figure.value)), figure
            assert not (is_small(figure.value) and figure.status is not Status.SMALL), figure
            if figure.shown:
                assert figure.public_value == figure.value
            else:
                assert figure.public_value is None
                assert figure.display in (FEWER_THAN_FIVE, WITHHELD)
    for line in table.lines():
        hidden = [position for position in line if not table.grid[position[0]][position[1]].shown]
        assert len(hidden) != 1, (line, hidden)


def _derivable(table):
    """Positions an attacker can pin down from the published figures of one line: the
    line's total minus its other shown figures, when exactly one figure is hidden."""
    found = []
    for line in table.lines():
        hidden = [p for p in line if not table.grid[p[0]][p[1]].shown]
        if len(hidden) == 1:
            found.append(hidden[0])
    return found


counts = st.integers(min_value=0, max_value=40) | st.integers(min_value=0, max_value=6)
tables = st.integers(min_value=1, max_value=6).flatmap(
    lambda width: st.lists(st.lists(counts, min_size=width, max_size=width), min_size=1, max_size=6)
)


@settings(max_examples=300, deadline=None)
@given(cells=tables, row_totals=st.booleans(), column_totals=st.booleans())
def test_no_shown_count_is_small_and_no_hidden_cell_is_derivable(cells, row_totals, column_totals):
    table = protect_table(cells, row_totals=row_totals, column_totals=column_totals)
    _assert_protected(table)
    assert _derivable(table) == []
    # The cells are the input's, in place.
    assert [[table.cell(r, c).value for c in range(len(cells[0]))] for r in range(len(cells))] == cells


@settings(max_examples=200, deadline=None)
@given(value=st.integers(min_value=0, max_value=10_000))
def test_no_standalone_count_shows_one_to_four(value):
    figure = protect_count(value)
    assert figure.display not in {"1", "2", "3", "4"}
    assert (figure.public_value is None) == (1 <= value <= 4)


def test_every_small_two_by_two_table_is_protected():
    """Exhaustively, for 2x2 tables of 0-6 with both totals."""
    for values in itertools.product(range(7), repeat=4):
        table = protect_table([values[:2], values[2:]])
        _assert_protected(table)


def test_hours_given_by_fewer_than_five_are_not_shown_and_the_total_cannot_give_them_away():
    """Hours per network beside the people who gave them: 2 people's 7.5 hours are not shown,
    and the smallest other sum (40.0) is withheld so the total 147.5 less 100 gives nothing away."""
    groups = [protect_count(2), Figure(9), Figure(12)]
    cells, total = protect_sums([7.5, 40.0, 100.0], 147.5, groups, Figure(23))
    assert [c.display for c in cells] == [NOT_SHOWN, WITHHELD, "100.0"]
    assert total.display == "147.5"
    # A people count withheld by complementary suppression hides its hours too.
    cells, total = protect_sums([30.0, 40.0], 70.0, [Figure(9, Status.WITHHELD), Figure(9)], Figure(18))
    assert [c.shown for c in cells] == [False, False] and total.shown
    # A hidden group total hides the hours total, and then one more hours figure.
    cells, total = protect_sums([30.0, 40.0], 70.0, [Figure(9), Figure(9)], Figure(18, Status.WITHHELD))
    assert not total.shown and [c.shown for c in cells].count(False) == 1
    # Nobody, no hours: a 0 says nothing of anyone and is shown.
    cells, total = protect_sums([0, 50.0], 50.0, [Figure(0), Figure(8)], Figure(8))
    assert [c.display for c in cells] == ["0", "50.0"] and total.display == "50.0"


@settings(max_examples=200)
@given(
    st.lists(
        st.tuples(st.integers(0, 12), st.floats(0, 500, allow_nan=False).map(lambda h: round(h, 2))),
        min_size=1,
        max_size=6,
    )
)
def test_no_sum_over_fewer_than_five_is_shown_nor_derivable(rows):
    people = [count for count, _ in rows]
    hours = [h if count else 0 for count, h in rows]
    table = protect_table([[count] for count in people], row_totals=False, column_totals=True)
    groups = [table.cell(r, 0) for r in range(len(rows))]
    cells, total = protect_sums(hours, round(sum(hours), 2), groups, table.column_total(0))
    figures = [*cells, total]
    for figure, group in zip(figures, [*groups, table.column_total(0)], strict=True):
        if figure.shown and figure.value:
            assert group.shown and group.value >= 5
    assert [f.shown for f in figures].count(False) != 1
