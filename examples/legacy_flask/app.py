"""The legacy bookshop service: a Flask app factory and the app-wide routes and error handlers."""

from __future__ import annotations

from flask import Flask, Response, jsonify
from werkzeug.exceptions import HTTPException

from . import authors, books, orders, shops
from .converters import IsbnConverter
from .db import connect
from .helpers import DB_KEY, now_iso

SERVICE_VERSION = "1.4.2"


def create_app() -> Flask:
    """Build a bookshop app with its own freshly seeded in-memory database."""
    # No static folder: the service serves JSON only, and Flask would otherwise add /static/.
    app = Flask(__name__, static_folder=None)
    # Converters must be known before any rule that uses them is registered.
    app.url_map.converters["isbn"] = IsbnConverter
    app.extensions[DB_KEY] = connect()

    for blueprint in (books.bp, authors.bp, orders.bp, shops.bp):
        app.register_blueprint(blueprint)

    @app.errorhandler(404)
    def not_found(error: HTTPException) -> tuple[Response, int]:
        # Also answers routing misses, so clients get JSON for every 404.
        return jsonify(error="not found"), 404

    @app.errorhandler(400)
    def bad_request(error: HTTPException) -> tuple[Response, int]:
        return jsonify(error=error.description), 400

    @app.get("/")
    def index() -> Response:
        """Service name, version and the server's clock."""
        return jsonify(service="bookshop", version=SERVICE_VERSION, served_at=now_iso())

    @app.get("/health")
    def health() -> Response:
        """Liveness probe for the load balancer: plain text `ok`."""
        return Response("ok", mimetype="text/plain")

    # The old name of the catalogue; bookmarks and partner links still use it.
    app.add_url_rule("/catalogue", endpoint="catalogue", redirect_to="/books/")
    return app
