"""Shared glue for rules that report schema changes of one kind in one scope."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from contract_tools._diff.pair import OperationPair
from contract_tools._diff.registry import Hit


def _show(value: Any) -> str:
    if isinstance(value, list) and len(value) == 1:
        value = value[0]
    if isinstance(value, list):
        return "[" + ", ".join(_show(v) for v in value) + "]"
    return "none" if value is None else str(value)


def schema_hits(pair: OperationPair, scope: str, kind: str, text: str) -> Iterator[Hit]:
    """One Hit per change; ``text`` may use {base} and {revision}."""
    for scoped in pair.changes(scope, kind):
        what = text.format(base=_show(scoped.change.base), revision=_show(scoped.change.revision))
        yield Hit(f"{scoped.subject}: {what}", scoped.details())
