"""Self-contained HTML report: one file, no network, every app-supplied value escaped.

jinja2 autoescaping covers the template; the few fragments built here (highlighted JSON) escape
each value with markupsafe before marking the result safe. The report data is embedded for the
page's script with ``<``, ``>``, ``&`` and U+2028/U+2029 escaped, so a body such as
``<script>alert(1)</script>`` stays inert text. A Content-Security-Policy allows only the page's
own script (by hash) and inline styles, which also guarantees the file never loads anything.

Filters (operation, finding id, level) can be set from the URL fragment, e.g.
``report.html#level=error&operation=GET%20/books/{id}``, so a link can open a filtered view.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup, escape

from contract_tools.models import Level, Report
from contract_tools.report.json import to_document
from contract_tools.report.paths import differences
from contract_tools.report.text import (
    _KNOWN_KEYS,
    gates,
    is_response,
    jsonable,
    strip_control,
    summary_line,
    title,
    to_json,
)

_TEMPLATES = Path(__file__).parent / "templates"

# Characters that could end a <script> element or break a JS string if left raw in JSON.
_SCRIPT_UNSAFE = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}

# One path segment in the notations engines use: $.a.b[0], root['a'][0], $['a b'].
_SEGMENT = re.compile(
    r"""\[\s*'((?:[^'\\]|\\.)*)'\s*\]|\[\s*"((?:[^"\\]|\\.)*)"\s*\]|\[(\d+)\]|\.?([^.\[\]]+)"""
)

Path_ = tuple[str, ...]


def render(report: Report, *, fail_on: Level | None = Level.ERROR) -> str:
    template = _environment().get_template("report.html.j2")
    # JSON in the data block escapes control characters itself; this only touches shown text.
    return strip_control(template.render(_context(report, fail_on)))


@functools.lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(_TEMPLATES)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["csp_hash"] = csp_hash
    return env


def _context(report: Report, fail_on: Level | None) -> dict[str, Any]:
    document = to_document(report)
    findings = [_finding_view(n, f, fail_on) for n, f in enumerate(report.findings, 1)]
    failing = sum(1 for f in report.findings if gates(f, fail_on))
    return {
        "title": title(report),
        "command": report.command,
        "summary": document["summary"],
        "summary_line": summary_line(report),
        "fail_on": str(fail_on) if fail_on is not None else "never",
        "failing": failing,
        "findings": findings,
        "operations": sorted({f.operation for f in report.findings}),
        "ids": sorted({f.id for f in report.findings}),
        "levels": [str(level) for level in reversed(Level)],
        "noise": [_noise_view(entry) for entry in report.noise],
        "skipped": [
            {"operation": str(e.get("operation", "?")), "reason": str(e.get("reason", ""))}
            for e in report.skipped
        ],
        "data": script_json(document),
    }


def _finding_view(number: int, finding: Any, fail_on: Level | None) -> dict[str, Any]:
    details: Mapping[str, Any] = finding.details
    paths = [str(p) for p in details.get("paths") or ()]
    highlights = _highlight_set(paths)
    responses = []
    if is_response(details.get("baseline")) or is_response(details.get("candidate")):
        for side in ("baseline", "candidate"):
            response = details.get(side)
            if is_response(response):
                responses.append(_response_view(side, response, highlights))
            else:
                responses.append({"side": side, "status": "(none)", "headers": [], "body": ""})
    curl = details.get("curl")
    curls: list[tuple[str, str]] = []
    if isinstance(curl, Mapping):
        curls = [(str(side), str(command)) for side, command in curl.items()]
    elif isinstance(curl, str):
        curls = [("", curl)]
    other = [
        (str(key), value if isinstance(value, str) else to_json(value))
        for key, value in details.items()
        if key not in _KNOWN_KEYS or (key in ("baseline", "candidate") and not responses)
    ]
    request = details.get("request")
    baseline, candidate = details.get("baseline"), details.get("candidate")
    differs = (
        differences(baseline, candidate, paths)
        if is_response(baseline) and is_response(candidate)
        else []
    )
    return {
        "differs": differs,
        "number": number,
        "id": finding.id,
        "level": str(finding.level),
        "operation": finding.operation,
        "message": finding.message,
        "count": finding.count,
        "gates": gates(finding, fail_on),
        "paths": paths,
        "request": None if request is None else json_html(request, set()),
        "responses": responses,
        "curls": curls,
        "other": other,
    }


