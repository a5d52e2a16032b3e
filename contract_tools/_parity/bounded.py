"""Where two large JSON bodies differ, found by walking them, stopping at a bound.

DeepDiff explains a mismatch between two ordinary bodies well, but on two 48 MB bodies with a
thousand differences it took 234 s and 2.4 GB. Past ``LARGE_BODY`` bytes the comparison walks
both trees itself, without recursion (a deep document cannot overflow the stack), in a fixed
order (sorted keys, then indexes), and stops once ``limit`` differing paths are known: a report
needs the first differences, not all of them, and says that it stopped.

The paths are the ones DeepDiff's reading gives (a property test holds the two to the same
answer on small bodies whose lists keep their lengths): keys present on one side only, values
that differ, and an int and a float of the same value as a warning. Lists of different lengths
are compared item by item, position by position, plus ``[*]`` for the length: DeepDiff aligns
them first (an item inserted at the front is one change, not one per item), which is what
costs its time on big bodies.
"""

from __future__ import annotations

from typing import Any

from contract_tools.models import EVERY, Key, ResponsePath

# Bodies above this size (bytes, either side) are compared by walking, with a bound.
LARGE_BODY = 1_000_000
DEFAULT_LIMIT = 200


def walk_differences(
    a: Any, b: Any, limit: int | None = DEFAULT_LIMIT
) -> tuple[set[ResponsePath], set[ResponsePath], bool]:
    """(error paths, warning paths, complete): ``complete`` is False when the walk stopped at
    ``limit`` differing paths (None: no limit)."""
    errors: set[ResponsePath] = set()
    warnings: set[ResponsePath] = set()
    stack: list[tuple[Any, Any, tuple[Key, ...]]] = [(a, b, ())]
    while stack:
        if limit is not None and len(errors) + len(warnings) >= limit:
            return errors, warnings - errors, False
        left, right, keys = stack.pop()
        if type(left) is not type(right):
            numeric = {type(left), type(right)} == {int, float} and left == right
            (warnings if numeric else errors).add(_path(keys))
        elif isinstance(left, dict):
            children = []
            for key in sorted(left.keys() | right.keys(), key=str):
                if key not in right or key not in left:
                    errors.add(_path((*keys, key)))
                else:
                    children.append((left[key], right[key], (*keys, key)))
            stack.extend(reversed(children))  # popped in key order
        elif isinstance(left, list):
            if len(left) != len(right):
                errors.add(_path((*keys, EVERY)))
            pairs = [(x, y, (*keys, EVERY)) for x, y in zip(left, right, strict=False)]
            stack.extend(reversed(pairs))
        elif left != right:
            errors.add(_path(keys))
    return errors, warnings - errors, True


def _path(keys: tuple[Key, ...]) -> ResponsePath:
    return ResponsePath.body(k if k is EVERY else str(k) for k in keys)
