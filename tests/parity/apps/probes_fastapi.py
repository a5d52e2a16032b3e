"""The FastAPI port of probes_flask: faithful by default, or with one seeded drift per probe.

The faithful port does what Flask does where FastAPI does otherwise: an ASGI layer answers HEAD
(as GET, without the body) and OPTIONS (200 with Allow) for every route, 405 with every method
of the path in Allow, and merges a doubled leading slash; slashes are never redirected; query
keys and headers take Werkzeug's reading (first value; repeated headers joined with a comma);
bodies are read as ``get_json(silent=True)``, ``request.form`` and ``request.files`` read them.

``create_app(drift=NAME)`` breaks exactly the behaviour the probe NAME sends, so that only that
probe can see it (``DRIFTS``).
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, MutableMapping
from email.parser import BytesParser
from email.policy import HTTP
from typing import Any
from urllib.parse import parse_qsl

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from tests.parity.apps.probes_flask import SEED_ITEMS, visible_cookies

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

DRIFTS = (
    "head",
    "options",
    "options-origin",
    "preflight",
    "method-not-allowed",
    "trailing-slash",
    "double-slash",
    "repeated-query",
    "unknown-query",
    "repeated-header",
    "header-case",
    "accept-any",
    "accept-json",
    "accept-html",
    "cookie",
    "origin",
    "body-empty",
    "body-json",
    "body-malformed-json",
    "body-json-no-content-type",
    "body-form",
    "body-multipart",
    "body-wrong-content-type",
)
ITEM_BODY = {
    "required": True,
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "properties": {"name": {"type": "string"}},
                "required": ["name"],
            }
        }
    },
}


def header(request: Request, name: str) -> str | None:
    """A request header as a WSGI server hands it to Flask: repeated values joined by commas."""
    values = request.headers.getlist(name)
    return ",".join(values) if values else None


def media_type(request: Request) -> str:
    return (request.headers.get("content-type") or "").split(";", 1)[0].strip().lower()


def multipart(content_type: str, body: bytes) -> dict[str, Any]:
    """Fields and file names of a multipart body, as Werkzeug splits them (parsed with the
    stdlib: Starlette's own parser needs python-multipart, which this project does not)."""
    message = BytesParser(policy=HTTP).parsebytes(
        f"Content-Type: {content_type}\r\n\r\n".encode("latin-1") + body
    )
    form: dict[str, str] = {}
    files: list[str] = []
    for part in message.iter_parts():  # type: ignore[attr-defined]
        name = part.get_param("name", header="content-disposition")
        if part.get_filename() is not None:
            files.append(str(name))
        else:
            form[str(name)] = part.get_content()
    return {"form": form, "files": sorted(files)}


def create_app(drift: str | None = None) -> Any:
    if drift is not None and drift not in DRIFTS:
        raise ValueError(f"unknown drift {drift!r}")
    app = FastAPI(redirect_slashes=drift == "trailing-slash")
    items: dict[int, dict[str, Any]] = {k: dict(v) for k, v in SEED_ITEMS.items()}

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Any:
        if exc.status_code == 404:
            return JSONResponse({"error": "not found"}, status_code=404)
        return JSONResponse({"detail": exc.detail}, status_code=exc.status_code)

    @app.get("/items")
    def list_items(request: Request) -> Any:
        if drift == "unknown-query" and set(request.query_params) - {"limit"}:
            return JSONResponse({"detail": "unknown query parameter"}, status_code=422)
        values = request.query_params.getlist("limit")
        raw = values[-1] if drift == "repeated-query" and values else (values or ["10"])[0]
        try:
            limit = int(raw)
        except ValueError:
            limit = 10  # Flask's args.get(type=int): the default, silently
        return {"items": list(items.values())[: max(limit, 0)]}

    @app.post("/items", openapi_extra={"requestBody": ITEM_BODY})
    async def create_item(request: Request) -> Any:
        raw = await request.body()
        content_type = media_type(request)
        if drift == "header-case":
            # Compares the header as sent, where Flask lower-cases the media type.
            content_type = (request.headers.get("content-type") or "").split(";", 1)[0]
        readable = content_type == "application/json" or (
            drift == "body-wrong-content-type" and content_type == "text/plain"
        )
        if drift == "body-empty" and not raw:
            return JSONResponse({"detail": "body required"}, status_code=422)
        try:
            payload = json.loads(raw) if readable else None
        except ValueError:
            if drift == "body-malformed-json":
                return JSONResponse({"detail": "json_invalid"}, status_code=422)
            payload = None
        if not isinstance(payload, dict) or not isinstance(payload.get("name"), str):
            return JSONResponse({"error": "name required"}, status_code=400)
        item = {"id": max(items) + 1, "name": payload["name"]}
        items[item["id"]] = item
        return JSONResponse(item, status_code=201)

    @app.get("/items/{item_id}")
    def get_item(item_id: str) -> Any:
        if not item_id.isdigit():
            raise HTTPException(404)  # Werkzeug's int converter: no route
        if int(item_id) not in items:
            return JSONResponse({"error": "not found"}, status_code=404)
        return items[int(item_id)]

    async def echo(request: Request) -> Any:
        tag = header(request, "x-tag")
        if drift == "repeated-header":
            tag = request.headers.get("x-tag")  # FastAPI's Header(): the first value
        cookies = dict(request.cookies) if drift == "cookie" else visible_cookies(request.cookies)
        return {
            "tag": tag,
            "args": {k: request.query_params.getlist(k)[0] for k in request.query_params},
            "cookies": cookies,
            "json": await _json(request),
            **await _form(request),
        }

    # One route per method, as a port writes them (and one operationId each).
    app.add_api_route("/echo", echo, methods=["GET"])
    app.add_api_route("/echo", echo, methods=["POST"])

    async def _json(request: Request) -> Any:
        content_type = media_type(request)
        if content_type != "application/json" and not (
            drift == "body-json-no-content-type" and not content_type
        ):
            return None
        try:
            document = json.loads(await request.body())
        except ValueError:
            return None
        # Seeded: the port hands back the JSON text instead of the object.
        return json.dumps(document) if drift == "body-json" else document

    async def _form(request: Request) -> dict[str, Any]:
        content_type = media_type(request)
        if content_type == "multipart/form-data" and drift == "body-multipart":
            raise RuntimeError("uploads were never ported")
        if content_type == "application/x-www-form-urlencoded" and drift != "body-form":
            return {"form": dict(parse_qsl((await request.body()).decode("latin-1"))), "files": []}
        if content_type == "multipart/form-data":
            return multipart(request.headers["content-type"], await request.body())
        return {"form": {}, "files": []}

    @app.get("/report")
    def report(request: Request) -> Any:
        accept = header(request, "accept") or ""
        if drift == "accept-any" and accept == "*/*":
            return PlainTextResponse("Not Acceptable", status_code=406)  # no wildcards
        if drift == "accept-json" and accept == "application/json":
            return PlainTextResponse("Not Acceptable", status_code=406)
        if "text/html" in accept and drift != "accept-html":
            return HTMLResponse("<h1>Report</h1>")
        return {"items": len(items)}

    return FlaskLike(app, drift)


class FlaskLike:
    """What Werkzeug does around the routes: HEAD, OPTIONS, 405 with Allow, ``//`` merged."""

    def __init__(self, app: FastAPI, drift: str | None) -> None:
        self.app = app
        self.drift = drift
        self.openapi = app.openapi  # the spec is the app's

    def methods(self, path: str, first_only: bool = False) -> set[str]:
        """Methods of the routes matching ``path``; Starlette's own 405 lists the first's."""
        found: set[str] = set()
        for route in self.app.routes:
            regex = getattr(route, "path_regex", None)
            if regex is not None and regex.match(path) and getattr(route, "methods", None):
                found |= set(route.methods)
                if first_only:
                    break
        return found

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if scope["path"].startswith("//") and self.drift != "double-slash":
            scope = {**scope, "path": "/" + scope["path"].lstrip("/")}
        methods = self.methods(scope["path"])
        method = scope["method"]
        headers = {k.decode("latin-1").lower() for k, _ in scope["headers"]}
        if self.drift == "origin" and "origin" in headers and method != "OPTIONS":
            send = _adding(send, [(b"access-control-allow-origin", b"*")])
        if not methods or method in methods:
            await self.app(scope, receive, send)
            return
        allow = ", ".join(sorted(methods | {"HEAD", "OPTIONS"}))
        if method == "HEAD" and "GET" in methods and self.drift != "head":
            await self.app({**scope, "method": "GET"}, receive, send)
            return
        if method == "OPTIONS" and self._answers_options(headers):
            await _respond(send, 200, [(b"allow", allow.encode())], b"")
            return
        if method == "OPTIONS" and self.drift == "preflight":
            cors = [(b"access-control-allow-origin", b"*"), (b"vary", b"Origin")]
            await _respond(send, 200, cors, b"OK")
            return
        if self.drift == "method-not-allowed":
            allow = ", ".join(sorted(self.methods(scope["path"], first_only=True)))
        await _respond(send, 405, [(b"allow", allow.encode())], b'{"detail":"Method Not Allowed"}')

    def _answers_options(self, headers: set[str]) -> bool:
        if "access-control-request-method" in headers:
            return self.drift != "preflight"
        if "origin" in headers:
            return self.drift != "options-origin"
        return self.drift != "options"


def _adding(send: Send, extra: list[tuple[bytes, bytes]]) -> Send:
    async def wrapped(message: Message) -> None:
        if message["type"] == "http.response.start":
            message = {**message, "headers": [*message.get("headers", []), *extra]}
        await send(message)

    return wrapped


async def _respond(
    send: Send, status: int, headers: list[tuple[bytes, bytes]], body: bytes
) -> None:
    media = b"application/json" if body.startswith(b"{") else b"text/plain; charset=utf-8"
    headers = [*headers, (b"content-type", media), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
