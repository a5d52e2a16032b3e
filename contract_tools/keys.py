"""The identities of contract-tools: an operation (``METHOD /path``) and a drift (``DriftKey``).

Stdlib only; ``models`` re-exports both. ``DriftKey`` is the one identity of a drift, used by
deduplication, the accepted-drift file, replay, causes and fingerprints.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, order=True)
class OperationKey:
    """An HTTP operation as ``METHOD /path/{param}``."""

    method: str
    path: str

    def __str__(self) -> str:
        return f"{self.method.upper()} {self.path}"

    @classmethod
    def parse(cls, text: str) -> OperationKey:
        method, sep, path = text.strip().partition(" ")
        if not sep or not path.startswith("/"):
            raise ValueError(f"not an operation {text!r} (expected 'METHOD /path')")
        return cls(method.upper(), path.strip())


@dataclass(frozen=True, order=True)
class DriftKey:
    """What makes two findings 'the same drift', across runs: never generated values.

    ``subject`` is what differs, as a sorted set of strings: for a parity finding the status
    pair (``status 400 -> 422``), the side that crashed or lacks the route (``crash on
    candidate``), one header (``header:etag``) or the set of differing body paths; for a diff
    finding its subject. The accepted-drift file writes it under ``paths`` (the 0.1 name).
    """

    operation: str
    id: str
    subject: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        # A set: the order or repetition of paths in an engine's list is not part of identity.
        object.__setattr__(self, "subject", tuple(sorted({str(s) for s in self.subject})))

    def __str__(self) -> str:
        what = f" [{', '.join(self.subject)}]" if self.subject else ""
        return f"{self.operation} {self.id}{what}"

    def to_dict(self) -> dict[str, Any]:
        return {"operation": self.operation, "id": self.id, "paths": list(self.subject)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> DriftKey:
        paths = data.get("paths") or ()
        if isinstance(paths, str) or not isinstance(paths, Iterable):
            raise ValueError("'paths' must be a list of strings")
        return cls(str(data["operation"]), str(data["id"]), tuple(str(p) for p in paths))
