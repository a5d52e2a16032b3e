"""Framework-difference presets: what Flask and FastAPI do differently that no client notices.

Each rule is a named function over the two sides' views of a response, documented by its
docstring and switchable by name; ``--strict`` turns them all off. Facts behind each rule are in
docs/FLASK_VS_FASTAPI.md (each difference there is a rule here, a probe, or a finding).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from contract_tools.errors import UsageError
from contract_tools.models import Response

BYTES = "bytes"
JSON = "json"
IGNORED = "ignored"


@dataclass
class View:
    """One response as the comparison sees it; rules rewrite views, never responses."""

    response: Response
    status: int
    headers: dict[str, str]
    body: Any
    body_kind: str = BYTES

    @classmethod
    def of(cls, response: Response) -> View:
        headers: dict[str, str] = {}
        for name, value in response.headers:
            headers[name] = f"{headers[name]}, {value}" if name in headers else value
        return cls(response, response.status, headers, response.body)

    def pop_header(self, name: str) -> None:
        lowered = name.lower()
        for key in [k for k in self.headers if k.lower() == lowered]:
            del self.headers[key]

    def get_header(self, name: str) -> str | None:
        lowered = name.lower()
        return next((v for k, v in self.headers.items() if k.lower() == lowered), None)

    def set_header(self, name: str, value: str) -> None:
        self.pop_header(name)
        self.headers[name] = value


RuleFunc = Callable[[View, View], None]


@dataclass(frozen=True)
class NormalizationRule:
    name: str
    func: RuleFunc

    @property
    def description(self) -> str:
        return (self.func.__doc__ or "").strip().splitlines()[0]


_VOLATILE = ("date", "server", "content-length", "connection", "keep-alive", "transfer-encoding")


def header_name_case(baseline: View, candidate: View) -> None:
    """Header names are case-insensitive (ASGI lowercases them, Werkzeug title-cases them)."""
    for view in (baseline, candidate):
        merged: dict[str, str] = {}
        for name, value in view.headers.items():
            key = name.lower()
            merged[key] = f"{merged[key]}, {value}" if key in merged else value
        view.headers = merged


def ignore_volatile_headers(baseline: View, candidate: View) -> None:
    """Date, Server, Content-Length and hop-by-hop headers belong to the server, not the app."""
    for view in (baseline, candidate):
        for name in _VOLATILE:
            view.pop_header(name)


def media_type_only(baseline: View, candidate: View) -> None:
    """Content-Type compares by media type: charset and parameter spelling differ per framework."""
    for view in (baseline, candidate):
        media = view.response.media_type
        if media is not None:
            view.set_header("content-type", media)


def json_parsed(baseline: View, candidate: View) -> None:
    """JSON bodies compare parsed: Flask sorts keys, escapes non-ASCII and adds a newline."""
    for view in (baseline, candidate):
        if view.body_kind == BYTES and view.response.is_json:
            ok, value = view.response.json()
            if ok:
                view.body, view.body_kind = value, JSON


def framework_error_pages(baseline: View, candidate: View) -> None:
    """Werkzeug's HTML error page and Starlette's {"detail": ...} compare by status only."""
    if is_framework_error_page(baseline.response) and is_framework_error_page(candidate.response):
        for view in (baseline, candidate):
            view.body, view.body_kind = None, IGNORED
            view.pop_header("content-type")
            view.pop_header("content-length")


def crash_pages(baseline: View, candidate: View) -> None:
    """When both sides crashed with the same 5xx, only the status compares: a crash page (a
    traceback page, gunicorn's or a2wsgi's bare 500) is nobody's contract."""
    both = baseline.status == candidate.status and baseline.status >= 500
    if both and baseline.response.crash is not None and candidate.response.crash is not None:
        for view in (baseline, candidate):
            view.body, view.body_kind = None, IGNORED
            view.headers = {}


def empty_body_untyped(baseline: View, candidate: View) -> None:
    """Two empty bodies (204, HEAD) are equal whatever type they claim: Flask says text/html."""
    if not baseline.response.body and not candidate.response.body:
        for view in (baseline, candidate):
            view.pop_header("content-type")


