"""Self-contained HTML report: one file, no network, every app-supplied value escaped.

jinja2 autoescaping covers every value: bodies reach the template as (text, highlighted) pieces,
never as pre-built markup. The report data is embedded for the page's script with ``<``, ``>``,
``&`` and U+2028/U+2029 escaped, so a body such as ``<script>alert(1)</script>`` stays inert text.
A Content-Security-Policy allows only the page's own script (by hash) and inline styles, which
also guarantees the file never loads anything.

Differing places are highlighted from the finding's ResponsePaths: the status, header rows, and
body values (an ``EVERY`` key matches each item of a list).

Filters (operation, finding id, level) can be set from the URL fragment, e.g.
``report.html#level=error&operation=GET%20/books/{id}``, so a link can open a filtered view.

jinja2 is imported only when a page is rendered, so the other formats never pay for it.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from contract_tools.models import (
    BODY,
    EVERY,
    HEADER,
    STATUS,
    Finding,
    Key,
    Level,
    Report,
    Response,
    ResponsePath,
    SchemaChange,
    body_text,
)
from contract_tools.report.json import to_document
from contract_tools.report.messages import PRETTY_LIMIT, request_text
from contract_tools.report.paths import differences
from contract_tools.report.registry import RenderOptions, reporter
from contract_tools.report.text import (
    accepted_lines,
    gates,
    jsonable,
    numbers,
    serve_lines,
    strip_control,
    summary_line,
    title,
    to_json,
    value_text,
)

if TYPE_CHECKING:
    import jinja2

_TEMPLATES = Path(__file__).parent / "templates"

# Characters that could end a <script> element or break a JS string if left raw in JSON.
_SCRIPT_UNSAFE = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}

# A piece of a shown body and whether it lies at a differing place.
Piece = tuple[str, bool]
# Where a value sits in a parsed body: object keys and list indexes.
Where = tuple[str | int, ...]


@reporter("html")
def render(report: Report, options: RenderOptions) -> str:
    template = _environment().get_template("report.html.j2")
    # JSON in the data block escapes control characters itself; this only touches shown text.
    return strip_control(template.render(_context(report, options.fail_on)))


@functools.lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    import jinja2
    from markupsafe import Markup

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(_TEMPLATES)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    # Markup only for text these two functions made safe themselves (escaped JSON, a hash).
    env.filters["csp_hash"] = lambda script: Markup(csp_hash(str(script)))
    env.filters["script_json"] = lambda value: Markup(script_json(value))
    return env


def _context(report: Report, fail_on: Level | None) -> dict[str, Any]:
    document = to_document(report)
    return {
        "title": title(report),
        "command": report.command,
        "summary": document["summary"],
        "summary_line": summary_line(report),
        "fail_on": None if fail_on is None else str(fail_on),
        "failing": sum(1 for f in report.findings if gates(f, fail_on)),
        "findings": [_finding_view(n, f, fail_on) for n, f in enumerate(report.findings, 1)],
        "causes": [
            {
                "id": c.id,
                "title": c.title,
                "level": str(c.level),
                "operations": len(c.operations),
                "findings": list(c.findings),
                "numbers": numbers(c.findings),
            }
            for c in report.causes
        ],
        "cause_ids": [c.id for c in report.causes],
        "accepted": accepted_lines(report)[1:],
        "serve": serve_lines(report)[1:],
        "operations": sorted({f.operation for f in report.findings}),
        "ids": sorted({f.id for f in report.findings}),
        "levels": [str(level) for level in reversed(Level)],
        "noise": [
            {
                "operation": str(e.get("operation", "?")),
                "shape": str(e.get("shape", "")),
                "paths": [str(p) for p in e.get("paths", ())],
            }
            for e in report.noise
        ],
        "skipped": [
            {"operation": str(e.get("operation", "?")), "reason": str(e.get("reason", ""))}
            for e in report.skipped
        ],
        "data": document,
    }


def _finding_view(number: int, finding: Finding, fail_on: Level | None) -> dict[str, Any]:
    exchange, reproduction = finding.exchange, finding.reproduction
    responses = []
    differs: list[tuple[str, str, str]] = []
    if exchange is not None:
        differs = [(str(p), left, right) for p, left, right in differences(exchange, finding.paths)]
        responses = [
            _response_view("baseline", exchange.baseline, finding.paths),
            _response_view("candidate", exchange.candidate, finding.paths),
        ]
    curls: list[tuple[str, str]] = []
    if reproduction is not None:
        commands = {command for _, command in reproduction.curl}
        # In-process targets give both sides one command: shown once, without a side label.
        curls = [("", commands.pop())] if len(commands) == 1 else list(reproduction.curl)
    return {
        "number": number,
        "id": finding.id,
        "level": str(finding.level),
        "operation": finding.operation,
        "message": finding.message,
        "subject": ", ".join(finding.subject),
        "cause": finding.cause or "",
        "count": finding.count,
        "gates": gates(finding, fail_on),
        "paths": [str(p) for p in finding.paths],
        "differs": differs,
        "change": _change_rows(finding.change) if finding.change is not None else [],
        "request": request_text(exchange.request) if exchange is not None else None,
        "responses": responses,
        "curls": curls,
        "pytest": reproduction.pytest if reproduction is not None else "",
    }


def _change_rows(change: SchemaChange) -> list[tuple[str, str]]:
    rows = [("subject", change.subject)] if change.subject else []
    rows.append(("direction", change.direction))
    if change.has_values:
        for label, value in (("base", change.base), ("revision", change.revision)):
            text = value_text(value)
            rows.append((label, to_json(value) if "\n" in text or len(text) > 80 else text))
    return rows


def _response_view(side: str, response: Response, paths: Sequence[ResponsePath]) -> dict[str, Any]:
    marked_headers = {str(p.keys[0]) for p in paths if p.part == HEADER}
    return {
        "side": side,
        "status": response.status,
        "status_marked": any(p.part == STATUS for p in paths),
        "content_type": response.header("content-type"),
        # Pairs in the order sent, repeats kept: they are part of what the side answered.
        "headers": [
            (name, value, name.lower() in marked_headers) for name, value in response.headers
        ],
        "body": body_pieces(response, [p.keys for p in paths if p.part == BODY]),
        "crash": response.crash,
    }


def body_pieces(response: Response, highlights: Sequence[tuple[Key, ...]]) -> list[Piece]:
    """The body as pieces of text, each marked when it lies at one of ``highlights``.

    A JSON body is pretty-printed (indent 2) and each value at a highlighted key path is marked;
    any other body is shown as text, all marked when the whole body (``()``) differs.
    """
    parsed, document = response.json()
    if not parsed or len(response.body) > PRETTY_LIMIT:
        return [(body_text(response.body), () in highlights)] if response.body else []
    pieces: list[Piece] = []
    _pieces(document, (), 0, highlights, False, pieces)
    merged: list[Piece] = []
    for text, marked in pieces:
        if merged and merged[-1][1] == marked:
            merged[-1] = (merged[-1][0] + text, marked)
        else:
            merged.append((text, marked))
    return merged


def _pieces(
    value: Any,
    where: Where,
    depth: int,
    highlights: Sequence[tuple[Key, ...]],
    inside: bool,
    out: list[Piece],
) -> None:
    marked = inside or any(_at(where, keys) for keys in highlights)
    pad, end_pad = "  " * (depth + 1), "  " * depth
    if isinstance(value, Mapping) and value:
        out.append(("{\n", marked))
        for index, (key, child) in enumerate(value.items()):
            out.append((pad + json.dumps(str(key), ensure_ascii=False) + ": ", marked))
            _pieces(child, (*where, str(key)), depth + 1, highlights, marked, out)
            out.append((",\n" if index < len(value) - 1 else "\n", marked))
        out.append((end_pad + "}", marked))
    elif isinstance(value, list) and value:
        out.append(("[\n", marked))
        for index, child in enumerate(value):
            out.append((pad, marked))
            _pieces(child, (*where, index), depth + 1, highlights, marked, out)
            out.append((",\n" if index < len(value) - 1 else "\n", marked))
        out.append((end_pad + "]", marked))
    else:
        out.append((json.dumps(value, ensure_ascii=False, default=jsonable), marked))


def _at(where: Where, keys: tuple[Key, ...]) -> bool:
    """Whether the value at ``where`` is the one ``keys`` names (``EVERY``: any list index)."""
    if len(where) != len(keys):
        return False
    return all(
        (key is EVERY and isinstance(step, int)) or (key == step and type(key) is type(step))
        for step, key in zip(where, keys, strict=True)
    )


def script_json(value: Any) -> str:
    """JSON safe to place inside ``<script type="application/json">`` (and in JS source)."""
    text = json.dumps(value, ensure_ascii=False, default=jsonable, sort_keys=False)
    for char, replacement in _SCRIPT_UNSAFE.items():
        text = text.replace(char, replacement)
    return text


def csp_hash(script: str) -> str:
    """The CSP source expression that allows exactly this inline script."""
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"
