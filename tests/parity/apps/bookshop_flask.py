"""A small legacy Flask service: the baseline of the parity tests."""

from __future__ import annotations

import uuid
from datetime import datetime, timezone
from typing import Any

from flask import Flask, abort, jsonify, request

SEED_BOOKS = {
    1: {"id": 1, "title": "Dune", "year": 1965},
    2: {"id": 2, "title": "Emma", "year": 1815},
}


def create_app() -> Flask:
    app = Flask(__name__)
    books: dict[int, dict[str, Any]] = {k: dict(v) for k, v in SEED_BOOKS.items()}
    notes: list[dict[str, Any]] = []

    @app.get("/health")
    def health() -> Any:
        # A timestamp and a request id: the noise a parity run must cancel.
        return jsonify(
            status="ok",
            checked_at=datetime.now(timezone.utc).isoformat(),
            request_id=str(uuid.uuid4()),
        )

    @app.get("/books")
    def list_books() -> Any:
        limit = request.args.get("limit", default=10, type=int)
        items = list(books.values())[: max(limit, 0)]
        response = jsonify(items=items, total=len(books))
        response.headers["X-Total-Count"] = str(len(books))
        return response

    @app.get("/books/<int:book_id>")
    def get_book(book_id: int) -> Any:
        if book_id not in books:
            return jsonify(error="not found"), 404
        return jsonify(books[book_id])

    @app.post("/notes")
    def add_note() -> Any:
        payload = request.get_json(silent=True)
        if not isinstance(payload, dict) or not isinstance(payload.get("text"), str):
            return jsonify(error="text required"), 400
        note = {
            "id": str(uuid.uuid4()),
            "text": payload["text"],
            "created_at": datetime.now(timezone.utc).isoformat(),
        }
        notes.append(note)
        return jsonify(note), 201

    @app.delete("/books/<int:book_id>")
    def delete_book(book_id: int) -> Any:
        if books.pop(book_id, None) is None:
            abort(404)
        return "", 204

    return app
