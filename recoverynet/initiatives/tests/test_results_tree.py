"""A parent's progress is the weighted mean of its children's: hand-worked trees,
and properties over arbitrary trees (always within 0..100, leaf changes propagate)."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from recoverynet.initiatives.results import Node, compute_progress


def test_a_single_leaf_is_its_own_progress():
    assert compute_progress([Node(1, None, 1, 40)]) == {1: 40.0}


def test_hand_worked_two_levels():
    # Root ← A (weight 1, 100%) and B (weight 3, 20%): (1×100 + 3×20) / 4 = 40.
    nodes = [Node(1, None, 1, 0), Node(2, 1, 1, 100), Node(3, 1, 3, 20)]
    assert compute_progress(nodes) == {1: 40.0, 2: 100.0, 3: 20.0}


def test_hand_worked_three_levels_ignores_a_parents_own_figure():
    # Root ← A (w2) ← {A1 (w1, 50), A2 (w1, 100)} = 75;  Root ← B (w1, 0).
    # Root = (2×75 + 1×0) / 3 = 50. A's own reported 99 is ignored: it has children.
    nodes = [
        Node(1, None, 1, 7),
        Node(2, 1, 2, 99),
        Node(3, 2, 1, 50),
        Node(4, 2, 1, 100),
        Node(5, 1, 1, 0),
    ]
    assert compute_progress(nodes) == {1: 50.0, 2: 75.0, 3: 50.0, 4: 100.0, 5: 0.0}


def test_hand_worked_uneven_weights_and_two_roots():
    # Root 1 ← 2 (w5, 10), 3 (w1, 70), 4 (w4, 35): (50 + 70 + 140) / 10 = 26.  Root 9 alone: 90.
    nodes = [Node(1, None, 1, 0), Node(2, 1, 5, 10), Node(3, 1, 1, 70), Node(4, 1, 4, 35), Node(9, None, 3, 90)]
    assert compute_progress(nodes) == {1: 26.0, 2: 10.0, 3: 70.0, 4: 35.0, 9: 90.0}


def test_a_deep_chain_does_not_recurse():
    nodes = [Node(1, None, 1, 0)] + [Node(i, i - 1, 1, 0) for i in range(2, 5001)]
    nodes[-1] = Node(5000, 4999, 1, 64)
    assert compute_progress(nodes)[1] == 64.0


@st.composite
def trees(draw):
    size = draw(st.integers(1, 40))
    nodes = []
    for i in range(1, size + 1):
        parent = draw(st.one_of(st.none(), st.integers(1, i - 1))) if i > 1 else None
        nodes.append(Node(i, parent, draw(st.integers(1, 100)), draw(st.integers(0, 100))))
    return nodes


def _leaves(nodes):
    parents = {n.parent_id for n in nodes}
    return [n for n in nodes if n.id not in parents]


def _ancestors(nodes, node):
    by_id = {n.id: n for n in nodes}
    found = []
    while node.parent_id is not None:
        node = by_id[node.parent_id]
        found.append(node.id)
    return found


@settings(max_examples=300, deadline=None)
@given(trees())
def test_progress_is_always_within_0_and_100(nodes):
    computed = compute_progress(nodes)
    assert set(computed) == {n.id for n in nodes}
    assert all(0 <= value <= 100 for value in computed.values())


@settings(max_examples=300, deadline=None)
@given(trees(), st.data())
def test_a_leaf_change_moves_every_ancestor_the_same_way(nodes, data):
    leaf = data.draw(st.sampled_from(_leaves(nodes)))
    new = data.draw(st.integers(0, 100).filter(lambda v: v != leaf.progress))
    before = compute_progress(nodes)
    changed = [Node(n.id, n.parent_id, n.weight, new) if n.id == leaf.id else n for n in nodes]
    after = compute_progress(changed)
    direction = 1 if new > leaf.progress else -1
    for ancestor in _ancestors(nodes, leaf):
        assert (after[ancestor] - before[ancestor]) * direction > 0  # strictly: every weight is at least 1
    untouched = {n.id for n in nodes} - {leaf.id, *_ancestors(nodes, leaf)}
    assert all(after[i] == pytest.approx(before[i]) for i in untouched)


@settings(max_examples=200, deadline=None)
@given(trees())
def test_a_parent_lies_between_its_childrens_extremes(nodes):
    computed = compute_progress(nodes)
    for node in nodes:
        kids = [computed[n.id] for n in nodes if n.parent_id == node.id]
        if kids:
            assert min(kids) - 1e-9 <= computed[node.id] <= max(kids) + 1e-9
