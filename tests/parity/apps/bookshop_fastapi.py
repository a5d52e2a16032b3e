"""Two FastAPI ports of bookshop_flask: a faithful one and one with a seeded drift per finding id.

The faithful port reproduces Flask's behaviour on invalid input too (404 for a non-integer id,
first value of a repeated query key, 400 for a bad body), which is what a careful port must do.
"""

from __future__ import annotations

import json
import re
import uuid
from datetime import datetime, timezone
from typing import Any

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import JSONResponse, Response

from tests.parity.apps.bookshop_flask import SEED_BOOKS

_DIGITS = re.compile(r"\d+")  # Werkzeug's int converter: \d+, Unicode digits included

DRIFTS = ("status", "body", "header", "missing", "crash")


def _book_id(raw: str) -> int:
    if not _DIGITS.fullmatch(raw):
        raise HTTPException(404)  # Werkzeug: no route matched
    return int(raw)


def create_app(drifts: tuple[str, ...] = ()) -> FastAPI:
    app = FastAPI(redirect_slashes=False)
    books: dict[int, dict[str, Any]] = {k: dict(v) for k, v in SEED_BOOKS.items()}
    notes: list[dict[str, Any]] = []

    @app.get("/health")
    def health() -> Any:
        if "crash" in drifts:
            raise RuntimeError("health check forgot its database")
        return {
            "status": "ok",
            "checked_at": datetime.now(timezone.utc).isoformat(),
            "request_id": str(uuid.uuid4()),
        }

    @app.get("/books")
    def list_books(request: Request) -> Any:
        # Flask's args.get(type=int): first value, silently the default when not an int.
        values = request.query_params.getlist("limit")
        try:
            limit = int(values[0]) if values else 10
        except ValueError:
            limit = 10
        items = list(books.values())[: max(limit, 0)]
        headers = {} if "header" in drifts else {"X-Total-Count": str(len(books))}
        return JSONResponse({"items": items, "total": len(books)}, headers=headers)

    @app.get("/books/{book_id}")
    def get_book(book_id: str) -> Any:
        key = _book_id(book_id)
        if key not in books:
            return JSONResponse({"error": "not found"}, status_code=404)
        book = dict(books[key])
        if "body" in drifts:
            book["year"] = str(book["year"])
        return book

    # Declared for the spec only: parsing stays Flask's (a pydantic model would answer 422).
    note_body = {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "properties": {"text": {"type": "string"}},
                    "required": ["text"],
                }
            }
        },
    }

    @app.post("/notes", status_code=201, openapi_extra={"requestBody": note_body})
    async def add_note(request: Request) -> Any:
        raw = await request.body()
        media = request.headers.get("content-type", "").split(";")[0].strip().lower()
        payload: Any = None
        if media == "application/json" or (
            media.startswith("application/") and media.endswith("+json")
        ):
            try:
                payload = json.loads(raw)
            except ValueError:
                payload = None
        if not isinstance(payload, dict) or not isinstance(payload.get("text"), str):
            return JSONResponse({"error": "text required"}, status_code=400)
        note = {
            "id": str(uuid.uuid4()),
            "text": payload["text"],
            "created_at": datetime.now(timezone.utc).isoformat(),
        }
        notes.append(note)
        return JSONResponse(note, status_code=200 if "status" in drifts else 201)

    if "missing" not in drifts:

        @app.delete("/books/{book_id}")
        def delete_book(book_id: str) -> Any:
            if books.pop(_book_id(book_id), None) is None:
                raise HTTPException(404)
            return Response(status_code=204)

    return app


def create_drifted_app() -> FastAPI:
    return create_app(DRIFTS)
