"""The one currency of contract-tools: Findings with typed evidence, gathered in a Report.

Stdlib only. Every engine writes these types and every reader (reporters, the gate, replay)
reads them; ``to_dict``/``from_dict`` on each type is the JSON report, so what a reporter shows
and what ``replay`` reads back can never disagree about a shape.

- ``Request``/``Response``/``Exchange``: what parity sent and what each side answered.
- ``ResponsePath``: where two answers differ (``status``, ``header:<name>``, a JSON path kept
  as a tuple of keys and indexes and rendered as ``$.a[*].b`` only at output).
- ``SchemaChange``: what the spec diff found changed, and where (its subject).
- ``DriftKey``: the one identity of a drift, used by deduplication, the accepted-drift file,
  replay and fingerprints.
"""

from __future__ import annotations

import ast
import base64
import enum
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import quote, urlencode

Pairs = tuple[tuple[str, str], ...]

# Bodies in reports are cut here: a finding must stay readable in a terminal and a JSON file.
REPORT_BODY_LIMIT = 2000


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


class FailOn(str, enum.Enum):
    """``--fail-on``: the lowest level that fails the gate; ``never``: nothing does."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"
    NEVER = "never"

    @property
    def level(self) -> Level | None:
        return None if self is FailOn.NEVER else Level.parse(self.value)

    @classmethod
    def parse(cls, text: str | FailOn | None) -> FailOn:
        if isinstance(text, FailOn):
            return text
        try:
            return cls(str(text).strip().lower())
        except ValueError:
            names = ", ".join(item.value for item in cls)
            raise ValueError(f"unknown level {text!r} (expected one of: {names})") from None

    def __str__(self) -> str:
        return self.value


class Mode(str, enum.Enum):
    """Which inputs parity generates: valid, invalid, or a budget of each."""

    POSITIVE = "positive"
    NEGATIVE = "negative"
    ALL = "all"

    @classmethod
    def parse(cls, text: str | Mode) -> Mode:
        if isinstance(text, Mode):
            return text
        try:
            return cls(str(text).strip().lower())
        except ValueError:
            names = ", ".join(item.value for item in cls)
            raise ValueError(f"unknown mode {text!r} (expected one of: {names})") from None

    def __str__(self) -> str:
        return self.value


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


# --- where two answers differ -------------------------------------------------------------------


class _Every:
    """The ``[*]`` of a JSON path: any index. The same drift in item 0 and item 7 is one drift."""

    _instance: _Every | None = None

    def __new__(cls) -> _Every:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "EVERY"

    def __reduce__(self) -> str:
        return "EVERY"


EVERY = _Every()
Key = str | int | _Every

_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")
_TOKEN = re.compile(
    r"\.([A-Za-z_][A-Za-z0-9_-]*)"  # .name
    r"|\[('(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\")\]"  # ['odd key'] or ["odd key"]
    r"|\[(\d+)\]"  # [3]
    r"|(\[\*\])"  # [*]
)

STATUS = "status"
HEADER = "header"
BODY = "body"


@dataclass(frozen=True)
class ResponsePath:
    """A place in a response: its status, one header (by lowercase name), or a body JSON path.

    ``keys`` of a body path are object keys (str), list indexes (int) or ``EVERY``; ``()`` is the
    whole body (``$``, also what a non-JSON body difference is reported at).
    """

    part: str
    keys: tuple[Key, ...] = ()
    text: str = field(default="", compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.part not in (STATUS, HEADER, BODY):
            raise ValueError(f"unknown response part {self.part!r}")
        if self.part == HEADER:
            object.__setattr__(self, "keys", (str(self.keys[0]).lower(),))
        # Rendered once: paths are compared, sorted and matched by their text many times a run.
        object.__setattr__(self, "text", self._render())

    @classmethod
    def status(cls) -> ResponsePath:
        return cls(STATUS)

    @classmethod
    def header(cls, name: str) -> ResponsePath:
        return cls(HEADER, (name,))

    @classmethod
    def body(cls, keys: Iterable[Key] = ()) -> ResponsePath:
        return cls(BODY, tuple(keys))

    def generalised(self) -> ResponsePath:
        """List indexes become ``[*]``: a drift in any item is the same drift."""
        if self.part != BODY or not any(isinstance(k, int) for k in self.keys):
            return self
        return ResponsePath(BODY, tuple(EVERY if isinstance(k, int) else k for k in self.keys))

    def _render(self) -> str:
        if self.part == STATUS:
            return STATUS
        if self.part == HEADER:
            return f"header:{self.keys[0]}"
        out = "$"
        for key in self.keys:
            if key is EVERY:
                out += "[*]"
            elif isinstance(key, int):
                out += f"[{key}]"
            elif _IDENT.match(str(key)):
                out += f".{key}"
            else:
                out += "[" + repr(str(key)) + "]"
        return out

    def __str__(self) -> str:
        return self.text

    @classmethod
    def parse(cls, text: str) -> ResponsePath:
        """The inverse of ``str()``: ``status``, ``header:etag``, ``$.items[*]['odd key']``."""
        text = text.strip()
        if text == STATUS:
            return cls.status()
        if text.startswith("header:"):
            return cls.header(text.removeprefix("header:"))
        if not text.startswith("$"):
            raise ValueError(f"not a response path {text!r} (expected status, header:NAME or $...)")
        keys: list[Key] = []
        position = 1
        while position < len(text):
            match = _TOKEN.match(text, position)
            if match is None:
                raise ValueError(f"not a JSON path {text!r} (at character {position})")
            if match.group(1) is not None:
                keys.append(match.group(1))
            elif match.group(2) is not None:
                keys.append(str(ast.literal_eval(match.group(2))))
            elif match.group(3) is not None:
                keys.append(int(match.group(3)))
            else:
                keys.append(EVERY)
            position = match.end()
        return cls.body(keys)


# --- what was sent and answered -----------------------------------------------------------------


def _pairs(items: Iterable[tuple[str, str]]) -> Pairs:
    return tuple((str(k), str(v)) for k, v in items)


def body_text(body: bytes, limit: int = REPORT_BODY_LIMIT) -> str:
    """Text for reports: UTF-8 when it is, else a repr of the bytes; long bodies are cut."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        text = repr(body)
    if len(text) > limit:
        return text[:limit] + f"... ({len(text) - limit} more)"
    return text


