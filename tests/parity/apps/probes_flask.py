"""A small legacy Flask service whose answers depend on what the framework probes vary: the
method, the path's slashes, repeated query keys and headers, Accept, cookies, Origin and bodies.
The baseline of the probe tests; ``probes_fastapi`` is its port."""

from __future__ import annotations

from typing import Any

from flask import Flask, jsonify, request

SEED_ITEMS = {1: {"id": 1, "name": "alpha"}, 2: {"id": 2, "name": "beta"}}


def visible_cookies(cookies: Any) -> dict[str, str]:
    """Analytics cookies (a leading underscore) are hidden, as httpbin hides its own."""
    return {k: v for k, v in cookies.items() if not k.startswith("_")}


def create_app() -> Flask:
    app = Flask(__name__)
    items: dict[int, dict[str, Any]] = {k: dict(v) for k, v in SEED_ITEMS.items()}

    @app.get("/items")
    def list_items() -> Any:
        limit = request.args.get("limit", default=10, type=int)
        return jsonify(items=list(items.values())[: max(limit, 0)])

    @app.post("/items")
    def create_item() -> Any:
        payload = request.get_json(silent=True)
        if not isinstance(payload, dict) or not isinstance(payload.get("name"), str):
            return jsonify(error="name required"), 400
        item = {"id": max(items) + 1, "name": payload["name"]}
        items[item["id"]] = item
        return jsonify(item), 201

    @app.get("/items/<int:item_id>")
    def get_item(item_id: int) -> Any:
        if item_id not in items:
            return jsonify(error="not found"), 404
        return jsonify(items[item_id])

    @app.route("/echo", methods=["GET", "POST"])
    def echo() -> Any:
        return jsonify(
            tag=request.headers.get("X-Tag"),
            args=request.args.to_dict(),
            cookies=visible_cookies(request.cookies),
            json=request.get_json(silent=True),
            form=request.form.to_dict(),
            files=sorted(request.files),
        )

    @app.get("/report")
    def report() -> Any:
        if "text/html" in request.headers.get("Accept", ""):
            return "<h1>Report</h1>"
        return jsonify(items=len(items))

    @app.errorhandler(404)
    def not_found(error: Any) -> Any:
        return jsonify(error="not found"), 404

    return app
