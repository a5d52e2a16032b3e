"""Evidence a finding carries: what was sent, what each side answered, where answers differ,
and how to see a drift again. Stdlib only; ``models`` re-exports
every type here, so readers import them from one place.

- ``Request``/``Response``/``Exchange``: what parity sent and what each side answered.
- ``ResponsePath``: where two answers differ (``status``, ``header:<name>``, a JSON path kept
  as a tuple of keys and indexes and rendered as ``$.a[*].b`` only at output).
- ``Reproduction``: a curl command per side and a pytest test.

Each type's ``to_dict``/``from_dict`` pair is its part of the JSON report.
"""

from __future__ import annotations

import ast
import base64
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import quote, urlencode

Pairs = tuple[tuple[str, str], ...]

# Bodies in reports are cut here: a finding must stay readable in a terminal and a JSON file.
REPORT_BODY_LIMIT = 2000


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


def _mapping(data: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    value = data.get(key)
    if not isinstance(value, Mapping):
        raise ValueError(f"'{key}' must be an object")
    return value