@dataclass(frozen=True)
class Request:
    """A raw HTTP request; ``path`` is percent-encoded as sent (``//x`` stays a path)."""

    method: str
    path: str
    query: Pairs = ()
    headers: Pairs = ()
    body: bytes = b""

    @classmethod
    def build(
        cls,
        method: str,
        path: str,
        query: Iterable[tuple[str, str]] = (),
        headers: Iterable[tuple[str, str]] = (),
        body: bytes = b"",
    ) -> Request:
        return cls(method.upper(), path, _pairs(query), _pairs(headers), body)

    @property
    def query_string(self) -> str:
        # quote (not quote_plus) keeps spaces as %20, which every server decodes the same way.
        return urlencode(self.query, quote_via=quote)

    @property
    def target(self) -> str:
        """The request-target of the request line: path plus query."""
        qs = self.query_string
        return f"{self.path}?{qs}" if qs else self.path

    def header(self, name: str) -> str | None:
        lowered = name.lower()
        return next((v for k, v in self.headers if k.lower() == lowered), None)

    def with_headers(self, extra: Iterable[tuple[str, str]]) -> Request:
        """Add (or replace, case-insensitively) headers, e.g. ``--header 'Authorization: ...'``."""
        extra = _pairs(extra)
        names = {k.lower() for k, _ in extra}
        kept = tuple((k, v) for k, v in self.headers if k.lower() not in names)
        return replace(self, headers=kept + extra)

    def to_dict(self) -> dict[str, Any]:
        text = body_text(self.body)
        result: dict[str, Any] = {
            "method": self.method,
            "path": self.path,
            "query": [list(p) for p in self.query],
            "headers": [list(p) for p in self.headers],
            "body": text,
        }
        if text.encode("utf-8") != self.body:
            # The text form is cut or not UTF-8: replay needs the exact bytes.
            result["body_base64"] = base64.b64encode(self.body).decode("ascii")
        return result

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Request:
        """The inverse of ``to_dict``: a request read back from a JSON report or the drift store."""
        try:
            encoded = data.get("body_base64")
            body = (
                base64.b64decode(encoded)
                if isinstance(encoded, str)
                else str(data.get("body", "")).encode("utf-8")
            )
            return cls.build(
                str(data["method"]),
                str(data["path"]),
                query=[(str(k), str(v)) for k, v in data.get("query", ())],
                headers=[(str(k), str(v)) for k, v in data.get("headers", ())],
                body=body,
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"not a recorded request: {exc}") from None


