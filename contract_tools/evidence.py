"""Evidence a finding carries. Stdlib only; ``models`` re-exports every type here, so readers
import them from one place.

- ``Request``/``Response``/``Exchange``: what parity sent and what each side answered.
- ``SequenceStep``: one step of a stateful sequence (its operation and exchange).
- ``Reproduction``: a curl command per side and a pytest test.
- ``SchemaChange``: what the spec diff found changed, and where (its subject).

Each type's ``to_dict``/``from_dict`` pair is its part of the JSON report.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import quote, urlencode

Pairs = tuple[tuple[str, str], ...]

# Bodies in reports are cut here: a finding must stay readable in a terminal and a JSON file.
REPORT_BODY_LIMIT = 2000

# --- what was sent and answered -----------------------------------------------------------------


def _pairs(items: Iterable[tuple[str, str]]) -> Pairs:
    return tuple((str(k), str(v)) for k, v in items)


def body_text(body: bytes, limit: int = REPORT_BODY_LIMIT) -> str:
    """Text for reports: UTF-8 when it is, else its size and hash (``binary_label``); long
    bodies are cut. The JSON report keeps the exact bytes beside it (``body_base64``)."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return binary_label(body)
    if len(text) > limit:
        return text[:limit] + f"... ({len(text) - limit} more)"
    return text


def binary_label(body: bytes) -> str:
    """A body that is not text, as a person can compare it: ``(binary: 12 bytes, sha256 …)``."""
    digest = hashlib.sha256(body).hexdigest()[:12]
    return f"(binary: {len(body)} bytes, sha256 {digest})"


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
    """What one side answered; ``crash`` holds a traceback (or a reason) when the app failed;
    ``no_answer`` says why there was no HTTP answer at all (a timeout, a dropped connection, a
    request the client refused to send): status 0, never equal to anything."""

    status: int
    headers: Pairs = ()
    body: bytes = b""
    elapsed: float = 0.0
    crash: str | None = None
    no_answer: str | None = None
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
        if self.no_answer:
            result["no_answer"] = self.no_answer
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
            crash, silent = data.get("crash"), data.get("no_answer")
            return cls(
                status=int(data["status"]),
                headers=_pairs((str(k), str(v)) for k, v in data.get("headers", ())),
                body=body,
                crash=str(crash) if crash else None,
                no_answer=str(silent) if silent else None,
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


@dataclass(frozen=True)
class SequenceStep:
    """One step of a sequence both sides ran: the operation and what each side answered.

    Each side's request may differ from the other's where it carries an id that side produced;
    ``exchange.request`` is the baseline's, ``candidate_request`` the candidate's when it differs.
    """

    operation: str
    exchange: Exchange
    candidate_request: Request | None = None

    def to_dict(self) -> dict[str, Any]:
        data = {"operation": self.operation, **self.exchange.to_dict()}
        if self.candidate_request is not None:
            data["candidate_request"] = self.candidate_request.to_dict()
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SequenceStep:
        other = data.get("candidate_request")
        return cls(
            str(data.get("operation", "")),
            Exchange.from_dict(data),
            Request.from_dict(other) if isinstance(other, Mapping) else None,
        )


# The subject keys of a schema change, in the order they are written: what it is about.
SUBJECT_KEYS = ("in", "name", "status", "media_type", "header", "scheme", "location")


@dataclass(frozen=True)
class SchemaChange:
    """One contract change: its direction, where it is (subject), and the two values.

    ``base``/``revision`` are the values on each side when the rule has values to show
    (``has_values``); a removed operation has none. ``observed`` names the sides whose schema
    was learned (``flask-spec --learn``) with how many cases it rests on: observed, not declared.
    """

    direction: str
    where: Pairs = ()  # (subject key, value) in SUBJECT_KEYS order
    base: Any = None
    revision: Any = None
    has_values: bool = False
    observed: tuple[tuple[str, int], ...] = ()

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
        if self.observed:
            data["observed"] = dict(self.observed)
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SchemaChange:
        where = tuple((key, str(data[key])) for key in SUBJECT_KEYS if key in data)
        has_values = "base" in data or "revision" in data
        observed = data.get("observed")
        return cls(
            direction=str(data.get("direction", "")),
            where=where,
            base=data.get("base"),
            revision=data.get("revision"),
            has_values=has_values,
            observed=tuple((str(k), int(v)) for k, v in observed.items())
            if isinstance(observed, Mapping)
            else (),
        )


def _mapping(data: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    value = data.get(key)
    if not isinstance(value, Mapping):
        raise ValueError(f"'{key}' must be an object")
    return value
