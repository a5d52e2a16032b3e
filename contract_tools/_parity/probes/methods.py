"""Probes of methods: HEAD, OPTIONS (with and without CORS), a method no side declares."""

from __future__ import annotations

from dataclasses import replace

from contract_tools._parity.probes.base import (
    ORIGIN,
    PATH,
    UNDECLARED_METHODS,
    ProbeRequest,
    Subject,
    bare,
    probe,
    sent,
    with_header,
)


@probe("head")
def head(subject: Subject) -> list[ProbeRequest]:
    """HEAD on a GET route: Flask answers it for every GET rule (the GET's status and headers,
    no body); FastAPI's routes answer 405.

    Sent for GET operations whose path no spec declares HEAD on."""
    if subject.method != "GET" or "HEAD" in subject.path_methods:
        return []
    return sent(replace(subject.base, method="HEAD"))


@probe("options", PATH)
def options(subject: Subject) -> list[ProbeRequest]:
    """OPTIONS without Origin: Flask answers 200 with Allow on every rule; FastAPI 405.

    Sent once per path where no spec declares OPTIONS; filed under ``OPTIONS /path``."""
    if "OPTIONS" in subject.path_methods:
        return []
    return sent(bare(subject.base, "OPTIONS"))


@probe("options-origin", PATH)
def options_origin(subject: Subject) -> list[ProbeRequest]:
    """OPTIONS with an Origin (no preflight headers): CORS middleware answers this one
    differently from Flask's automatic OPTIONS (Starlette's only reacts to Origin).

    Sent once per path where no spec declares OPTIONS."""
    if "OPTIONS" in subject.path_methods:
        return []
    return sent(with_header(bare(subject.base, "OPTIONS"), "Origin", ORIGIN), "Origin")


@probe("preflight", PATH)
def preflight(subject: Subject) -> list[ProbeRequest]:
    """A CORS preflight for the operation's method: Origin, Access-Control-Request-Method and
    the declared headers in Access-Control-Request-Headers. Flask's automatic OPTIONS answers
    200 with Allow and no CORS headers; Starlette answers 405, or its CORSMiddleware 200 or 400.

    Sent once per path where no spec declares OPTIONS."""
    if "OPTIONS" in subject.path_methods:
        return []
    request = with_header(bare(subject.base, "OPTIONS"), "Origin", ORIGIN)
    request = with_header(request, "Access-Control-Request-Method", subject.method)
    wanted = [h.lower() for h in subject.headers] + (["content-type"] if subject.body_types else [])
    if wanted:
        request = with_header(request, "Access-Control-Request-Headers", ", ".join(wanted))
    return sent(request, f"a preflight for {subject.method}")


@probe("method-not-allowed", PATH)
def method_not_allowed(subject: Subject) -> list[ProbeRequest]:
    """A method no side declares on the path: both should answer 405 with an Allow header
    listing the same methods (Starlette lists only the first route's when several routes share
    a path; Werkzeug lists them all).

    The first of PATCH, PUT, DELETE, POST, GET that no spec declares on the path; once per path,
    filed under that method."""
    method = next((m for m in UNDECLARED_METHODS if m not in subject.path_methods), None)
    if method is None:
        return []
    return sent(bare(subject.base, method), note="no side declares it on this path")
