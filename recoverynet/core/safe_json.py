"""JSON from outside (request bodies, other services' answers) with its nesting bounded.

Python's json module recurses once per level of nesting: a body of a few
thousand "[" raises RecursionError, which nothing expects (a 500), and data
nested a few hundred levels deep can still exhaust the stack later, in code
that walks it. Nothing we read needs more than a handful of levels."""

import json

MAX_JSON_DEPTH = 32


class TooDeeplyNested(ValueError):
    """The JSON is valid but nested deeper than MAX_JSON_DEPTH (a ValueError, as for invalid JSON)."""

    def __init__(self, max_depth=MAX_JSON_DEPTH):
        super().__init__(f"JSON nested more than {max_depth} levels deep is not accepted.")
        self.max_depth = max_depth


def depth_of(value) -> int:
    """How many arrays and objects deep `value` is (0 for a string or number), without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, level)
        stack.extend((child, level + 1) for child in children)
    return deepest


def loads(text, *, max_depth=MAX_JSON_DEPTH, **kwargs):
    """json.loads, raising TooDeeplyNested (a ValueError) beyond max_depth levels:
    whether the decoder runs out of stack first or finishes."""
    try:
        value = json.loads(text, **kwargs)
    except RecursionError:
        raise TooDeeplyNested(max_depth) from None
    if depth_of(value) > max_depth:
        raise TooDeeplyNested(max_depth)
    return value
