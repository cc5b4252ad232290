"""Accountability results as a tree: a leaf's progress is reported, a parent's is the
weighted mean of its children's computed progress. Pure functions over plain rows,
so one query fetches an initiative's results and the rest is arithmetic."""

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Node:
    id: int
    parent_id: int | None
    weight: int
    progress: int  # reported; used only for leaves


def compute_progress(nodes: Iterable[Node]) -> dict[int, float]:
    """{id: progress from 0 to 100} for every node. Iterative (no recursion limit),
    each node visited once; a parent with children ignores its own reported figure."""
    nodes = list(nodes)
    by_id = {node.id: node for node in nodes}
    children: dict[int, list[Node]] = {}
    for node in nodes:
        if node.parent_id is not None and node.parent_id in by_id:
            children.setdefault(node.parent_id, []).append(node)
    computed: dict[int, float] = {}
    for root in (n for n in nodes if n.parent_id is None or n.parent_id not in by_id):
        stack = [(root, False)]
        while stack:
            node, expanded = stack.pop()
            kids = children.get(node.id, [])
            if not kids:
                computed[node.id] = float(min(max(node.progress, 0), 100))
            elif not expanded:
                stack.append((node, True))
                stack.extend((kid, False) for kid in kids)
            else:
                total = sum(kid.weight for kid in kids)
                computed[node.id] = sum(kid.weight * computed[kid.id] for kid in kids) / total
    return computed


def tree(nodes: Iterable, computed: dict[int, float]) -> list[tuple[object, int, float]]:
    """(row, depth, progress) in depth-first order, for a page's nested list."""
    rows = list(nodes)
    ids = {row.id for row in rows}
    children: dict[int | None, list] = {}
    for row in rows:
        parent = row.parent_id if row.parent_id in ids else None
        children.setdefault(parent, []).append(row)
    ordered = []
    stack = [(row, 0) for row in reversed(children.get(None, []))]
    while stack:
        row, depth = stack.pop()
        ordered.append((row, depth, computed.get(row.id, 0.0)))
        stack.extend((kid, depth + 1) for kid in reversed(children.get(row.id, [])))
    return ordered