def _response_view(
    side: str, response: Mapping[str, Any], highlights: set[Path_]
) -> dict[str, Any]:
    headers = response.get("headers") or {}
    pairs = (
        [(str(k), str(v)) for k, v in headers.items()]
        if isinstance(headers, Mapping)
        # Parity records headers as [name, value] pairs (order and repeats are kept).
        else [
            (str(item[0]), str(item[1])) if _is_pair(item) else (str(item), "") for item in headers
        ]
    )
    body = json_html(response["body"], highlights) if "body" in response else Markup("")
    return {"side": side, "status": response.get("status"), "headers": pairs, "body": body}


def _noise_view(entry: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "operation": str(entry.get("operation", "?")),
        "paths": [str(p) for p in entry.get("paths", ())],
    }


def script_json(value: Any) -> Markup:
    """JSON safe to place inside ``<script type="application/json">`` (and in JS source)."""
    text = json.dumps(value, ensure_ascii=False, default=jsonable, sort_keys=False)
    for char, replacement in _SCRIPT_UNSAFE.items():
        text = text.replace(char, replacement)
    # Safe: every character that could end the element or a JS string is escaped above.
    return Markup(text)


def csp_hash(script: str) -> Markup:
    """The CSP source expression that allows exactly this inline script."""
    digest = hashlib.sha256(str(script).encode("utf-8")).digest()
    # Base64 and quotes only: nothing here needs HTML escaping.
    return Markup("'sha256-" + base64.b64encode(digest).decode("ascii") + "'")


def parse_path(text: str) -> Path_:
    """A differing path in any common notation -> segments (list indexes as strings)."""
    text = text.strip()
    if text.startswith("/"):
        # JSON Pointer (RFC 6901).
        return tuple(s.replace("~1", "/").replace("~0", "~") for s in text.split("/")[1:])
    for prefix in ("root", "$"):
        if text.startswith(prefix):
            text = text[len(prefix) :]
            break
    segments: list[str] = []
    for match in _SEGMENT.finditer(text):
        single, double, index, bare = match.groups()
        raw = next(s for s in (single, double, index, bare) if s is not None)
        if single is not None or double is not None:
            raw = re.sub(r"\\(.)", r"\1", raw)
        segments.append(raw)
    return tuple(segments)


def _highlight_set(paths: list[str]) -> set[Path_]:
    result: set[Path_] = set()
    for path in paths:
        parsed = parse_path(path)
        result.add(parsed)
        # Engines may root paths at the response ("body.x") rather than at the body ("x").
        if parsed and parsed[0] == "body":
            result.add(parsed[1:])
    return result


def json_html(value: Any, highlights: set[Path_]) -> Markup:
    """Pretty JSON (indent 2) as escaped HTML, values at ``highlights`` wrapped in <mark>."""
    if isinstance(value, str):
        # A text body (HTML error page, plain text): shown as is, never interpreted.
        text = escape(value)
        return (
            Markup('<mark class="diff">') + text + Markup("</mark>") if () in highlights else text
        )
    return _json_node(value, (), 0, highlights)


def _json_node(value: Any, path: Path_, depth: int, highlights: set[Path_]) -> Markup:
    pad = "  " * (depth + 1)
    end_pad = "  " * depth
    if isinstance(value, Mapping) and value:
        items = [
            Markup(pad)
            + escape(json.dumps(str(key), ensure_ascii=False))
            + Markup(": ")
            + _json_node(child, (*path, str(key)), depth + 1, highlights)
            for key, child in value.items()
        ]
        node = Markup("{\n") + Markup(",\n").join(items) + Markup("\n" + end_pad + "}")
    elif isinstance(value, (list, tuple)) and value:
        items = [
            Markup(pad) + _json_node(child, (*path, str(i)), depth + 1, highlights)
            for i, child in enumerate(value)
        ]
        node = Markup("[\n") + Markup(",\n").join(items) + Markup("\n" + end_pad + "]")
    else:
        node = escape(json.dumps(value, ensure_ascii=False, default=jsonable))
    if path in highlights:
        return Markup('<mark class="diff">') + node + Markup("</mark>")
    return node


def _is_pair(item: Any) -> bool:
    return isinstance(item, (list, tuple)) and len(item) == 2
