"""httpbin against itself through a2wsgi: no false drift, and the one real difference found.

Checked by hand against gunicorn and uvicorn on 127.0.0.1: ``GET /etag/%0C`` makes httpbin set
``ETag: \\x0c``; gunicorn refuses the control character and answers 500, while a2wsgi strips it
and uvicorn answers 200. Everything else answers alike.
"""

from __future__ import annotations

from contract_tools._parity.session import make_target
from tests.parity.running import run

OPERATIONS = (
    "GET /headers",
    "GET /anything",
    "GET /response-headers",
    "GET /cookies",
    "GET /redirect/{n}",
    "GET /status/{codes}",
    "GET /base64/{value}",
    "GET /etag/{etag}",
)


def test_httpbin_mounted_in_asgi_answers_like_httpbin() -> None:
    report = run(
        make_target("httpbin:app"),
        make_target("tests.parity.apps.httpbin_mounted:app"),
        max_examples=8,
        seed=1,
        include=OPERATIONS,
        timeout=5,
    )
    assert report.meta["summary"]["operations"] == len(OPERATIONS)
    assert [(f.id, f.operation) for f in report.findings if f.operation != "GET /etag/{etag}"] == []
