"""A legacy Flask notes service with random UUID ids: the baseline of the stateful tests.

Create, read, patch, archive, list (archived notes hidden) and delete; a deleted note is 404.
Every id is a fresh ``uuid4`` and every note carries timestamps, so two instances never agree
on a created note's id or ``created_at``: a sequence comparison must map ids and cancel clocks.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timezone
from typing import Any

from flask import Flask, jsonify, request

from tests.parity.apps.notes_rules import parse_json, problem


def _now() -> str:
    return datetime.now(timezone.utc).isoformat()


def create_app() -> Flask:
    app = Flask(__name__)
    notes: dict[str, dict[str, Any]] = {}

    def payload() -> Any:
        return parse_json(request.content_type, request.get_data())

    def missing() -> Any:
        return jsonify(error="not found"), 404

    @app.post("/notes")
    def create_note() -> Any:
        data = payload()
        error = problem(data, partial=False)
        if error:
            return jsonify(error=error), 400
        note = {
            "id": str(uuid.uuid4()),
            "title": data["title"],
            "body": data.get("body") or "",
            "archived": False,
            "created_at": _now(),
            "updated_at": None,
        }
        notes[note["id"]] = note
        response = jsonify(note)
        response.status_code = 201
        response.headers["Location"] = f"/notes/{note['id']}"
        return response

    @app.get("/notes")
    def list_notes() -> Any:
        return jsonify([note for note in notes.values() if not note["archived"]])

    @app.get("/notes/<note_id>")
    def get_note(note_id: str) -> Any:
        note = notes.get(note_id)
        return jsonify(note) if note is not None else missing()

    @app.patch("/notes/<note_id>")
    def patch_note(note_id: str) -> Any:
        note = notes.get(note_id)
        if note is None:
            return missing()
        data = payload()
        error = problem(data, partial=True)
        if error:
            return jsonify(error=error), 400
        for field in ("title", "body"):
            if data.get(field) is not None:
                note[field] = data[field]
        note["updated_at"] = _now()
        return jsonify(note)

    @app.post("/notes/<note_id>/archive")
    def archive_note(note_id: str) -> Any:
        note = notes.get(note_id)
        if note is None:
            return missing()
        note["archived"] = True
        return jsonify(note)

    @app.delete("/notes/<note_id>")
    def delete_note(note_id: str) -> Any:
        if notes.pop(note_id, None) is None:
            return missing()
        return "", 204

    return app
