"""Values at a finding's differing places, read from the typed answers, for side-by-side display.

A place is a ``ResponsePath``: the status, one header, or a body JSON path whose keys are object
keys, list indexes or ``EVERY`` (each item of a list). Reading the values back lets a report say
*what* differs (``"Ursula K. Le Guin"`` vs absent, ``"a1"`` vs ``W/"a1"``) instead of showing two
whole answers.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from contract_tools.models import EVERY, HEADER, STATUS, Exchange, Key, Response, ResponsePath


class _Absent:
    """Nothing at that place: distinct from a JSON ``null``, which is a value."""

    def __repr__(self) -> str:
        return "ABSENT"


ABSENT = _Absent()


def value_at(response: Response, path: ResponsePath) -> Any:
    """The value at ``path`` in ``response``; ``ABSENT`` when there is none.

    A body path reads the parsed JSON body (``ABSENT`` when the body is not JSON); at an ``EVERY``
    key the result is the list of the values found in each item.
    """
    if path.part == STATUS:
        return response.status
    if path.part == HEADER:
        values = response.header_values(str(path.keys[0]))
        # Repeated field lines read as one value, the way HTTP combines them (RFC 9110 5.3).
        return ", ".join(values) if values else ABSENT
    parsed, document = response.json()
    return _walk(document, path.keys) if parsed else ABSENT


def _walk(node: Any, keys: Sequence[Key]) -> Any:
    if not keys:
        return node
    key, rest = keys[0], keys[1:]
    if key is EVERY:
        if not isinstance(node, list):
            return ABSENT
        items = [_walk(item, rest) for item in node]
        return [item for item in items if item is not ABSENT] or ABSENT
    if isinstance(key, int):
        in_range = isinstance(node, list) and 0 <= key < len(node)
        return _walk(node[key], rest) if in_range else ABSENT
    if isinstance(node, Mapping) and key in node:
        return _walk(node[key], rest)
    return ABSENT


def show(value: Any, limit: int = 80) -> str:
    """One short line for a body value: JSON, or '(absent)'."""
    if value is ABSENT:
        return "(absent)"
    text = json.dumps(value, ensure_ascii=False, separators=(", ", ": "), default=str)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def show_header(value: Any, limit: int = 80) -> str:
    """A header value as the client reads it: JSON quoting would escape the quotes an ETag has."""
    if value is ABSENT:
        return "(absent)"
    text = str(value) or "(empty)"
    return text if len(text) <= limit else text[: limit - 3] + "..."


def differences(
    exchange: Exchange, paths: Iterable[ResponsePath]
) -> list[tuple[ResponsePath, str, str]]:
    """(path, baseline shown, candidate shown) for each place a reader can be shown.

    ``status`` is left out (the finding's message says both), as are places neither answer holds
    (a body that is not JSON). Two different lists read as their lengths or first item apart.
    """
    rows = []
    for path in paths:
        if path.part == STATUS:
            continue
        left, right = value_at(exchange.baseline, path), value_at(exchange.candidate, path)
        if left is ABSENT and right is ABSENT:
            continue
        if path.part == HEADER:
            rows.append((path, show_header(left), show_header(right)))
        elif isinstance(left, list) and isinstance(right, list) and left != right:
            rows.append((path, *_list_difference(left, right)))
        else:
            rows.append((path, show(left), show(right)))
    return rows


def _list_difference(left: list[Any], right: list[Any]) -> tuple[str, str]:
    if len(left) != len(right):
        return f"{len(left)} items", f"{len(right)} items"
    index = next(i for i, (a, b) in enumerate(zip(left, right, strict=True)) if a != b)
    return f"item {index}: {show(left[index])}", f"item {index}: {show(right[index])}"