@dataclass(frozen=True)
class Response:
    """What one side answered; ``crash`` holds a traceback (or a reason) when it failed."""

    status: int
    headers: Pairs = ()
    body: bytes = b""
    elapsed: float = 0.0
    crash: str | None = None
    _json: list[Any] = field(default_factory=list, compare=False, repr=False)

    def header(self, name: str) -> str | None:
        lowered = name.lower()
        return next((v for k, v in self.headers if k.lower() == lowered), None)

    def header_values(self, name: str) -> list[str]:
        lowered = name.lower()
        return [v for k, v in self.headers if k.lower() == lowered]

    @property
    def media_type(self) -> str | None:
        value = self.header("content-type")
        if value is None:
            return None
        return value.split(";", 1)[0].strip().lower() or None

    @property
    def is_json(self) -> bool:
        media = self.media_type or ""
        return media == "application/json" or media.endswith("+json")

    def json(self) -> tuple[bool, Any]:
        """``(parsed, value)``; parsed once and cached since compare and noise both ask."""
        if not self._json:
            try:
                self._json.extend((True, json.loads(self.body)))
            except (ValueError, UnicodeDecodeError, RecursionError):
                self._json.extend((False, None))
        return self._json[0], self._json[1]

    def to_dict(self) -> dict[str, Any]:
        text = body_text(self.body)
        result: dict[str, Any] = {
            "status": self.status,
            "headers": [list(p) for p in self.headers],
            "body": text,
        }
        if text.encode("utf-8") != self.body:
            result["body_base64"] = base64.b64encode(self.body).decode("ascii")
        if self.crash:
            result["crash"] = self.crash
        return result

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Response:
        try:
            encoded = data.get("body_base64")
            body = (
                base64.b64decode(encoded)
                if isinstance(encoded, str)
                else str(data.get("body", "")).encode("utf-8")
            )
            crash = data.get("crash")
            return cls(
                status=int(data["status"]),
                headers=_pairs((str(k), str(v)) for k, v in data.get("headers", ())),
                body=body,
                crash=str(crash) if crash else None,
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"not a recorded response: {exc}") from None


@dataclass(frozen=True)
class Exchange:
    """One request and what each side answered to it: a parity finding's evidence."""

    request: Request
    baseline: Response
    candidate: Response

    def to_dict(self) -> dict[str, Any]:
        return {
            "request": self.request.to_dict(),
            "baseline": self.baseline.to_dict(),
            "candidate": self.candidate.to_dict(),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Exchange:
        return cls(
            Request.from_dict(_mapping(data, "request")),
            Response.from_dict(_mapping(data, "baseline")),
            Response.from_dict(_mapping(data, "candidate")),
        )


@dataclass(frozen=True)
class Reproduction:
    """How to see a drift again: a curl command per side and a pytest test."""

    curl: Pairs = ()  # (side, command)
    pytest: str = ""

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"curl": dict(self.curl)}
        if self.pytest:
            data["pytest"] = self.pytest
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Reproduction:
        curl = data.get("curl")
        return cls(
            curl=_pairs(curl.items()) if isinstance(curl, Mapping) else (),
            pytest=str(data.get("pytest") or ""),
        )


