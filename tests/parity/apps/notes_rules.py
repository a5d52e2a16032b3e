"""What a note is, shared by the legacy notes service and its ports (as a team shares a
validation module until cutover), so that a port differs from the legacy app only where it
means to."""

from __future__ import annotations

import json
from typing import Any

TITLE_MAX = 200


def is_json_media(content_type: str | None) -> bool:
    """Werkzeug's ``request.is_json``: application/json or application/*+json."""
    media = (content_type or "").split(";")[0].strip().lower()
    return media == "application/json" or (
        media.startswith("application/") and media.endswith("+json")
    )


def parse_json(content_type: str | None, raw: bytes) -> Any:
    """Flask's ``request.get_json(silent=True)``: None unless a JSON media type parses."""
    if not is_json_media(content_type):
        return None
    try:
        return json.loads(raw)
    except ValueError:
        return None


def problem(payload: Any, *, partial: bool) -> str | None:
    """The first thing wrong with a note body, as the legacy app words it, or None."""
    if not isinstance(payload, dict):
        return "body must be a JSON object"
    title = payload.get("title")
    if title is None and not partial:
        return "title is required"
    if title is not None and (not isinstance(title, str) or not 0 < len(title) <= TITLE_MAX):
        return "title is invalid"
    text = payload.get("body")
    if text is not None and not isinstance(text, str):
        return "body is invalid"
    return None
