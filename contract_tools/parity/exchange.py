"""One request and one response model shared by every target, so both sides see identical bytes."""

from __future__ import annotations

import base64
import json
import shlex
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import quote, urlencode

Pairs = tuple[tuple[str, str], ...]

# Bodies in reports are cut here: a finding must stay readable in a terminal and a JSON file.
_REPORT_BODY_LIMIT = 2000


def _pairs(items: Iterable[tuple[str, str]]) -> Pairs:
    return tuple((str(k), str(v)) for k, v in items)


def encode_header_value(value: str) -> bytes:
    """Latin-1 is what servers decode header bytes as; wider text goes as UTF-8 bytes."""
    try:
        return value.encode("latin-1")
    except UnicodeEncodeError:
        return value.encode("utf-8")


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
        result: dict[str, Any] = {
            "method": self.method,
            "path": self.path,
            "query": [list(p) for p in self.query],
            "headers": [list(p) for p in self.headers],
            "body": body_text(self.body),
        }
        if body_text(self.body).encode("utf-8") != self.body:
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

    def curl(self, base_url: str) -> str:
        """A curl command for exactly this request (``--path-as-is`` keeps ``//`` and ``..``)."""
        parts = ["curl", "--path-as-is", "-X", self.method]
        for name, value in self.headers:
            parts += ["-H", f"{name}: {value}"]
        if self.body:
            try:
                parts += ["--data-binary", self.body.decode("utf-8")]
            except UnicodeDecodeError:
                parts += ["--data-binary", "@-"]  # binary: pipe it in; the report holds the bytes
        parts.append(base_url.rstrip("/") + self.target)
        return shlex.join(parts)


@dataclass(frozen=True)
class Response:
    """What one target answered; ``crash`` holds a traceback when the app raised."""

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
            except (ValueError, UnicodeDecodeError):
                self._json.extend((False, None))
        return self._json[0], self._json[1]

    def to_dict(self) -> dict[str, Any]:
        result: dict[str, Any] = {
            "status": self.status,
            "headers": [list(p) for p in self.headers],
            "body": body_text(self.body),
        }
        if self.crash:
            result["crash"] = self.crash
        return result


def body_text(body: bytes) -> str:
    """Text for reports: UTF-8 when it is, else a repr of the bytes; long bodies are cut."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        text = repr(body)
    if len(text) > _REPORT_BODY_LIMIT:
        return text[:_REPORT_BODY_LIMIT] + f"... ({len(text) - _REPORT_BODY_LIMIT} more)"
    return text
