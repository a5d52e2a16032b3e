"""Responses a view can give, from its code: ``return x, 201``, ``abort(404)``, error handlers.

A status named in the view's code (or in what it calls) is marked ``x-contract-tools-source:
view``; a status only an error handler decides (the view raises ``ConflictError``, the app's
handler answers 409) is marked ``handler``. ``abort(404)`` takes its body from the app's 404
handler when there is one, from Werkzeug's HTML page otherwise.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from http import HTTPStatus
from typing import Any

from contract_tools.spec.view.reading import Outcome

SOURCE = "x-contract-tools-source"
# Werkzeug's own error pages (abort without an error handler) are HTML.
_WERKZEUG_PAGE = "text/html"

HandlerLookup = Callable[[int | None, Any], list[Outcome] | None]


def resolve(outcomes: Iterable[Outcome], handlers: HandlerLookup) -> list[Outcome]:
    """Outcomes with aborts and raised exceptions replaced by what answers them."""
    resolved: list[Outcome] = []
    for outcome in outcomes:
        if outcome.aborted or outcome.exception is not None:
            handled = handlers(outcome.status, outcome.exception)
            if handled:
                for answer in handled:
                    status = outcome.status
                    if answer.status not in (None, 200) or status is None:
                        status = answer.status  # the handler chose the status itself
                    source = "handler" if status != outcome.status else outcome.source
                    resolved.append(Outcome(status, answer.media, answer.location, source=source))
                continue
            if outcome.status is None:
                continue  # an exception nobody handles: a 500, not a contract
            resolved.append(Outcome(outcome.status, _WERKZEUG_PAGE, source=outcome.source))
            continue
        resolved.append(outcome)
    return [o for o in resolved if o.status is not None]


def responses(outcomes: Iterable[Outcome]) -> dict[str, dict[str, Any]]:
    """OpenAPI responses by status, in status order."""
    merged: dict[int, dict[str, Any]] = {}
    for outcome in outcomes:
        status = outcome.status
        if status is None or not 100 <= status <= 599:
            continue
        response = merged.get(status)
        if response is None:
            response = merged[status] = {"description": _phrase(status)}
            response[SOURCE] = outcome.source
        elif outcome.source == "view":
            response[SOURCE] = "view"
        if outcome.media and not (300 <= status < 400 and outcome.location) and status != 204:
            response.setdefault("content", {}).setdefault(outcome.media, {})
        if outcome.location:
            response["headers"] = {
                "Location": {"schema": {"type": "string"}, "required": True, SOURCE: "view"}
            }
    ordered: dict[str, dict[str, Any]] = {}
    for status in sorted(merged):
        response = merged[status]
        source = response.pop(SOURCE)
        if "content" in response:
            response["content"] = dict(sorted(response["content"].items()))
        response[SOURCE] = source
        ordered[str(status)] = response
    return ordered


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return f"Status {status}"
