"""The parity Report and the diff Report every reporter test and golden file is built from.

Built from typed evidence exactly as the engines build it: headers are (name, value) pairs in the
order and case each framework sends them (Werkzeug title-cases, ASGI lowercases), bodies are the
bytes on the wire, differing places are ResponsePaths with list indexes generalised to ``[*]``,
and every parity finding carries a curl command per side and a pytest snippet. Reporter fixtures
that stored headers as a dict once kept the suite green while a real header-mismatch rendered
neither header value; nothing here may be shaped differently from what an engine writes.
"""

from __future__ import annotations

import json
from typing import Any

from contract_tools._parity.reproduction import curl, pytest_snippet
from contract_tools.causes import with_causes
from contract_tools.models import (
    EVERY,
    Exchange,
    Finding,
    Level,
    Mode,
    Report,
    Reproduction,
    Request,
    Response,
    ResponsePath,
    SchemaChange,
    sort_findings,
)

SCRIPT_BODY = "<script>alert(1)</script>"
LEGACY = "examples.legacy_flask:create_app()"
PORT = "examples.fastapi_port:create_app()"


def flask_json(value: Any) -> tuple[tuple[tuple[str, str], ...], bytes]:
    """Headers and body as Flask's jsonify sends them: sorted keys, compact, trailing newline."""
    body = json.dumps(value, sort_keys=True, separators=(",", ":")).encode() + b"\n"
    return (("Content-Type", "application/json"), ("Content-Length", str(len(body)))), body


def fastapi_json(value: Any) -> tuple[tuple[tuple[str, str], ...], bytes]:
    """Headers and body as Starlette's JSONResponse sends them: lowercase names, compact."""
    body = json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()
    return (("content-length", str(len(body))), ("content-type", "application/json")), body


def reproduction(request: Request, operation: str, finding_id: str) -> Reproduction:
    """The curl commands and pytest snippet the parity runner attaches to every finding: both
    in-process, so each curl line reads its side's URL variable."""
    return Reproduction(
        curl=tuple((side, curl(request, None, side=side)) for side in ("baseline", "candidate")),
        pytest=pytest_snippet(LEGACY, PORT, request, finding_id, operation),
    )


def parity_finding(
    finding_id: str,
    level: Level,
    operation: str,
    message: str,
    exchange: Exchange,
    paths: tuple[ResponsePath, ...],
    count: int = 1,
    about: str | None = None,
) -> Finding:
    return Finding(
        id=finding_id,
        level=level,
        operation=operation,
        message=message,
        count=count,
        paths=paths,
        exchange=exchange,
        reproduction=reproduction(exchange.request, operation, finding_id),
        about=about,
    )


_BOOK_REQUEST = Request.build(
    "GET", "/books/1", query=[("q", "a&b")], headers=[("Host", "localhost")]
)
BODY_MISMATCH = parity_finding(
    "body-mismatch",
    Level.ERROR,
    "GET /books/{id}",
    "body differs at $.id, $.tags[*]",
    Exchange(
        _BOOK_REQUEST,
        Response(200, *flask_json({"id": 1, "title": SCRIPT_BODY, "tags": ["a", "b"]})),
        Response(200, *fastapi_json({"id": "1", "title": SCRIPT_BODY, "tags": ["a", "c"]})),
    ),
    (ResponsePath.body(("id",)), ResponsePath.body(("tags", EVERY))),
    count=3,
)

_AUTHOR = {"id": 1, "name": "Ursula K. Le Guin"}
_AUTHOR_BASELINE = flask_json(_AUTHOR)
_AUTHOR_CANDIDATE = fastapi_json(_AUTHOR)
# The one differing header: Starlette's weak ETag where Flask sent a strong one.
HEADER_MISMATCH = parity_finding(
    "header-mismatch",
    Level.WARNING,
    "GET /authors/{author_id}",
    "header differs: etag: '\"a1\"' vs 'W/\"a1\"'",
    Exchange(
        Request.build("GET", "/authors/1", headers=[("Host", "localhost")]),
        Response(200, (*_AUTHOR_BASELINE[0], ("ETag", '"a1"')), _AUTHOR_BASELINE[1]),
        Response(200, (*_AUTHOR_CANDIDATE[0], ("etag", 'W/"a1"')), _AUTHOR_CANDIDATE[1]),
    ),
    (ResponsePath.header("etag"),),
)

_BAD_REQUEST = b"<h1>Bad Request</h1>\x00```"  # NUL and a fence: what escaping must survive
STATUS_MISMATCH = parity_finding(
    "status-mismatch",
    Level.WARNING,
    "POST /books",
    "status 400 (baseline) vs 422 (candidate): both refuse a request outside the baseline's "
    "contract, with other statuses",
    Exchange(
        Request.build(
            "POST",
            "/books",
            headers=[("Host", "localhost"), ("Content-Type", "application/json")],
            body=b'{"title": 5}',
        ),
        Response(
            400,
            (
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", str(len(_BAD_REQUEST))),
            ),
            _BAD_REQUEST,
        ),
        Response(422, *fastapi_json({"detail": [{"msg": "| pipe"}]})),
    ),
    (ResponsePath.status(),),
    about="status 400 -> 422",
)

