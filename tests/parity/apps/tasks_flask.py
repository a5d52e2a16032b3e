"""A small legacy tasks service with a title search: the baseline of the harvesting test."""

from __future__ import annotations

from typing import Any

from flask import Flask, jsonify, request

SEED_TASKS = (
    {"id": 1, "title": "Renew passport", "done": False},
    {"id": 2, "title": "Book dentist appointment", "done": True},
    {"id": 3, "title": "Water the plants", "done": False},
    {"id": 4, "title": "Call Grandma", "done": False},
)
# Shorter searches list everything: two letters match most titles anyway.
MIN_SEARCH = 3


def create_app() -> Flask:
    app = Flask(__name__)
    tasks = [dict(t) for t in SEED_TASKS]

    @app.get("/tasks")
    def list_tasks() -> Any:
        q = request.args.get("q", "")
        found = tasks
        if len(q) >= MIN_SEARCH:
            found = [t for t in tasks if q.lower() in str(t["title"]).lower()]
        return jsonify(items=found, count=len(found))

    @app.get("/tasks/<int:task_id>")
    def get_task(task_id: int) -> Any:
        task = next((t for t in tasks if t["id"] == task_id), None)
        if task is None:
            return jsonify(error="not found"), 404
        return jsonify(task)

    return app
