"""The one currency of contract-tools: Findings with typed evidence, gathered in a Report.

Stdlib only. Every engine writes these types and every reader (reporters, the gate, replay)
reads them; ``to_dict``/``from_dict`` on each type is the JSON report, so what a reporter shows
and what ``replay`` reads back can never disagree about a shape. The evidence types live in
``evidence.py`` and are re-exported here; ``DriftKey`` is the one identity of a drift, used by
deduplication, the accepted-drift file, replay and fingerprints.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from contract_tools.evidence import (
    REPORT_BODY_LIMIT,
    SUBJECT_KEYS,
    Exchange,
    Pairs,
    Reproduction,
    Request,
    Response,
    SchemaChange,
    SequenceStep,
    binary_label,
    body_text,
)
from contract_tools.keys import DriftKey, OperationKey
from contract_tools.response_path import BODY, EVERY, HEADER, STATUS, Key, ResponsePath

if TYPE_CHECKING:
    from contract_tools.causes import Cause

__all__ = [
    "BODY",
    "EVERY",
    "HEADER",
    "REPORT_BODY_LIMIT",
    "STATUS",
    "SUBJECT_KEYS",
    "DriftKey",
    "Event",
    "Exchange",
    "FailOn",
    "Finding",
    "Key",
    "Level",
    "Mode",
    "OperationKey",
    "Pairs",
    "Report",
    "Reproduction",
    "Request",
    "Response",
    "ResponsePath",
    "SchemaChange",
    "SequenceStep",
    "binary_label",
    "body_text",
    "sort_findings",
]


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


_C = TypeVar("_C", bound="_Choice")


class _Choice(str, enum.Enum):
    """An option with a fixed vocabulary, parsed case-insensitively with a one-line error."""

    @classmethod
    def parse(cls: type[_C], text: Any) -> _C:
        if isinstance(text, cls):
            return text
        try:
            return cls(str(text).strip().lower())
        except ValueError:
            names = ", ".join(item.value for item in cls)
            raise ValueError(f"unknown value {text!r} (expected one of: {names})") from None

    def __str__(self) -> str:
        return str(self.value)


class FailOn(_Choice):
    """``--fail-on``: the lowest level that fails the gate; ``never``: nothing does."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"
    NEVER = "never"

    @property
    def level(self) -> Level | None:
        return None if self is FailOn.NEVER else Level.parse(self.value)


class Mode(_Choice):
    """Which inputs parity generates: valid, invalid, or a budget of each."""

    POSITIVE = "positive"
    NEGATIVE = "negative"
    ALL = "all"