# --- what the spec diff found ------------------------------------------------------------------

# The subject keys of a schema change, in the order they are written: what it is about.
SUBJECT_KEYS = ("in", "name", "status", "media_type", "header", "scheme", "location")


@dataclass(frozen=True)
class SchemaChange:
    """One contract change: its direction, where it is (subject), and the two values.

    ``base``/``revision`` are the values on each side when the rule has values to show
    (``has_values``); a removed operation has none.
    """

    direction: str
    where: Pairs = ()  # (subject key, value) in SUBJECT_KEYS order
    base: Any = None
    revision: Any = None
    has_values: bool = False

    @property
    def subject(self) -> str:
        """What the change is about, never its values: ``in=query name=limit``."""
        return " ".join(f"{key}={value}" for key, value in self.where)

    def get(self, key: str) -> str | None:
        return next((v for k, v in self.where if k == key), None)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"direction": self.direction, **dict(self.where)}
        if self.has_values:
            data["base"] = self.base
            data["revision"] = self.revision
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SchemaChange:
        where = tuple((key, str(data[key])) for key in SUBJECT_KEYS if key in data)
        has_values = "base" in data or "revision" in data
        return cls(
            direction=str(data.get("direction", "")),
            where=where,
            base=data.get("base"),
            revision=data.get("revision"),
            has_values=has_values,
        )


# --- identity ----------------------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class DriftKey:
    """What makes two findings 'the same drift', across runs: never generated values.

    ``subject`` is what differs, as a sorted set of strings: the differing response paths of a
    parity finding, the subject of a diff finding.
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


# --- findings and reports ----------------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    """One difference a user may have to act on, from the spec diff or the parity runner.

    Parity findings carry an ``exchange`` (the minimal request and both answers), the
    ``paths`` where the answers differ and a ``reproduction``; diff findings a ``change``.
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

    @property
    def subject(self) -> tuple[str, ...]:
        if self.change is not None:
            return (self.change.subject,) if self.change.subject else ()
        return tuple(str(p) for p in self.paths)

    @property
    def key(self) -> DriftKey:
        return DriftKey(self.operation, self.id, self.subject)

    @property
    def details(self) -> dict[str, Any]:
        """The documented ``details`` object of the JSON report."""
        data: dict[str, Any] = {}
        if self.change is not None:
            data.update(self.change.to_dict())
        if self.exchange is not None:
            data.update(self.exchange.to_dict())
        if self.subject:
            data["paths"] = list(self.subject)
        if self.reproduction is not None:
            data.update(self.reproduction.to_dict())
        return data

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "level": str(self.level),
            "operation": self.operation,
            "message": self.message,
            "count": self.count,
            "details": self.details,
        }

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
                Reproduction.from_dict(details) if "curl" in details or "pytest" in details else None
            )
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
            )
        except (KeyError, TypeError) as exc:
            raise ValueError(f"not a finding: {exc}") from None


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
        return cls(command=command, findings=sort_findings(findings), meta=meta)

    def counts(self) -> dict[str, int]:
        result = {str(level): 0 for level in Level}
        for finding in self.findings:
            result[str(finding.level)] += 1
        return result


def sort_findings(findings: Iterable[Finding]) -> tuple[Finding, ...]:
    """The one report order: by operation, worst first, then id and message."""
    return tuple(sorted(findings, key=lambda f: (f.operation, -f.level, f.id, f.message)))


def _mapping(data: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    value = data.get(key)
    if not isinstance(value, Mapping):
        raise ValueError(f"'{key}' must be an object")
    return value
