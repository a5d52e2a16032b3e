"""An exchange's request and answers as HTTP-style text, for the Markdown and HTML reports.

``GET /books/1?q=a%26b`` then one ``Name: value`` line per header in the order sent (repeats
kept), a blank line and the body: JSON pretty-printed, anything else as text. The target is
shown percent-encoded, as sent. The JSON report keeps the exact bytes; this is for reading.
"""

from __future__ import annotations

import json
from typing import Any

from contract_tools.models import Request, Response, body_text

# Above this size a JSON body is shown cut, as text: pretty-printing it would only be cut later.
PRETTY_LIMIT = 100_000


def request_text(request: Request) -> str:
    head = [f"{request.method} {request.target}", *_header_lines(request.headers)]
    return _message(head, pretty_body(request.body, _parse(request.body)))


def response_text(response: Response) -> str:
    """Headers and body; the status is said by whoever shows this (a heading, a table)."""
    body = pretty_body(response.body, response.json()) if response.body else ""
    return _message(_header_lines(response.headers), body)


def pretty_body(body: bytes, document: tuple[bool, Any]) -> str:
    """``document`` is ``(parsed, value)`` as ``Response.json()`` returns it."""
    parsed, value = document
    if parsed and len(body) <= PRETTY_LIMIT:
        return json.dumps(value, indent=2, ensure_ascii=False)
    return body_text(body)


def _parse(body: bytes) -> tuple[bool, Any]:
    if not body or len(body) > PRETTY_LIMIT:
        return False, None
    try:
        return True, json.loads(body)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return False, None


def _header_lines(headers: tuple[tuple[str, str], ...]) -> list[str]:
    return [f"{name}: {value}" for name, value in headers]


def _message(head: list[str], body: str) -> str:
    if not body:
        return "\n".join(head)
    return "\n".join([*head, "", body]) if head else body
