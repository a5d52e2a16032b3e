"""How a person sees a drift again: a curl command per side and a pytest test.

Both are text built from the typed request; the pytest test goes through the public API
(``contract_tools.replay_request``) so that it keeps working whatever the engine's layout.
"""

from __future__ import annotations

import shlex
from collections.abc import Iterable

from contract_tools.models import Request

# Written in place of every --header value: reports travel (CI artifacts, PR comments).
REDACTED = "REDACTED"


def curl(request: Request, base_url: str) -> str:
    """A curl command for exactly this request (``--path-as-is`` keeps ``//`` and ``..``)."""
    # curl -X HEAD would wait for the body the Content-Length announces: --head reads none.
    method = ["--head"] if request.method == "HEAD" else ["-X", request.method]
    parts = ["curl", "--path-as-is", *method]
    for name, value in request.headers:
        parts += ["-H", f"{name}: {value}"]
    if request.body:
        try:
            parts += ["--data-binary", request.body.decode("utf-8")]
        except UnicodeDecodeError:
            parts += ["--data-binary", "@-"]  # binary: pipe it in; the report holds the bytes
    parts.append(base_url.rstrip("/") + request.target)
    return shlex.join(parts)


def pytest_snippet(
    baseline: str,
    candidate: str,
    request: Request,
    finding_id: str,
    operation: str,
    *,
    strict: bool = False,
    disable: Iterable[str] = (),
    ignore: Iterable[str] = (),
) -> str:
    """A test that replays the minimal request against both sides and fails while they differ.

    It compares as the run did (same normalisation, the operation's noise and ignored paths), so
    it turns green once the port is fixed instead of failing forever on a timestamp.
    """
    name = "".join(c if c.isalnum() else "_" for c in f"{operation}_{finding_id}".lower())
    name = "_".join(part for part in name.split("_") if part)
    options = ""
    if strict:
        options += ", strict=True"
    if list(disable):
        options += f", disable={sorted(disable)!r}"
    if list(ignore):
        options += f", ignore={list(ignore)!r}"
    return (
        "from contract_tools import Request, replay_request\n\n\n"
        f"def test_{name}():\n"
        f"    request = Request.build(\n"
        f"        {request.method!r},\n"
        f"        {request.path!r},\n"
        f"        query={list(request.query)!r},\n"
        f"        headers={list(request.headers)!r},\n"
        f"        body={request.body!r},\n"
        f"    )\n"
        f"    assert replay_request({baseline!r}, {candidate!r}, request{options}) == []\n"
    )
