"""Views that read and check request bodies, one idiom each (exact drafts in test_bodies.py).

Every view answers 400 for a body its checks refuse and 200 (or 201) otherwise, so the
property test can hold the draft to its word: a body the draft accepts, the view accepts.
"""

from __future__ import annotations

import re
from typing import Any

import jsonschema
from flask import Flask, abort, jsonify, request


def require_object() -> dict[str, Any]:
    """The careful idiom: silent parsing plus a manual 400 is a required body."""
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        abort(400)
    return data


def is_count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def create_app() -> Flask:
    app = Flask(__name__)

    @app.post("/subscript")
    def subscript() -> Any:
        data = request.get_json()
        return jsonify(name=data["name"], tags=data["meta"]["tags"]), 201

    @app.post("/optional")
    def optional() -> Any:
        data = request.get_json(silent=True) or {}
        limit = data.get("limit", 10)
        if not isinstance(limit, int) or limit < 1 or limit > 100:
            return jsonify(error="limit"), 400
        return jsonify(limit=limit)

    @app.post("/checked")
    def checked() -> Any:
        data = require_object()
        if "title" not in data or not isinstance(data["title"], str):
            abort(400)
        if not 1 <= len(data["title"]) <= 80:
            abort(400)
        if not is_count(data.get("copies")):
            abort(400)
        if data.get("format") not in ("hardback", "paperback"):
            abort(400)
        code = data.get("code")
        if code is not None and (not isinstance(code, str) or not re.fullmatch(r"[A-Z]{3}", code)):
            abort(400)
        return jsonify(ok=True), 201

    @app.post("/rest-of-block")
    def rest_of_block() -> Any:
        data = request.get_json(silent=True)
        if isinstance(data, dict) and isinstance(data.get("age"), int) and data["age"] >= 0:
            return jsonify(age=data["age"])
        return jsonify(error="age"), 400

    @app.post("/converted")
    def converted() -> Any:
        data = require_object()
        try:
            quantity = int(data["quantity"])
        except (KeyError, TypeError, ValueError):
            return jsonify(error="quantity"), 400
        if quantity <= 0:
            abort(400)
        return jsonify(quantity=quantity)

    @app.post("/items")
    def items() -> Any:
        data = require_object()
        if not isinstance(data.get("lines"), list):
            abort(400)
        for line in data["lines"]:
            if not isinstance(line["sku"], str):
                abort(400)
        return jsonify(count=len(data["lines"]))

    @app.post("/form")
    def form() -> Any:
        name = request.form["name"]
        age = request.form.get("age", 0, type=int)
        return jsonify(name=name, age=age)

    @app.post("/upload")
    def upload() -> Any:
        upload = request.files["file"]
        return jsonify(name=upload.filename, note=request.form.get("note", ""))

    @app.post("/raw")
    def raw() -> Any:
        return jsonify(size=len(request.data))

    @app.post("/handed-over")
    def handed_over() -> Any:
        data = request.get_json()
        # A validator the draft cannot read (an installed library): it must not guess.
        jsonschema.validate(data, {"type": "object", "required": ["sku"]})
        return jsonify(ok=True)

    @app.post("/echo")
    def echo() -> Any:
        return jsonify(request.get_json())

    return app
