"""What a probe is: a ``Subject`` in, requests out; the registry; the helpers rules share."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from contract_tools.models import Request

OPERATION = "operation"
PATH = "path"

ORIGIN = "https://client.example"
UNKNOWN_QUERY_KEY = "contract_tools_probe"
PROBE_HEADER = "X-Contract-Tools-Probe"
# What a browser sends along: a session-like cookie and analytics cookies, which real clients
# send to every endpoint of a site and no API declares.
PROBE_COOKIES = "contract_tools_probe=1; _ga=GA1.1.1000.1000; __utma=1.1000.1000.1000.1000.1"
SMALL_JSON = b'{"probe": "contract-tools"}'
MALFORMED_JSON = b'{"probe": '
MULTIPART_BOUNDARY = "contract-tools-probe"
# Methods that carry a body in practice (a DELETE body has no defined meaning: RFC 9110).
BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
# Tried in this order for method-not-allowed: the first one no side declares on the path.
UNDECLARED_METHODS = ("PATCH", "PUT", "DELETE", "POST", "GET")
_BODY_HEADERS = frozenset({"content-type", "content-length"})


@dataclass(frozen=True)
class Subject:
    """One operation as probes see it: a request inside its contract and what is declared."""

    method: str
    template: str
    base: Request
    path_methods: frozenset[str]  # every method either spec declares on this path
    query: tuple[tuple[str, tuple[str, ...]], ...] = ()  # declared key -> valid values seen
    headers: tuple[str, ...] = ()  # declared header names
    body_types: tuple[str, ...] = ()  # declared request media types
    # Requests generation sends anyway (its boundary cases): a probe sending one is not sent.
    generated: frozenset[Request] = frozenset()

    def declares(self, media_kind: str) -> bool:
        return any(media_kind in media for media in self.body_types)


@dataclass(frozen=True)
class ProbeRequest:
    """One request a probe sends, and how a finding says what was sent."""

    request: Request
    label: str


Build = Callable[[Subject], list[ProbeRequest]]


@dataclass(frozen=True)
class Probe:
    name: str
    scope: str
    build: Build

    @property
    def description(self) -> str:
        return (self.build.__doc__ or "").strip()

    @property
    def family(self) -> str:
        """The module that defines it: methods, requests or bodies."""
        return self.build.__module__.rsplit(".", 1)[-1]

    @property
    def summary(self) -> str:
        return " ".join(self.description.split("\n\n", 1)[0].split())


PROBES: list[Probe] = []


def probe(name: str, scope: str = OPERATION) -> Callable[[Build], Build]:
    def register(build: Build) -> Build:
        PROBES.append(Probe(name, scope, build))
        return build

    return register


# --- building requests -----------------------------------------------------------------------


def sent(request: Request, what: str = "", note: str = "") -> list[ProbeRequest]:
    """One request, labelled as findings name it: ``OPTIONS /books with Origin``."""
    label = f"{request.method} {request.target}" + (f" with {what}" if what else "")
    return [ProbeRequest(request, label + (f" ({note})" if note else ""))]


def with_header(request: Request, name: str, value: str) -> Request:
    return request.with_headers([(name, value)])


def without_headers(request: Request, names: Iterable[str]) -> Request:
    drop = {n.lower() for n in names}
    kept = tuple((k, v) for k, v in request.headers if k.lower() not in drop)
    return replace(request, headers=kept)


def bare(request: Request, method: str) -> Request:
    """The path alone with another method: no query, no body (a length where one is usual)."""
    result = replace(without_headers(request, _BODY_HEADERS), method=method, query=(), body=b"")
    return with_header(result, "Content-Length", "0") if method in BODY_METHODS else result


def with_body(request: Request, body: bytes, content_type: str | None) -> Request:
    result = replace(without_headers(request, _BODY_HEADERS), body=body)
    if content_type is not None:
        result = with_header(result, "Content-Type", content_type)
    return with_header(result, "Content-Length", str(len(body)))


def another(text: str) -> str:
    """Another value of the same shape that likely changes the answer: a small integer (a
    limit of 10 and one of 11 list the same short collection; 10 and 1 do not), or one
    character more."""
    if text.lstrip("-").isdigit():
        return "2" if text == "1" else "1"
    return text + "x"


def json_body(subject: Subject) -> bytes:
    """The base request's JSON body when it has one, else a small object."""
    media = (subject.base.header("content-type") or "").lower()
    return subject.base.body if subject.base.body and "json" in media else SMALL_JSON


# --- selection -------------------------------------------------------------------------------


ALL = "all"
NONE = "none"


def by_name() -> dict[str, Probe]:
    return {p.name: p for p in PROBES}


def select(names: Iterable[str]) -> list[Probe]:
    """``("all",)`` -> every probe; ``()`` or ``("none",)`` -> none; else the named ones, in
    registry order. An unknown name raises ValueError naming it."""
    wanted = [n.strip() for n in names if n.strip()]
    if not wanted or wanted == [NONE]:
        return []
    if ALL in wanted:
        return list(PROBES)
    known = by_name()
    unknown = [n for n in wanted if n not in known]
    if unknown:
        raise ValueError(f"unknown probe {unknown[0]!r} (contract-tools probes lists them)")
    return [p for p in PROBES if p.name in set(wanted)]
