"""Which rules and methods a draft documents, and their path templates and parameters."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Blueprint, Flask

from contract_tools.errors import AppLoadError
from contract_tools.spec.flask import (
    FlaskSpecOptions,
    build_flask_spec,
)
from contract_tools.spec.validate import validate_openapi
from tests.spec.flask.shop import make_app, operations


def test_method_view_put_without_handler_is_not_an_operation(document: dict[str, Any]) -> None:
    assert "put" not in document["paths"]["/shops/{shop_id}/books/"]


def test_partial_segments_and_prefix_converters(document: dict[str, Any]) -> None:
    params = document["paths"]["/v{major}.{minor}/status"]["get"]["parameters"]
    assert [(p["name"], p["schema"]["type"]) for p in params] == [
        ("major", "integer"),
        ("minor", "integer"),
    ]
    books = document["paths"]["/shops/{shop_id}/books/{book_id}"]["get"]["parameters"]
    assert [p["name"] for p in books] == ["shop_id", "book_id"]


def test_automatic_head_and_options_only_on_request() -> None:
    app = make_app()
    default = operations(build_flask_spec(app).document)
    assert not [op for op in default if op.startswith("HEAD ")]
    assert [op for op in default if op.startswith("OPTIONS ")] == ["OPTIONS /opts"]
    everything = operations(
        build_flask_spec(app, FlaskSpecOptions(include_head=True, include_options=True)).document
    )
    assert "HEAD /items/{item_id}" in everything
    assert "OPTIONS /items/{item_id}" in everything
    added = set(everything) - set(default)
    gets = {op.split(" ", 1)[1] for op in default if op.startswith("GET ")}
    assert {op for op in added if op.startswith("HEAD ")} == {f"HEAD {p}" for p in gets}
    # Every rule but /opts (whose OPTIONS is the user's own) gains the automatic OPTIONS.
    assert len({op for op in added if op.startswith("OPTIONS ")}) == 15
    assert len(added) == 14 + 15


def test_static_route_only_on_request(tmp_path: Any) -> None:
    (tmp_path / "static").mkdir()
    app = Flask("withstatic", static_folder=str(tmp_path / "static"))
    assert build_flask_spec(app).document["paths"] == {}
    paths = build_flask_spec(app, FlaskSpecOptions(include_static=True)).document["paths"]
    assert list(paths) == ["/static/{filename}"]
    validate_openapi(build_flask_spec(app).document, "empty app")


def test_unknown_converter_names_the_rule() -> None:
    app = Flask("conv")
    app.url_map.converters["later"] = app.url_map.converters["default"]

    @app.route("/x/<later:v>")
    def x(v: str) -> str:
        return ""

    del app.url_map.converters["later"]
    with pytest.raises(AppLoadError, match=r"rule '/x/<later:v>': converter 'later'"):
        build_flask_spec(app)


def test_blueprint_static_routes_are_left_out_like_the_apps() -> None:
    from tests.spec.apps.defects import create_app

    app = create_app()
    assert "roles.static" in app.view_functions
    assert "/roles/static/{filename}" not in build_flask_spec(app).document["paths"]
    included = build_flask_spec(app, FlaskSpecOptions(include_static=True)).document["paths"]
    assert "/roles/static/{filename}" in included


def test_a_view_named_static_in_a_blueprint_is_still_documented() -> None:
    app = Flask("named")
    bp = Blueprint("pages", __name__)

    @bp.get("/static-page")
    def static() -> str:
        return "a page"

    app.register_blueprint(bp)
    assert list(build_flask_spec(app).document["paths"]) == ["/static-page"]
