"""Values at a finding's differing paths, read from the recorded answers, for side-by-side display.

Paths are what the parity comparison writes: ``$.items[*].id`` (list indexes generalised, odd keys
quoted as Python literals), ``header:<name>``, ``status``. Reading them back lets a report say
*what* differs (``"Ursula K. Le Guin"`` vs absent) instead of showing two whole bodies.
"""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Mapping
from typing import Any

ABSENT = object()
_TOKEN = re.compile(
    r"\.([A-Za-z_][A-Za-z0-9_-]*)"  # .name
    r"|\[('(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\")\]"  # ['odd key'] or ["odd key"]
    r"|\[(\d+)\]"  # [3]
    r"|\[\*\]"  # [*]: every item
)


def value_at(response: Mapping[str, Any], path: str) -> Any:
    """The value at ``path`` in a recorded response (``ABSENT`` when there is none)."""
    if path == "status":
        return response.get("status", ABSENT)
    if path.startswith("header:"):
        headers = response.get("headers")
        if isinstance(headers, Mapping):
            name = path.removeprefix("header:").lower()
            for key, value in headers.items():
                if str(key).lower() == name:
                    return value
        return ABSENT
    if not path.startswith("$"):
        return ABSENT
    body = response.get("body", "")
    if isinstance(body, (Mapping, list)):
        document: Any = body  # already parsed (reports built by hand, or by other engines)
    else:
        try:
            document = json.loads(str(body))
        except ValueError:
            return ABSENT
    keys = _keys(path)
    return ABSENT if keys is None else _walk(document, keys)


def _keys(path: str) -> list[Any] | None:
    keys: list[Any] = []
    position = 1
    while position < len(path):
        match = _TOKEN.match(path, position)
        if match is None:
            return None
        if match.group(1) is not None:
            keys.append(match.group(1))
        elif match.group(2) is not None:
            keys.append(ast.literal_eval(match.group(2)))
        elif match.group(3) is not None:
            keys.append(int(match.group(3)))
        else:
            keys.append(any)  # [*]: every item
        position = match.end()
    return keys


def _walk(node: Any, keys: list[Any]) -> Any:
    if not keys:
        return node
    key, rest = keys[0], keys[1:]
    if key is any:
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
    """One short line for a value: JSON, or '(absent)'."""
    if value is ABSENT:
        return "(absent)"
    text = json.dumps(value, ensure_ascii=False, separators=(", ", ": "), default=str)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def differences(
    baseline: Mapping[str, Any], candidate: Mapping[str, Any], paths: list[str]
) -> list[tuple[str, str, str]]:
    """(path, baseline shown, candidate shown) for each path a reader can be shown.

    ``status`` is left out (the finding's message says it), as are paths neither recorded body
    holds (cut or not JSON). Two different lists read as their lengths or first item apart.
    """
    rows = []
    for path in paths:
        if path == "status":
            continue
        left, right = value_at(baseline, path), value_at(candidate, path)
        if left is ABSENT and right is ABSENT:
            continue
        if isinstance(left, list) and isinstance(right, list) and left != right:
            rows.append((path, *_list_difference(left, right)))
        else:
            rows.append((path, show(left), show(right)))
    return rows


def _list_difference(left: list[Any], right: list[Any]) -> tuple[str, str]:
    if len(left) != len(right):
        return f"{len(left)} items", f"{len(right)} items"
    index = next(i for i, (a, b) in enumerate(zip(left, right, strict=True)) if a != b)
    return f"item {index}: {show(left[index])}", f"item {index}: {show(right[index])}"
