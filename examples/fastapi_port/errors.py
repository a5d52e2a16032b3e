"""Error contract of the legacy service, carried over to the port.

The legacy service answers every 404 with `{"error": "not found"}` and a bad JSON body with
400 `{"error": "<field> is required|invalid"}`. FastAPI's defaults (`{"detail": ...}`, 422) would
break existing clients, so the port translates them.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Sequence
from typing import Any

from fastapi import Request, Response
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException as StarletteHTTPException

BODY_NOT_OBJECT = "body must be a JSON object"
FASTAPI_UNPARSABLE_BODY = "There was an error parsing the body"


def legacy_body_message(errors: Sequence[Any]) -> str | None:
    """The legacy message for body errors, or None when the request is wrong elsewhere.

    Pydantic lists errors in field declaration order, and the legacy validator checks fields in
    that same order and stops at the first: so the first error gives the same message.
    """
    # A bad path or query parameter is not a body problem: leave FastAPI's 422 for it (the
    # legacy app would not even have routed such a request).
    if not errors or any(tuple(error["loc"])[:1] != ("body",) for error in errors):
        return None
    first = errors[0]
    loc = tuple(first["loc"])
    if len(loc) < 2 or not isinstance(loc[1], str) or first["type"] == "json_invalid":
        return BODY_NOT_OBJECT
    verdict = "required" if first["type"] == "missing" else "invalid"
    return f"{loc[1]} is {verdict}"


class LegacyErrorRoute(APIRoute):
    """A route that answers body validation errors the way the legacy service did."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def legacy_handler(request: Request) -> Response:
            try:
                return await handler(request)
            except RequestValidationError as exc:
                message = legacy_body_message(exc.errors())
                if message is None:
                    raise
                return JSONResponse({"error": message}, status_code=400)
            except StarletteHTTPException as exc:
                # A body FastAPI cannot even decode (not UTF-8) is, to the legacy app, just a
                # body that is not a JSON object. Found by contract-tools parity, --mode all.
                if exc.status_code == 400 and exc.detail == FASTAPI_UNPARSABLE_BODY:
                    return JSONResponse({"error": BODY_NOT_OBJECT}, status_code=400)
                raise

        return legacy_handler


async def http_error(request: Request, exc: Exception) -> Response:
    """JSON errors for 404 (routing misses too, as in Flask) and for 400/409 raised by views."""
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code == 404:
        return JSONResponse({"error": "not found"}, status_code=404)
    if exc.status_code in (400, 409):
        return JSONResponse({"error": exc.detail}, status_code=exc.status_code)
    return await http_exception_handler(request, exc)
