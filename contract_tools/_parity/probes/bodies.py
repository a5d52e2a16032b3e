"""Probes of bodies, on POST, PUT and PATCH: the legacy draft cannot see bodies, so these are
sent whether a body is declared or not; a probe whose body a spec describes is left to
generation."""

from __future__ import annotations

import json
from urllib.parse import urlencode

from contract_tools._parity.probes.base import (
    BODY_METHODS,
    MALFORMED_JSON,
    MULTIPART_BOUNDARY,
    SMALL_JSON,
    ProbeRequest,
    Subject,
    json_body,
    probe,
    sent,
    with_body,
)


@probe("body-empty")
def body_empty(subject: Subject) -> list[ProbeRequest]:
    """No body at all (Content-Length: 0, no Content-Type): Flask's ``get_json(silent=True)``
    gives None, a FastAPI body model 422."""
    if subject.method not in BODY_METHODS or not subject.base.body:
        return []
    return sent(with_body(subject.base, b"", None), "no body")


@probe("body-json")
def body_json(subject: Subject) -> list[ProbeRequest]:
    """A small JSON object on an operation that declares no JSON body: a Flask view reading
    ``request.json`` or ``get_data()`` sees it, a FastAPI route without a body parameter
    never reads it."""
    if subject.method not in BODY_METHODS or subject.declares("json"):
        return []
    return sent(with_body(subject.base, SMALL_JSON, "application/json"), "a JSON body")


@probe("body-malformed-json")
def body_malformed_json(subject: Subject) -> list[ProbeRequest]:
    """Malformed JSON with ``Content-Type: application/json``: Flask 400 (or None with
    ``silent=True``), FastAPI 422 with a ``json_invalid`` detail."""
    if subject.method not in BODY_METHODS:
        return []
    request = with_body(subject.base, MALFORMED_JSON, "application/json")
    return sent(request, "malformed JSON")


@probe("body-json-no-content-type")
def body_json_no_content_type(subject: Subject) -> list[ProbeRequest]:
    """A JSON body without Content-Type: Flask's ``get_json()`` refuses it (415, or None when
    silent); FastAPI read it as JSON until 0.132 and answers 422 since."""
    if subject.method not in BODY_METHODS:
        return []
    return sent(with_body(subject.base, json_body(subject), None), "JSON but no Content-Type")


@probe("body-form")
def body_form(subject: Subject) -> list[ProbeRequest]:
    """The body's fields as an urlencoded form: Flask views that read ``request.form`` or
    ``request.values`` take it; a JSON-only port refuses it (or reads an empty string).

    The top-level scalar fields of the base request's JSON body, else one probe field; not sent
    when a spec declares a form body (generation covers it)."""
    if subject.method not in BODY_METHODS or subject.declares("x-www-form-urlencoded"):
        return []
    try:
        document = json.loads(json_body(subject))
    except ValueError:
        document = None
    fields = [
        (str(k), json.dumps(v) if isinstance(v, bool) else str(v))
        for k, v in (document.items() if isinstance(document, dict) else ())
        if isinstance(v, (str, int, float))
    ] or [("probe", "contract-tools")]
    body = urlencode(fields).encode("ascii")
    return sent(with_body(subject.base, body, "application/x-www-form-urlencoded"), "a form body")


@probe("body-multipart")
def body_multipart(subject: Subject) -> list[ProbeRequest]:
    """A multipart upload (one field, one small text file): Werkzeug parses it into
    ``request.form``/``request.files``; Starlette needs python-multipart and a port that never
    expected one may crash.

    Not sent when a spec declares a multipart body (generation covers it)."""
    if subject.method not in BODY_METHODS or subject.declares("multipart"):
        return []
    b = MULTIPART_BOUNDARY
    body = (
        f'--{b}\r\nContent-Disposition: form-data; name="probe"\r\n\r\ncontract-tools\r\n'
        f'--{b}\r\nContent-Disposition: form-data; name="file"; filename="probe.txt"\r\n'
        f"Content-Type: text/plain\r\n\r\ncontract-tools probe\n\r\n--{b}--\r\n"
    ).encode("ascii")
    request = with_body(subject.base, body, f"multipart/form-data; boundary={b}")
    return sent(request, "a multipart upload")


@probe("body-wrong-content-type")
def body_wrong_content_type(subject: Subject) -> list[ProbeRequest]:
    """A JSON body labelled ``text/plain``: Flask's ``get_json()`` refuses it unless forced;
    FastAPI 422s it for a body model, or reads it for a raw ``Request``."""
    if subject.method not in BODY_METHODS:
        return []
    request = with_body(subject.base, json_body(subject), "text/plain")
    return sent(request, "a JSON body labelled text/plain")