_ORDER_ID = "0b6f1c1e-8a4f-4a8e-9d7b-2f0c5e6a1b01"
_TRACEBACK = (
    "Traceback (most recent call last):\n"
    '  File "/srv/port/orders.py", line 41, in get_order\n'
    '    total = Decimal(row["total"])\n'
    "decimal.InvalidOperation: [<class 'decimal.ConversionSyntax'>]\n"
)
CRASH = parity_finding(
    "crash",
    Level.ERROR,
    "GET /orders/{order_id}",
    "only the candidate crashed: it raised an exception",
    Exchange(
        Request.build("GET", f"/orders/{_ORDER_ID}", headers=[("Host", "localhost")]),
        Response(200, *flask_json({"id": _ORDER_ID, "total": "28.48"})),
        Response(
            500,
            (("content-type", "text/plain; charset=utf-8"), ("content-length", "21")),
            b"Internal Server Error",
            crash=_TRACEBACK,
        ),
    ),
    (ResponsePath.status(),),
    count=2,
    about="crash on candidate",
)

PARITY = with_causes(
    Report(
        command="parity",
        findings=sort_findings([BODY_MISMATCH, HEADER_MISMATCH, STATUS_MISMATCH, CRASH]),
        meta={
            "baseline": LEGACY,
            "candidate": PORT,
            "summary": {
                "operations": 5,
                "cases": 400,
                "shrink_cases": 37,
                "findings": 4,
                "seed": 42,
                "duration_s": 1.5,
            },
            "mode": Mode.ALL,
            "max_examples": 100,
            "normalization": ["header-name-case", "json-parsed"],
            # Every operation explored, with its time: JUnit lists passing ones too.
            "operations": [
                {"operation": "GET /", "cases": 2, "time_s": 0.1},
                {"operation": "GET /authors/{author_id}", "cases": 100, "time_s": 0.2},
                {"operation": "GET /books/{id}", "cases": 100, "time_s": 0.3},
                {"operation": "GET /orders/{order_id}", "cases": 98, "time_s": 0.4},
                {"operation": "POST /books", "cases": 100, "time_s": 0.5},
                {"operation": "PUT /upload", "cases": 0, "time_s": 0.0},
            ],
            "serve": {
                side: {"variable": f"{side.upper()}_URL", "url": url, "command": command}
                for side, url, command in (
                    (
                        "baseline",
                        "http://127.0.0.1:5000",
                        f"flask --app '{LEGACY}' run --port 5000",
                    ),
                    (
                        "candidate",
                        "http://127.0.0.1:8000",
                        "uvicorn --factory examples.fastapi_port:create_app --port 8000",
                    ),
                )
            },
        },
        noise=(
            {"operation": "GET /books/{id}", "shape": "query=q 2xx", "paths": ["$.fetched_at"]},
        ),
        skipped=({"operation": "PUT /upload", "reason": "multipart body cannot be generated"},),
    )
)

# A property name is app-supplied text: backticks and markup must stay inert in every format.
_ODD_PROPERTY = "$.items[*]['`nick` <b>']"
PROPERTY_REMOVED = Finding(
    id="response-body-optional-property-removed",
    level=Level.INFO,
    operation="GET /authors/",
    message=f"response 200 (application/json) at {_ODD_PROPERTY}: optional property removed",
    change=SchemaChange(
        "response",
        (("status", "200"), ("media_type", "application/json"), ("location", _ODD_PROPERTY)),
        base={"type": "string"},
        revision=None,
        has_values=True,
    ),
)

DEFAULT_CHANGED = Finding(
    id="request-parameter-default-changed",
    level=Level.WARNING,
    operation="GET /books/",
    message="query parameter 'limit': default 10 -> 20",
    change=SchemaChange(
        "request",
        (("in", "query"), ("name", "limit"), ("location", "$")),
        base=10,
        revision=20,
        has_values=True,
    ),
)

DIFF = Report.of(
    "diff",
    [
        Finding(
            id="operation-removed",
            level=Level.ERROR,
            operation="DELETE /books/{book_id}",
            message="DELETE /books/{book_id} was removed",
            change=SchemaChange("request"),
        ),
        DEFAULT_CHANGED,
        Finding(
            id="response-header-removed",
            level=Level.WARNING,
            operation="GET /catalogue",
            message="response 308 header 'Location' was removed",
            change=SchemaChange("response", (("status", "308"), ("header", "Location"))),
        ),
        PROPERTY_REMOVED,
    ],
    base="legacy.json",
    revision="port.json",
)
