"""The shop app most flask-spec tests read: blueprints (nested, registered twice), MethodView
and View classes, defaults, redirects, same-shape rules, subdomains, a build-only rule."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask
from flask.views import MethodView, View


class Books(MethodView):
    """Books of a shop."""

    def get(self, shop_id: int, book_id: int | None = None) -> str:
        """List or fetch books.

        Several lines of detail.
        """
        return ""

    def post(self, shop_id: int) -> str:
        return ""


class Ping(View):
    """Answer pings."""

    methods = ["GET", "POST"]  # noqa: RUF012 - Flask's own API

    def dispatch_request(self) -> str:
        return "pong"


def make_app() -> Flask:
    app = Flask("shop")

    @app.get("/items/<int(signed=True):item_id>")
    def item(item_id: int) -> str:
        """Fetch one item."""
        return ""

    @app.route("/v<int:major>.<int:minor>/status")
    def status(major: int, minor: int) -> str:
        return ""

    view = Books.as_view("books")
    bp = Blueprint("shop", __name__, url_prefix="/shops/<int:shop_id>")
    bp.add_url_rule("/books/", view_func=view, methods=["GET", "POST", "PUT"])
    bp.add_url_rule("/books/<int:book_id>", view_func=view, methods=["GET"])
    inner = Blueprint("admin", __name__, url_prefix="/admin")

    @inner.delete("/cache")
    def clear_cache() -> str:
        return ""

    bp.register_blueprint(inner)
    app.register_blueprint(bp)
    app.register_blueprint(bp, name="mirror", url_prefix="/mirror/<int:shop_id>")

    @app.route("/page/", defaults={"page": 1})
    @app.route("/page/<int:page>")
    def page(page: int) -> str:
        return ""

    app.add_url_rule("/old", endpoint="old", redirect_to="/page/")
    app.add_url_rule("/ping", view_func=Ping.as_view("ping"))

    @app.route("/by/<int:ident>")
    def by_id(ident: int) -> str:
        return ""

    @app.route("/by/<name>")
    def by_name(name: str) -> str:
        return ""

    @app.route("/loose/", strict_slashes=False)
    def loose() -> str:
        return ""

    @app.route("/opts", methods=["GET", "OPTIONS"], provide_automatic_options=False)
    def opts() -> str:
        return ""

    @app.route("/tenant", subdomain="<tenant>")
    def tenant(tenant: str) -> str:
        return ""

    app.add_url_rule("/built/<int:x>", endpoint="built", build_only=True)
    return app


def operations(document: dict[str, Any]) -> dict[str, str]:
    return {
        f"{method.upper()} {path}": op["operationId"]
        for path, item in document["paths"].items()
        for method, op in item.items()
        if method != "servers"
    }
