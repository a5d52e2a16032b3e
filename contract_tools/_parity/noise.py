"""Noise cancellation: what differs between two baseline answers to one request is not drift.

The baseline is asked twice, and only when the candidate disagreed with it. A factory target
answers a state-changing probe from a brand-new app, and a GET/HEAD/OPTIONS probe from a second
instance kept for reads (so per-instance values still show as noise). A shared instance (or a
live server) is only asked twice for GET, HEAD and OPTIONS: repeating a POST there would change
the state the comparison depends on.

Noise is learned per operation *and per request shape* (which query and body keys the request
had, and the baseline's status class): ``$.debug`` noisy for ``GET /items?expand=1`` is still
compared for ``GET /items``. A shape is coarse on purpose (keys, never values), so a noisy
timestamp learned on one request covers every request of the same shape.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
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


EVERY_SHAPE = "*"


def request_shape(request: Request, baseline: Response) -> str:
    """What kind of request this is, without its values: ``query=expand,limit body=title 2xx``.

    Query keys present, the JSON body's top-level keys (or the body's kind), the baseline's
    status class. Paths noisy for one shape are not noise for another.
    """
    parts = []
    keys = _names(name for name, _ in request.query)
    if keys:
        parts.append("query=" + ",".join(keys))
    if request.body:
        parts.append("body=" + _body_shape(request.body))
    parts.append(f"{baseline.status // 100}xx")
    return " ".join(parts)


def _body_shape(body: bytes) -> str:
    try:
        value = json.loads(body)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return "bytes"
    if isinstance(value, Mapping):
        return "{" + ",".join(_names(map(str, value))) + "}"
    return type(value).__name__


# Keys a client would send: identifiers. Generated junk keys (additionalProperties) are left
# out of a shape, or every case would be a shape of its own and no noise would be shared.
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]{0,39}$")


def _names(keys: Iterable[str]) -> list[str]:
    return sorted({key for key in keys if _NAME.match(key)})


# (operation, request shape) -> the paths learned noisy there; what a unit of the run hands back.
Learned = dict[tuple[str, str], set[ResponsePath]]


class NoiseBook:
    """Noise paths learned per operation and request shape, plus the user's ``--ignore-path``
    patterns (per operation, every shape)."""

    def __init__(self, ignore: Iterable[tuple[str, str]] = ()) -> None:
        self._learned: dict[tuple[str, str], set[ResponsePath]] = {}
        # (operation or "*", pattern) -> patterns per operation; "*" applies everywhere.
        self._user: dict[str, list[str]] = {}
        for operation, pattern in ignore:
            self._user.setdefault(_op_key(operation), []).append(pattern)
        self._cache: dict[tuple[str, str], tuple[int, PathFilter]] = {}

    def learn(self, operation: str, paths: Iterable[ResponsePath], shape: str = "") -> None:
        new = set(paths)
        if new:
            self._learned.setdefault((operation, shape), set()).update(new)

    def restore(self, learned: Learned) -> None:
        """Start from noise learned elsewhere (the probe phase, another process)."""
        for (operation, shape), paths in learned.items():
            self.learn(operation, paths, shape)

    def learned_items(self) -> Learned:
        """Everything learned, copied: picklable, and united by ``restore`` elsewhere."""
        return {place: set(paths) for place, paths in self._learned.items()}

    def learned(self, operation: str, shape: str = "") -> set[ResponsePath]:
        return set(self._learned.get((operation, shape), ()))

    def _paths(self, operation: str, shape: str) -> set[ResponsePath]:
        # EVERY_SHAPE: noise read from a report written before shapes existed.
        return self._learned.get((operation, shape), set()) | self._learned.get(
            (operation, EVERY_SHAPE), set()
        )

    def patterns(self, operation: str, shape: str = "") -> list[str]:
        """What is not compared for ``operation`` and requests of ``shape``: learned noise,
        then the user's patterns."""
        learned = sorted(str(p) for p in self._paths(operation, shape))
        return [*learned, *self._user.get("*", []), *self._user.get(_op_key(operation), [])]

    def filter(self, operation: str, shape: str = "") -> PathFilter:
        """True for a path that is noise or user-ignored for ``operation`` at ``shape``."""
        size = len(self._paths(operation, shape))
        cached = self._cache.get((operation, shape))
        if cached is not None and cached[0] == size:
            return cached[1]
        matcher = path_matcher(self.patterns(operation, shape))
        self._cache[(operation, shape)] = (size, matcher)
        return matcher

    def to_report(self) -> tuple[dict[str, Any], ...]:
        return tuple(
            {
                "operation": op,
                **({"shape": shape} if shape else {}),
                "paths": sorted(map(str, paths)),
            }
            for (op, shape), paths in sorted(self._learned.items())
            if paths
        )


def _op_key(operation: str) -> str:
    """``get /books/{book_id}`` and ``GET /books/{id}`` name the same operation."""
    if operation.strip() == "*":
        return "*"
    method, _, path = operation.strip().partition(" ")
    return f"{method.upper()} {erase_param_names(path.strip())}"


def erase_param_names(path: str) -> str:
    return re.sub(r"\{[^}/]*\}", "{}", path)
