"""FastAPI ports of notes_flask: a faithful one, and one with the five drifts of issue 13.

Each drift lives on a resource that exists, so only a sequence (create, then act on what was
created) reaches it; one request with a random id only ever meets the 404 branch on both sides:

- ``patch-resets``: PATCH writes every field, so a field the body leaves out is reset to "".
- ``archive-hides``: an archived note is no longer returned by GET (404).
- ``list-archived``: the list shows archived notes too.
- ``delete-answer``: DELETE answers 200 with a body instead of 204.
- ``deleted-gone``: a deleted note answers 410 instead of 404.

The faithful port keeps Flask's behaviour on the wire, HEAD and OPTIONS included (Flask answers
both on every rule; FastAPI's routes do not), with random ids of its own.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, MutableMapping
from datetime import datetime, timezone
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel

from tests.parity.apps.notes_rules import TITLE_MAX, parse_json, problem

DRIFTS = ("patch-resets", "archive-hides", "list-archived", "delete-answer", "deleted-gone")

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]


class Note(BaseModel):
    id: str
    title: str
    body: str
    archived: bool
    created_at: str
    updated_at: str | None


def _body(required: tuple[str, ...], example: dict[str, str] | None = None) -> dict[str, Any]:
    # Declared for the spec only: parsing stays Flask's (a pydantic body would answer 422).
    media: dict[str, Any] = {"example": example} if example else {}
    return {
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {
                    **media,
                    "schema": {
                        "type": "object",
                        "properties": {
                            "title": {"type": "string", "minLength": 1, "maxLength": TITLE_MAX},
                            "body": {"type": "string"},
                        },
                        "required": list(required),
                    },
                }
            },
        }
    }


def _now() -> str:
    return datetime.now(timezone.utc).isoformat()


def _missing() -> JSONResponse:
    return JSONResponse({"error": "not found"}, status_code=404)


def create_app(drifts: tuple[str, ...] = ()) -> Any:
    unknown = set(drifts) - set(DRIFTS)
    if unknown:
        raise ValueError(f"unknown drifts: {sorted(unknown)}")
    app = FastAPI(redirect_slashes=False)
    notes: dict[str, dict[str, Any]] = {}
    deleted: set[str] = set()

    async def payload(request: Request) -> Any:
        return parse_json(request.headers.get("content-type"), await request.body())

    def lookup(note_id: str) -> dict[str, Any] | JSONResponse:
        note = notes.get(note_id)
        if note is None:
            if "deleted-gone" in drifts and note_id in deleted:
                return JSONResponse({"error": "gone"}, status_code=410)
            return _missing()
        return note

    @app.post(
        "/notes",
        status_code=201,
        response_model=Note,
        openapi_extra=_body(("title",), {"title": "Groceries", "body": "milk, eggs"}),
    )
    async def create_note(request: Request, response: Response) -> Any:
        data = await payload(request)
        error = problem(data, partial=False)
        if error:
            return JSONResponse({"error": error}, status_code=400)
        note = {
            "id": str(uuid.uuid4()),
            "title": data["title"],
            "body": data.get("body") or "",
            "archived": False,
            "created_at": _now(),
            "updated_at": None,
        }
        notes[note["id"]] = note
        response.headers["Location"] = f"/notes/{note['id']}"
        return note

    @app.get("/notes", response_model=list[Note])
    def list_notes() -> Any:
        return [n for n in notes.values() if "list-archived" in drifts or not n["archived"]]

    @app.get("/notes/{note_id}", response_model=Note)
    def get_note(note_id: str) -> Any:
        found = lookup(note_id)
        if "archive-hides" in drifts and isinstance(found, dict) and found["archived"]:
            return _missing()
        return found

    @app.patch("/notes/{note_id}", response_model=Note, openapi_extra=_body(()))
    async def patch_note(note_id: str, request: Request) -> Any:
        found = lookup(note_id)
        if not isinstance(found, dict):
            return found
        data = await payload(request)
        error = problem(data, partial=True)
        if error:
            return JSONResponse({"error": error}, status_code=400)
        for field in ("title", "body"):
            if data.get(field) is not None:
                found[field] = data[field]
            elif "patch-resets" in drifts and field == "body":
                found[field] = ""  # the port's model default overwrote what the body left out
        found["updated_at"] = _now()
        return found

    @app.post("/notes/{note_id}/archive", response_model=Note)
    def archive_note(note_id: str) -> Any:
        found = lookup(note_id)
        if isinstance(found, dict):
            found["archived"] = True
        return found

    @app.delete("/notes/{note_id}", status_code=204, response_model=None)
    def delete_note(note_id: str) -> Any:
        if notes.pop(note_id, None) is None:
            return _missing()
        deleted.add(note_id)
        if "delete-answer" in drifts:
            return JSONResponse({"deleted": note_id}, status_code=200)
        return Response(status_code=204)

    return _FlaskMethods(app)


def create_drifting_app() -> Any:
    return create_app(DRIFTS)


class _FlaskMethods:
    """HEAD and OPTIONS as Flask answers them on every rule: HEAD is GET without a body,
    OPTIONS is 200 with ``Allow``. Everything else (``openapi()`` included) is the app's."""

    def __init__(self, app: FastAPI) -> None:
        self.app = app

    def __getattr__(self, name: str) -> Any:
        return getattr(self.app, name)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        allowed = self._allowed(scope["path"])
        if not allowed:
            await self.app(scope, receive, send)
            return
        if scope["method"] == "OPTIONS":
            methods = ", ".join(sorted({*allowed, "HEAD", "OPTIONS"}))
            headers = [(b"allow", methods.encode()), (b"content-type", b"text/html; charset=utf-8")]
            await send({"type": "http.response.start", "status": 200, "headers": headers})
            await send({"type": "http.response.body", "body": b""})
            return

        async def without_body(message: MutableMapping[str, Any]) -> None:
            if message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, without_body)

    def _allowed(self, path: str) -> set[str]:
        from starlette.routing import Match

        methods: set[str] = set()
        for route in self.app.routes:
            match, _ = route.matches({"type": "http", "path": path, "method": "GET"})
            if match is not Match.NONE:
                methods |= set(getattr(route, "methods", ()) or ())
        return methods
