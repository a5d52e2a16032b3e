"""How a person sees a drift again: a curl command per side and a pytest test.

Both are text built from the typed request; the pytest test goes through the public API
(``contract_tools.replay_request``) so that it keeps working whatever the engine's layout.

A curl line runs as printed, in bash or any POSIX shell, and sends exactly the built request:

- a live server's real base URL; an in-process app has none, so the line reads
  ``"$BASELINE_URL"`` (or ``$CANDIDATE_URL``) and the report says once how to serve the app
  (``serve_command``) and what to set the variable to;
- a body that is not plain text (non-UTF-8, or control characters: a shell drops a NUL byte
  inside quotes, and curl then waits for the bytes its Content-Length promised) is piped in
  with ``printf`` and octal escapes, which every POSIX ``printf`` reads; a large one is read
  from a file (``body_file``) that the run's end writes beside the reports;
- ``--globoff`` so ``[`` and ``{`` in a generated path are not curl ranges, ``--head`` for
  HEAD (``-X HEAD`` waits for a body), and curl's own ``Accept``/``User-Agent`` removed when
  the request had none, since an app that echoes the request would answer differently.
"""

from __future__ import annotations

import hashlib
import shlex
from collections.abc import Iterable
from typing import Any

from contract_tools._parity.asgi import ASGITarget
from contract_tools._parity.live import URLTarget
from contract_tools._parity.targets import Target
from contract_tools.models import Request

# Written in place of every --header value: reports travel (CI artifacts, PR comments).
REDACTED = "REDACTED"
# Bodies up to this size are inlined as printf escapes; larger ones are read from a file.
INLINE_LIMIT = 4096
# Where body files live, relative to the reports' directory (and to where curl is run).
BODY_DIR = "parity-bodies"
# Headers curl adds on its own unless told not to.
_CURL_DEFAULTS = ("Accept", "User-Agent")
# The Content-Length of the data curl sends is computed by curl: a copied one could disagree.
_COMPUTED = frozenset({"content-length"})
_SAFE_BYTES = frozenset(
    b'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 !"#$&()*+,-./:;<=>?@[]^_`{|}~'
)
_TEXT_CONTROLS = frozenset(b"\t\n\r")


def url_variable(side: str) -> str:
    """The shell variable an in-process side's curl line reads its base URL from."""
    return f"{side.upper()}_URL"


def curl(request: Request, base_url: str | None, *, side: str = "baseline") -> str:
    """A curl command for exactly this request; ``base_url`` None: an in-process app, whose
    URL is read from ``$<SIDE>_URL``."""
    parts = ["curl", "--path-as-is", "--globoff"]
    parts += ["--head"] if request.method == "HEAD" else ["-X", request.method]
    sent = {name.lower() for name, _ in request.headers}
    for name, value in request.headers:
        if name.lower() in _COMPUTED:
            continue
        # "Name:" would tell curl to drop the header; "Name;" sends it empty.
        parts += ["-H", f"{name}: {value}" if value else f"{name};"]
    for name in _CURL_DEFAULTS:
        if name.lower() not in sent:
            parts += ["-H", f"{name}:"]
    prefix = ""
    body = request.body
    if body:
        if _is_plain_text(body):
            parts += ["--data-binary", body.decode("utf-8")]
        elif len(body) <= INLINE_LIMIT:
            prefix = f"printf '{_octal(body)}' | "
            parts += ["--data-binary", "@-"]
        else:
            parts += ["--data-binary", f"@{body_file(body)}"]
    command = shlex.join(parts)
    if base_url is not None:
        return prefix + command + " " + shlex.quote(base_url.rstrip("/") + request.target)
    return prefix + command + f' "${url_variable(side)}"' + shlex.quote(request.target)


def body_file(body: bytes) -> str:
    """The file a large non-text body is read from, relative to the reports' directory."""
    return f"{BODY_DIR}/{hashlib.sha256(body).hexdigest()[:16]}.bin"


def _is_plain_text(body: bytes) -> bool:
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return not any((byte < 0x20 and byte not in _TEXT_CONTROLS) or byte == 0x7F for byte in body)


def _octal(body: bytes) -> str:
    """printf's format, single-quoted: safe ASCII as itself, every other byte as ``\\ooo``."""
    return "".join(chr(b) if b in _SAFE_BYTES else f"\\{b:03o}" for b in body)


def serve_command(reference: str, kind: str, port: int) -> str:
    """How to serve an in-process app so its curl lines have a server to reach."""
    module, _, attr = reference.partition(":")
    if kind == "asgi":
        factory = attr.endswith("()")
        target = f"{module}:{attr.removesuffix('()')}"
        flag = " --factory" if factory else ""
        return f"uvicorn{flag} {shlex.quote(target)} --host 127.0.0.1 --port {port}"
    # The flask command reads 'module:create_app()' as a factory call, as contract-tools does.
    return f"flask --app {shlex.quote(reference)} run --host 127.0.0.1 --port {port}"


def snippet_name(operation: str, finding_id: str) -> str:
    """``GET /books/{id}`` + ``body-mismatch`` -> ``get_books_id_body_mismatch``."""
    name = "".join(c if c.isalnum() else "_" for c in f"{operation}_{finding_id}".lower())
    return "_".join(part for part in name.split("_") if part)


def replay_options(*, strict: bool, disable: Iterable[str], ignore: Iterable[str]) -> str:
    """The keyword arguments a generated test passes to replay, to compare as the run did."""
    options = ""
    if strict:
        options += ", strict=True"
    if list(disable):
        options += f", disable={sorted(disable)!r}"
    if list(ignore):
        options += f", ignore={list(ignore)!r}"
    return options


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
    name = snippet_name(operation, finding_id)
    options = replay_options(strict=strict, disable=disable, ignore=ignore)
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


def live_url(target: Target) -> str | None:
    """A live server's base URL; None for an in-process app (its curl lines read a variable)."""
    return target.base_url if isinstance(target, URLTarget) else None


# Ports the serve commands suggest: Flask's and uvicorn's habits, one per side.
_PORTS = {"baseline": 5000, "candidate": 8000}


def serving(baseline: Target, candidate: Target) -> dict[str, Any]:
    """``{"serve": {side: {variable, url, command}}}`` for each in-process side (else ``{}``):
    what the report says once so that the curl lines have a server to reach."""
    entries: dict[str, dict[str, str]] = {}
    for side, target in (("baseline", baseline), ("candidate", candidate)):
        if isinstance(target, URLTarget):
            continue
        port = _PORTS[side]
        kind = "asgi" if isinstance(target, ASGITarget) else "wsgi"
        # An app object (the pytest plugin, scripts) has no reference a server could load.
        command = serve_command(target.name, kind, port) if ":" in target.name else ""
        entries[side] = {
            "variable": url_variable(side),
            "url": f"http://127.0.0.1:{port}",
            "command": command,
        }
    return {"serve": entries} if entries else {}
