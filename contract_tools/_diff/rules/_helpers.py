"""Shared glue for rules that report schema changes of one kind in one scope."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from contract_tools._diff.pair import RESPONSE_BODY, OperationPair
from contract_tools._diff.registry import Hit


def _show(value: Any) -> str:
    if isinstance(value, list) and len(value) == 1:
        value = value[0]
    if isinstance(value, list):
        return "[" + ", ".join(_show(v) for v in value) + "]"
    return "none" if value is None else str(value)


def schema_hits(pair: OperationPair, scope: str, kind: str, text: str) -> Iterator[Hit]:
    """One Hit per change; ``text`` may use {base} and {revision}."""
    for scoped in pair.changes(scope, kind):
        what = text.format(base=_show(scoped.change.base), revision=_show(scoped.change.revision))
        details = scoped.details()
        note = ""
        if scope == RESPONSE_BODY:
            seen = observed(pair, scoped.where["status"], scoped.where["media_type"])
            if "base" in seen and kind == "format-changed" and scoped.change.revision is None:
                # The values seen matched a format; a revision that declares plain strings
                # says less, not something else.
                continue
            if seen:
                note = " " + observed_note(seen)
                details["observed"] = seen
        yield Hit(f"{scoped.subject}: {what}{note}", details)


def observed(pair: OperationPair, status: str, media: str | None = None) -> dict[str, int]:
    """Sides whose response (or media type) was learned from the app, with the cases seen.

    flask-spec --learn writes what the app was seen to answer: a schema merged from samples
    says what was observed, never all the app may answer, and a finding about it says so.
    """
    found: dict[str, int] = {}
    for side, op in (("base", pair.base), ("revision", pair.revision)):
        response = op.responses.get(status) if op is not None else None
        if response is None:
            continue
        if media is not None and media in response.observed:
            found[side] = response.observed[media]
        elif media is None and response.learned:
            found[side] = sum(response.observed.values())
    return found


def observed_note(seen: dict[str, int]) -> str:
    parts = [f"{side} observed in {cases} cases" for side, cases in seen.items()]
    return f"({', '.join(parts)}, not declared)"