def redirect_307_308(baseline: View, candidate: View) -> None:
    """Flask redirects slashes with 308, Starlette with 307: both keep the method and body."""
    for view in (baseline, candidate):
        if view.status == 308:
            view.status = 307


def redirect_location_only(baseline: View, candidate: View) -> None:
    """On redirects both sides answer with Location; the filler body and its type are not read."""
    if 300 <= baseline.status < 400 and 300 <= candidate.status < 400:
        for view in (baseline, candidate):
            view.body, view.body_kind = None, IGNORED
            view.pop_header("content-type")
            view.pop_header("content-length")


def location_path_query(baseline: View, candidate: View) -> None:
    """Location compares by path and query: the host is whatever the request's Host said."""
    for view in (baseline, candidate):
        value = view.get_header("location")
        if value is not None:
            parts = urlsplit(value)
            view.set_header("location", parts.path + (f"?{parts.query}" if parts.query else ""))


def allow_as_set(baseline: View, candidate: View) -> None:
    """Allow compares as a set without HEAD/OPTIONS: Flask's order varies per process."""
    for view in (baseline, candidate):
        value = view.get_header("allow")
        if value is not None:
            methods = {m.strip().upper() for m in value.split(",") if m.strip()}
            view.set_header("allow", ", ".join(sorted(methods - {"HEAD", "OPTIONS"})))


FLASK_FASTAPI: tuple[NormalizationRule, ...] = tuple(
    NormalizationRule(func.__name__.replace("_", "-"), func)
    for func in (
        header_name_case,
        ignore_volatile_headers,
        media_type_only,
        json_parsed,
        framework_error_pages,
        crash_pages,
        empty_body_untyped,
        redirect_307_308,
        redirect_location_only,
        location_path_query,
        allow_as_set,
    )
)
PRESETS: dict[str, tuple[NormalizationRule, ...]] = {"flask-fastapi": FLASK_FASTAPI}


@dataclass(frozen=True)
class Normalizer:
    """An ordered selection of rules; ``Normalizer.preset(strict=True)`` applies none."""

    rules: tuple[NormalizationRule, ...] = field(default=FLASK_FASTAPI)

    @classmethod
    def preset(
        cls, name: str = "flask-fastapi", *, strict: bool = False, disable: Iterable[str] = ()
    ) -> Normalizer:
        if name not in PRESETS:
            raise UsageError(f"unknown normalisation preset {name!r} (known: {', '.join(PRESETS)})")
        if strict:
            return cls(rules=())
        rules = PRESETS[name]
        disabled = set(disable)
        unknown = disabled - {r.name for r in rules}
        if unknown:
            raise UsageError(f"unknown normalisation rule(s): {', '.join(sorted(unknown))}")
        return cls(rules=tuple(r for r in rules if r.name not in disabled))

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(rule.name for rule in self.rules)

    def views(self, baseline: Response, candidate: Response) -> tuple[View, View]:
        left, right = View.of(baseline), View.of(candidate)
        for rule in self.rules:
            rule.func(left, right)
        return left, right


# Werkzeug's default page: "<!doctype html>\n<html lang=en>\n<title>404 Not Found</title>\n..."
_WERKZEUG_PAGE = re.compile(
    rb"\A<!doctype html>\n<html lang=en>\n<title>\d{3} [^<]*</title>\n"
    rb"<h1>[^<]*</h1>\n<p>.*</p>\n?\Z",
    re.S,
)
# Starlette's plain-text defaults: "Not Found", "Method Not Allowed", "Internal Server Error".
_PLAIN_REASON = re.compile(rb"\A[A-Z][A-Za-z' -]{1,40}\Z")


def is_framework_error_page(response: Response) -> bool:
    """True for a 4xx/5xx body that a framework wrote, not the application."""
    if response.status < 400:
        return False
    media = response.media_type
    if media == "text/html":
        return bool(_WERKZEUG_PAGE.match(response.body))
    if media == "text/plain" or media is None:
        return bool(_PLAIN_REASON.match(response.body))
    if response.is_json:
        ok, value = response.json()
        return ok and isinstance(value, dict) and set(value) == {"detail"}
    return False
