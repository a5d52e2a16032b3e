"""The bounded walk over large bodies: DeepDiff's answer on small ones, and it stops."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from contract_tools._parity.bounded import walk_differences
from contract_tools._parity.compare import compare, json_differences
from contract_tools.models import Response, ResponsePath

leaves = (
    st.none()
    | st.booleans()
    | st.integers(-3, 3)
    | st.sampled_from([1.0, 2.5])
    | st.text("ab", max_size=2)
)
values = st.recursive(
    leaves,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from("xyz"), inner),
    max_leaves=12,
)


@st.composite
def mutated(draw: st.DrawFn) -> tuple[Any, Any]:
    """A value and a copy with some leaves and keys changed, lists keeping their lengths."""
    original = draw(values)

    def mutate(node: Any) -> Any:
        if isinstance(node, dict):
            out = {
                k: mutate(v) for k, v in node.items() if not draw(st.booleans()) or len(node) < 2
            }
            if draw(st.booleans()):
                out[draw(st.sampled_from("xyzw"))] = draw(leaves)
            return out
        if isinstance(node, list):
            return [mutate(item) for item in node]
        return draw(leaves) if draw(st.integers(0, 3)) == 0 else node

    return original, mutate(original)


@settings(max_examples=300, deadline=None)
@given(mutated())
def test_the_walk_finds_what_deepdiff_finds(pair: tuple[Any, Any]) -> None:
    a, b = pair
    errors, warnings, complete = walk_differences(a, b, limit=None)
    assert complete
    assert (sorted(errors, key=str), sorted(warnings, key=str)) == json_differences(a, b)


def test_a_large_body_stops_at_the_bound_and_says_so() -> None:
    a = {"items": [{"id": n, "name": f"item {n}", "price": n * 1.5} for n in range(40_000)]}
    b = {"items": [{"id": n, "name": f"item {n}!", "price": n * 1.5} for n in range(40_000)]}
    b["extra"] = True
    headers = (("Content-Type", "application/json"),)
    left = Response(200, headers, json.dumps(a).encode())
    right = Response(200, headers, json.dumps(b).encode())
    assert len(left.body) > 1_000_000
    [diff] = compare(left, right)
    assert [str(p) for p in diff.paths] == ["$.extra", "$.items[*].name"]
    assert diff.message == "body differs at $.extra, $.items[*].name"  # two paths: not stopped
    found, _, complete = walk_differences(
        {str(k): k for k in range(500)}, {str(k): -k for k in range(1, 501)}, limit=200
    )
    assert (len(found), complete) == (200, False)


def test_equal_large_bodies_are_equal_strictly() -> None:
    headers = (("Content-Type", "application/json"),)
    body = {"rows": [{"n": n, "v": 1} for n in range(60_000)]}
    floats = {"rows": [{"n": n, "v": 1.0} for n in range(60_000)]}
    same = Response(200, headers, json.dumps(body).encode())
    assert compare(same, Response(200, headers, json.dumps(body, indent=1).encode())) == []
    [diff] = compare(same, Response(200, headers, json.dumps(floats).encode()))
    assert diff.paths == (ResponsePath.parse("$.rows[*].v"),)
