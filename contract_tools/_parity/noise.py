"""Noise cancellation: what differs between two baseline answers to one request is not drift.

The baseline is asked twice, and only when the candidate disagreed with it. A factory target
answers a state-changing probe from a brand-new app, and a GET/HEAD/OPTIONS probe from a second
instance kept for reads (so per-instance values still show as noise). A shared instance (or a
live server) is only asked twice for GET, HEAD and OPTIONS: repeating a POST there would change
the state the comparison depends on.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from contract_tools._parity.compare import PathFilter, differing_paths, path_matcher
from contract_tools._parity.normalize import Normalizer
from contract_tools._parity.targets import SAFE_METHODS, Target
from contract_tools.models import Request, Response, ResponsePath


def can_probe(target: Target, request: Request) -> bool:
    return target.fresh_per_case or request.method.upper() in SAFE_METHODS


def probe(
    target: Target, request: Request, first: Response, normalizer: Normalizer
) -> set[ResponsePath] | None:
    """Paths at which a second baseline answer differs from ``first``; None when not probed.

    An answer that never came teaches nothing (and asking again would wait a timeout again).
    """
    if first.no_answer is not None or not can_probe(target, request):
        return None
    second = target.send_probe(request)
    if second.no_answer is not None:
        return None
    return differing_paths(first, second, normalizer)


class NoiseBook:
    """Noise paths learned per operation, plus the user's ``--ignore-path`` patterns."""

    def __init__(self, ignore: Iterable[tuple[str, str]] = ()) -> None:
        self._learned: dict[str, set[ResponsePath]] = {}
        # (operation or "*", pattern) -> patterns per operation; "*" applies everywhere.
        self._user: dict[str, list[str]] = {}
        for operation, pattern in ignore:
            self._user.setdefault(_op_key(operation), []).append(pattern)
        self._cache: dict[str, tuple[int, PathFilter]] = {}

    def learn(self, operation: str, paths: Iterable[ResponsePath]) -> None:
        new = set(paths)
        if new:
            self._learned.setdefault(operation, set()).update(new)

    def learned(self, operation: str) -> set[ResponsePath]:
        return set(self._learned.get(operation, ()))

    def patterns(self, operation: str) -> list[str]:
        """What is not compared for ``operation``: learned noise, then the user's patterns."""
        learned = sorted(str(p) for p in self._learned.get(operation, set()))
        return [*learned, *self._user.get("*", []), *self._user.get(_op_key(operation), [])]

    def filter(self, operation: str) -> PathFilter:
        """True for a path that is noise or user-ignored for ``operation``."""
        learned = self._learned.get(operation, set())
        cached = self._cache.get(operation)
        if cached is not None and cached[0] == len(learned):
            return cached[1]
        matcher = path_matcher(self.patterns(operation))
        self._cache[operation] = (len(learned), matcher)
        return matcher

    def to_report(self) -> tuple[dict[str, Any], ...]:
        return tuple(
            {"operation": op, "paths": sorted(str(p) for p in paths)}
            for op, paths in sorted(self._learned.items())
            if paths
        )


def _op_key(operation: str) -> str:
    """``get /books/{book_id}`` and ``GET /books/{id}`` name the same operation."""
    if operation.strip() == "*":
        return "*"
    method, _, path = operation.strip().partition(" ")
    return f"{method.upper()} {erase_param_names(path.strip())}"


def erase_param_names(path: str) -> str:
    import re

    return re.sub(r"\{[^}/]*\}", "{}", path)
