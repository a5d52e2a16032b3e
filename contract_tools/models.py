"""The one currency of contract-tools: Findings gathered in a Report (stdlib only)."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any


class Level(enum.IntEnum):
    """Severity; ordered so that a gate can compare with ``>=``."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    @classmethod
    def parse(cls, text: str) -> Level:
        try:
            return cls[text.strip().upper()]
        except KeyError:
            names = ", ".join(level.name.lower() for level in cls)
            raise ValueError(f"unknown level {text!r} (expected one of: {names})") from None

    def __str__(self) -> str:
        return self.name.lower()


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


@dataclass(frozen=True)
class Finding:
    """One difference a user may have to act on, from the spec diff or the parity runner."""

    id: str
    level: Level
    operation: str
    message: str
    details: Mapping[str, Any] = field(default_factory=dict, compare=False, hash=False)
    count: int = 1

    @property
    def fingerprint(self) -> tuple[str, str, tuple[str, ...]]:
        """What identifies 'the same' finding across runs: never generated values."""
        paths = self.details.get("paths", ()) if isinstance(self.details, Mapping) else ()
        # A set: the order or repetition of paths in an engine's list is not part of identity.
        return (self.operation, self.id, tuple(sorted({str(p) for p in paths})))

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "level": str(self.level),
            "operation": self.operation,
            "message": self.message,
            "count": self.count,
            "details": dict(self.details),
        }


@dataclass(frozen=True)
class Report:
    """What a command found: findings plus run metadata; reporters and the gate read only this."""

    command: str
    findings: tuple[Finding, ...] = ()
    meta: Mapping[str, Any] = field(default_factory=dict)
    noise: tuple[Mapping[str, Any], ...] = ()
    skipped: tuple[Mapping[str, Any], ...] = ()

    @classmethod
    def of(cls, command: str, findings: Iterable[Finding], **meta: Any) -> Report:
        ordered = sorted(findings, key=lambda f: (f.operation, -f.level, f.id, f.message))
        return cls(command=command, findings=tuple(ordered), meta=meta)

    def counts(self) -> dict[str, int]:
        result = {str(level): 0 for level in Level}
        for finding in self.findings:
            result[str(finding.level)] += 1
        return result
