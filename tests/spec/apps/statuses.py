"""Views whose answers the draft reads from their code (exact responses in test_statuses.py)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, Response, abort, jsonify, make_response, redirect
from werkzeug.exceptions import Conflict


class OutOfStock(Exception):
    """Raised by the views; only the app's error handler knows it is a 409."""


def not_found_unless(found: bool) -> None:
    if not found:
        abort(404)


def fail(status: int, message: str) -> None:
    abort(make_response(jsonify(error=message), status))


def create_app() -> Flask:
    app = Flask(__name__)
    admin = Blueprint("admin", __name__, url_prefix="/admin")

    @app.errorhandler(404)
    def missing(error: Exception) -> Any:
        return jsonify(error="not found"), 404

    @app.errorhandler(OutOfStock)
    def out_of_stock(error: Exception) -> Any:
        return jsonify(error="out of stock"), 409

    @app.post("/created")
    def created() -> Any:
        return jsonify(id=1), 201, {"Location": "/created/1"}

    @app.delete("/gone/<int:item_id>")
    def gone(item_id: int) -> Any:
        not_found_unless(item_id < 10)
        return "", 204

    @app.get("/made")
    def made() -> Any:
        response = make_response(jsonify(ok=True), 202)
        response.headers["Location"] = "/queue/1"
        return response

    @app.get("/plain")
    def plain() -> Any:
        return Response("pong", mimetype="text/plain")

    @app.get("/moved")
    def moved() -> Any:
        return redirect("/plain", code=301)

    @app.post("/conflict")
    def conflict() -> Any:
        raise Conflict()

    @app.post("/helper-status")
    def helper_status() -> Any:
        fail(422, "unprocessable")
        return jsonify(ok=True)

    @app.post("/stock")
    def stock() -> Any:
        raise OutOfStock()

    @admin.get("/page")
    def page() -> Any:
        abort(403)

    app.register_blueprint(admin)
    return app
