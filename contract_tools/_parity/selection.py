"""``--include``/``--exclude``: the merged operations a run covers, and patterns matching none."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from contract_tools._parity.generate import MergedOperation, match_key
from contract_tools.errors import UsageError


def select(
    operations: Iterable[MergedOperation], include: Iterable[str], exclude: Iterable[str]
) -> list[MergedOperation]:
    """``--include``/``--exclude``: ``"GET /books/{id}"`` (names ignored), a path
    (``/books/{id}``, every method), or a regex over ``METHOD /path`` or, when it starts with
    ``/``, over the path (``/delay/.*``)."""
    inc = [_matcher(p) for p in include]
    exc = [_matcher(p) for p in exclude]
    return [
        op
        for op in operations
        if (not inc or any(m(op) for m in inc)) and not any(m(op) for m in exc)
    ]


def unmatched(operations: Iterable[MergedOperation], patterns: Iterable[str]) -> list[str]:
    """The patterns that match no operation: a typo must be said, not silently select nothing."""
    ops = list(operations)
    return [p for p in patterns if not any(_matcher(p)(op) for op in ops)]


def _matcher(pattern: str) -> Callable[[MergedOperation], bool]:
    text = pattern.strip()
    method, _, path = text.partition(" ")
    exact = match_key(method, path.strip()) if path.strip().startswith("/") else None
    # A bare path: what users type when they think of routes, not of 'METHOD /path' keys.
    by_path = text.startswith("/")
    shape = match_key("GET", text)[1] if by_path else None
    try:
        regex: re.Pattern[str] | None = re.compile(text)
    except re.error as exc:
        if exact is None and not by_path:  # neither 'METHOD /path' nor a regex: say so
            raise UsageError(
                f"--include/--exclude {pattern!r}: not a valid regex ({exc})"
            ) from None
        regex = None

    def matches(op: MergedOperation) -> bool:
        if exact is not None and match_key(op.method, op.path) == exact:
            return True
        if shape is not None and match_key(op.method, op.path)[1] == shape:
            return True
        if regex is None:
            return False
        return bool(regex.fullmatch(op.path if by_path else op.key))

    return matches