# --- findings and reports ----------------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    """One difference a user may have to act on, from the spec diff or the parity runner.

    Parity findings carry an ``exchange`` (the minimal request and both answers), the
    ``paths`` where the answers differ and a ``reproduction``; ``about`` says what differs when
    the paths alone do not (``status 201 -> 200``, ``crash on baseline``); a ``probe`` names the
    probe that found it; a drift only a sequence shows carries the whole ``sequence`` and the
    ``step`` (1-based) that differs. Diff findings carry a ``change``. ``cause`` is the id of the
    root cause the finding belongs to (``causes.py``), set on a finished parity report.
    """

    id: str
    level: Level
    operation: str
    message: str
    count: int = 1
    paths: tuple[ResponsePath, ...] = ()
    exchange: Exchange | None = field(default=None, compare=False)
    change: SchemaChange | None = field(default=None, compare=False)
    reproduction: Reproduction | None = field(default=None, compare=False)
    probe: str | None = None
    sequence: tuple[SequenceStep, ...] = field(default=(), compare=False)
    step: int | None = field(default=None, compare=False)
    about: str | None = None
    cause: str | None = field(default=None, compare=False)

    @property
    def subject(self) -> tuple[str, ...]:
        """What differs: part of the identity. A probe's drift is not a generated request's."""
        if self.change is not None:
            return (self.change.subject,) if self.change.subject else ()
        what = (self.about,) if self.about else tuple(str(p) for p in self.paths)
        return what + self._extra()

    @property
    def legacy_subject(self) -> tuple[str, ...]:
        """The subject 0.1 wrote (paths only: ``status`` for every status pair), to recognise
        accepted-drift entries written by it."""
        if self.change is not None:
            return self.subject
        return tuple(str(p) for p in self.paths) + self._extra()

    def _extra(self) -> tuple[str, ...]:
        extra: tuple[str, ...] = (f"probe={self.probe}",) if self.probe else ()
        return extra + (("sequence",) if self.sequence else ())

    @property
    def key(self) -> DriftKey:
        return DriftKey(self.operation, self.id, self.subject)

    def _details(self) -> dict[str, Any]:
        """The documented ``details`` object of the JSON report."""
        data: dict[str, Any] = {}
        if self.change is not None:
            data.update(self.change.to_dict())
            if self.change.subject:
                data["paths"] = [self.change.subject]
        if self.exchange is not None:
            data.update(self.exchange.to_dict())
        if self.change is None and (self.paths or self.exchange is not None):
            data["paths"] = [str(p) for p in self.paths]
        if self.about:
            data["about"] = self.about
        if self.probe:
            data["probe"] = self.probe
        if self.sequence:
            data["sequence"] = [step.to_dict() for step in self.sequence]
            data["step"] = self.step
        if self.reproduction is not None:
            data.update(self.reproduction.to_dict())
        return data

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "level": str(self.level),
            "operation": self.operation,
            "message": self.message,
            "count": self.count,
        }
        if self.cause:
            data["cause"] = self.cause
        data["details"] = self._details()
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Finding:
        """A finding read back from a JSON report (what ``replay`` and tests read)."""
        try:
            details = data.get("details") or {}
            if not isinstance(details, Mapping):
                raise ValueError("'details' must be an object")
            exchange = (
                Exchange.from_dict(details)
                if isinstance(details.get("request"), Mapping)
                and isinstance(details.get("baseline"), Mapping)
                else None
            )
            change = SchemaChange.from_dict(details) if "direction" in details else None
            paths: tuple[ResponsePath, ...] = ()
            if change is None:
                paths = tuple(ResponsePath.parse(str(p)) for p in details.get("paths") or ())
            reproduction = (
                Reproduction.from_dict(details)
                if "curl" in details or "pytest" in details
                else None
            )
            steps = details.get("sequence") or ()
            step = details.get("step")
            return cls(
                id=str(data["id"]),
                level=Level.parse(str(data["level"])),
                operation=str(data["operation"]),
                message=str(data.get("message", "")),
                count=int(data.get("count", 1)),
                paths=paths,
                exchange=exchange,
                change=change,
                reproduction=reproduction,
                probe=str(details["probe"]) if details.get("probe") else None,
                sequence=tuple(SequenceStep.from_dict(s) for s in steps if isinstance(s, Mapping)),
                step=int(step) if isinstance(step, int) else None,
                about=str(details["about"]) if details.get("about") else None,
                cause=str(data["cause"]) if data.get("cause") else None,
            )
        except (KeyError, TypeError) as exc:
            raise ValueError(f"not a finding: {exc}") from None


@dataclass(frozen=True)
class Report:
    """What a command found: findings plus run metadata; reporters and the gate read only this.

    ``causes`` group a parity report's findings by what they share (``causes.py``).
    """

    command: str
    findings: tuple[Finding, ...] = ()
    meta: Mapping[str, Any] = field(default_factory=dict)
    noise: tuple[Mapping[str, Any], ...] = ()
    skipped: tuple[Mapping[str, Any], ...] = ()
    causes: tuple[Cause, ...] = ()

    @classmethod
    def of(cls, command: str, findings: Iterable[Finding], **meta: Any) -> Report:
        return cls(command=command, findings=sort_findings(findings), meta=meta)

    def counts(self) -> dict[str, int]:
        result = {str(level): 0 for level in Level}
        for finding in self.findings:
            result[str(finding.level)] += 1
        return result

    def to_dict(self) -> dict[str, Any]:
        """The JSON report: ``command``, the meta keys in their order, ``summary`` (the meta's
        summary with the finding counts merged in), for parity ``causes``, then ``findings``,
        and for parity ``noise`` and ``skipped``."""
        doc: dict[str, Any] = {"command": self.command}
        for key, value in self.meta.items():
            if key not in _BUILT:
                doc[key] = value
        summary: dict[str, Any] = dict(self.meta.get("summary") or {})
        summary["findings"] = len(self.findings)
        counts = self.counts()
        summary.update((str(level), counts[str(level)]) for level in sorted(Level, reverse=True))
        doc["summary"] = summary
        if self.command == "parity" or self.causes:
            doc["causes"] = [cause.to_dict() for cause in self.causes]
        doc["findings"] = [finding.to_dict() for finding in self.findings]
        if self.command == "parity" or self.noise or self.skipped:
            doc["noise"] = [dict(entry) for entry in self.noise]
            doc["skipped"] = [dict(entry) for entry in self.skipped]
        return doc

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Report:
        """A report read back from its JSON (what ``replay`` reads)."""
        findings = data.get("findings")
        if not isinstance(findings, list):
            raise ValueError("'findings' must be a list")
        parsed = []
        for number, item in enumerate(findings, 1):
            if not isinstance(item, Mapping):
                raise ValueError(f"finding #{number} is not a finding object")
            try:
                parsed.append(Finding.from_dict(item))
            except ValueError as exc:
                raise ValueError(f"finding #{number}: {exc}") from None
        meta = {k: v for k, v in data.items() if k not in _BUILT}
        summary = data.get("summary")
        if isinstance(summary, Mapping):
            meta["summary"] = {
                k: v for k, v in summary.items() if k not in ("findings", *map(str, Level))
            }
        return cls(
            command=str(data.get("command", "")),
            findings=tuple(parsed),
            meta=meta,
            noise=tuple(e for e in data.get("noise") or () if isinstance(e, Mapping)),
            skipped=tuple(e for e in data.get("skipped") or () if isinstance(e, Mapping)),
            causes=_causes(data.get("causes")),
        )


def _causes(data: Any) -> tuple[Cause, ...]:
    from contract_tools.causes import Cause  # causes.py builds on this module

    return tuple(Cause.from_dict(c) for c in data or () if isinstance(c, Mapping))


# Keys Report.to_dict builds itself; a meta key of the same name would be ambiguous.
_BUILT = frozenset({"command", "summary", "causes", "findings", "noise", "skipped"})


@dataclass(frozen=True)
class Event:
    """Progress of a run, for whoever displays it: ``start``, ``operation``, ``case``,
    ``skipped``, ``warning`` (with a ``message``), ``done`` (engines never print; entry points
    render these)."""

    kind: str
    operation: str = ""
    index: int = 0
    total: int = 0
    cases: int = 0
    budget: int = 0
    findings: int = 0
    message: str = ""


def sort_findings(findings: Iterable[Finding]) -> tuple[Finding, ...]:
    """The one report order: by operation, worst first, then id and message."""
    return tuple(sorted(findings, key=lambda f: (f.operation, -f.level, f.id, f.message)))
