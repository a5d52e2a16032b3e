"""Probes of the request line and headers: slashes, query keys, headers, Accept, cookies, Origin."""

from __future__ import annotations

from dataclasses import replace

from contract_tools._parity.probes.base import (
    ORIGIN,
    PROBE_COOKIES,
    PROBE_HEADER,
    UNKNOWN_QUERY_KEY,
    ProbeRequest,
    Subject,
    another,
    probe,
    sent,
    with_header,
)


@probe("trailing-slash")
def trailing_slash(subject: Subject) -> list[ProbeRequest]:
    """The path with its trailing slash toggled: Werkzeug redirects (308) only towards a rule's
    canonical form and 404s the other way; Starlette redirects (307) both ways, POST too."""
    path = subject.base.path
    if path == "/":
        return []
    toggled = path[:-1] if path.endswith("/") else path + "/"
    return sent(replace(subject.base, path=toggled))


@probe("double-slash")
def double_slash(subject: Subject) -> list[ProbeRequest]:
    """The path with its leading slash doubled (``//books``), as a client joining a base URL
    that ends in ``/`` sends it: Werkzeug routes it as the single-slash path (200), Starlette's
    router finds no route (404)."""
    if subject.base.path == "/":
        return []
    return sent(replace(subject.base, path="/" + subject.base.path))


# --- query and headers -----------------------------------------------------------------------


@probe("repeated-query")
def repeated_query(subject: Subject) -> list[ProbeRequest]:
    """A query key sent twice (``?limit=1&limit=2``): Werkzeug's ``args.get`` takes the first
    value, a FastAPI scalar parameter the last.

    The first declared query parameter with a known valid value, with a second valid value (or
    a another); an undeclared key when none is declared (apps that echo their arguments)."""
    for name, values in subject.query:
        current = [v for k, v in subject.base.query if k == name]
        if not current and not values:
            continue
        first = current[0] if current else values[0]
        second = next((v for v in values if v != first), None) or another(first)
        kept = tuple((k, v) for k, v in subject.base.query if k != name)
        return sent(replace(subject.base, query=(*kept, (name, first), (name, second))))
    query = (*subject.base.query, (UNKNOWN_QUERY_KEY, "1"), (UNKNOWN_QUERY_KEY, "2"))
    return sent(replace(subject.base, query=query))


@probe("unknown-query")
def unknown_query(subject: Subject) -> list[ProbeRequest]:
    """An undeclared query key: Flask views ignore what they do not read; a FastAPI port with
    a strict query model (``extra="forbid"``) answers 422."""
    query = (*subject.base.query, (UNKNOWN_QUERY_KEY, "1"))
    return sent(replace(subject.base, query=query))


@probe("repeated-header")
def repeated_header(subject: Subject) -> list[ProbeRequest]:
    """A request header sent twice: WSGI servers join the values (``a,b``), Starlette's
    ``headers[...]`` and FastAPI's ``Header()`` read the first.

    The first declared header the request carries, with a second value; an undeclared
    X-Contract-Tools-Probe (``a`` then ``b``) when none is declared."""
    declared = {h.lower() for h in subject.headers}
    for name, value in subject.base.headers:
        if name.lower() in declared:
            index = subject.base.headers.index((name, value))
            twice = list(subject.base.headers)
            twice.insert(index + 1, (name, another(value)))
            return sent(replace(subject.base, headers=tuple(twice)), f"{name} sent twice")
    headers = (*subject.base.headers, (PROBE_HEADER, "a"), (PROBE_HEADER, "b"))
    return sent(replace(subject.base, headers=headers), f"{PROBE_HEADER} sent twice")


@probe("header-case")
def header_case(subject: Subject) -> list[ProbeRequest]:
    """Header names, and the media type, in another case (HTTP says both are case-insensitive):
    a port that compares ``content-type == "application/json"`` refuses what Flask parses.

    Every header but Host renamed in lower (or upper) case, the Content-Type value in title
    case; nothing is sent when the request has no such header."""
    headers = []
    for name, value in subject.base.headers:
        if name.lower() == "host":
            headers.append((name, value))
            continue
        renamed = name.upper() if name == name.lower() else name.lower()
        if name.lower() == "content-type":
            value = "/".join(part.title() for part in value.split("/"))
        headers.append((renamed, value))
    if tuple(headers) == subject.base.headers:
        return []
    return sent(replace(subject.base, headers=tuple(headers)), "header names in another case")


def _accept(subject: Subject, value: str) -> list[ProbeRequest]:
    return sent(with_header(subject.base, "Accept", value), f"Accept: {value}")


@probe("accept-any")
def accept_any(subject: Subject) -> list[ProbeRequest]:
    """``Accept: */*``, what curl and most clients send: content negotiation written by hand
    (406 unless a listed type is named) meets a port that ignores Accept."""
    return _accept(subject, "*/*")


@probe("accept-json")
def accept_json(subject: Subject) -> list[ProbeRequest]:
    """``Accept: application/json``, what API clients send."""
    return _accept(subject, "application/json")


@probe("accept-html")
def accept_html(subject: Subject) -> list[ProbeRequest]:
    """``Accept: text/html``, what a browser sends: some Flask apps answer HTML error pages or
    views there."""
    return _accept(subject, "text/html,application/xhtml+xml,*/*;q=0.8")


@probe("cookie")
def cookie(subject: Subject) -> list[ProbeRequest]:
    """The cookies a browser sends along: a session-like cookie and analytics cookies (_ga,
    __utma), added to any the request declares. Apps that echo, filter or hide cookies do it
    with Werkzeug's or Starlette's parser and their own lists."""
    existing = subject.base.header("cookie")
    value = f"{existing}; {PROBE_COOKIES}" if existing else PROBE_COOKIES
    return sent(with_header(subject.base, "Cookie", value), "a browser's cookies")


@probe("origin")
def origin(subject: Subject) -> list[ProbeRequest]:
    """The request with an Origin header, as a browser's cross-origin call: Flask-CORS-style
    hooks add Access-Control-* to every answer, Starlette's CORSMiddleware only when Origin is
    present (and adds ``Vary: Origin``)."""
    return sent(with_header(subject.base, "Origin", ORIGIN), f"Origin: {ORIGIN}")
