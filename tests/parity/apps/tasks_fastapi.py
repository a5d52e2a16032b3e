"""The FastAPI port of tasks_flask. Faithful (first of repeated keys, Werkzeug's 404 for a
non-integer id) except for one drift: the title search became case-sensitive."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from tests.parity.apps.tasks_flask import MIN_SEARCH, SEED_TASKS


def create_app() -> FastAPI:
    app = FastAPI(redirect_slashes=False)
    tasks = [dict(t) for t in SEED_TASKS]

    @app.get("/tasks")
    def list_tasks(request: Request) -> Any:
        q = request.query_params.get("q", "")
        found = tasks
        if len(q) >= MIN_SEARCH:
            found = [t for t in tasks if q in str(t["title"])]  # the drift: case-sensitive
        return {"items": found, "count": len(found)}

    @app.get("/tasks/{task_id}")
    def get_task(task_id: str) -> Any:
        task = next((t for t in tasks if str(t["id"]) == task_id), None)
        if task is None or not task_id.isdigit():
            return JSONResponse({"error": "not found"}, status_code=404)
        return task

    return app
