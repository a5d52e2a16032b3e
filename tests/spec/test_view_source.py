"""Query parameters and headers read from a view's source."""

from __future__ import annotations

from typing import Any

from flask import Flask, request
from flask.views import MethodView
from werkzeug.local import LocalProxy

from contract_tools.spec.flask import build_flask_spec
from contract_tools.spec.view_source import ReadParameter, read_parameters


def paging() -> tuple[int, int]:
    limit = request.args.get("limit", type=int, default=10)
    offset = request.args.get("offset", 0, int)
    return limit, offset


def every_form() -> str:
    request.args.get("plain")
    request.args["needed"]
    request.args.getlist("tag", type=int)
    request.args.get("ratio", type=float, default=0.5)
    request.args.get("flag", type=lambda v: v == "1")
    request.headers.get("X-Token")
    request.headers["X-Tenant"]
    request.args.get("computed", default=len("abc"))
    paging()
    return ""


def test_every_form_of_read() -> None:
    assert read_parameters(every_form) == [
        ReadParameter("query", "plain", False, {"type": "string"}),
        ReadParameter("query", "needed", True, {"type": "string"}),
        ReadParameter("query", "tag", False, {"type": "array", "items": {"type": "integer"}}),
        ReadParameter("query", "ratio", False, {"type": "number", "default": 0.5}, True),
        ReadParameter("query", "flag", False, {"type": "string"}, True),
        ReadParameter("header", "X-Token", False, {"type": "string"}),
        ReadParameter("header", "X-Tenant", True, {"type": "string"}),
        ReadParameter("query", "computed", False, {"type": "string"}),
        ReadParameter("query", "limit", False, {"type": "integer", "default": 10}, True),
        ReadParameter("query", "offset", False, {"type": "integer", "default": 0}, True),
    ]


def test_openapi_form_says_it_is_inferred_and_how_invalid_values_behave() -> None:
    (limit, _) = read_parameters(paging)
    assert limit.to_openapi() == {
        "name": "limit",
        "in": "query",
        "required": False,
        "schema": {"type": "integer", "default": 10},
        "x-contract-tools-source": "view",
        "x-contract-tools-fallback": "a value the type rejects falls back to the default (no 400)",
    }


class Items(MethodView):
    def get(self, item_id: int | None = None) -> str:
        if item_id is None:
            request.args.get("page", type=int, default=1)
        else:
            request.args.get("fields")
        if item_id is not None:
            request.headers.get("If-None-Match")
        request.args.get("lang", default="en")
        return ""


def test_method_view_branches_are_pruned_per_rule() -> None:
    listed = [p.name for p in read_parameters(Items.get, frozenset())]
    single = [p.name for p in read_parameters(Items.get, frozenset({"item_id"}))]
    assert listed == ["page", "lang"]
    assert single == ["fields", "If-None-Match", "lang"]


def test_functions_without_source_and_installed_code_are_skipped() -> None:
    assert read_parameters(len) == []
    assert read_parameters(eval("lambda: 1")) == []  # source is not in a file

    def calls_installed() -> Any:
        import json

        return json.dumps({})

    assert read_parameters(calls_installed) == []


def test_extractor_places_inferred_parameters_after_path_parameters() -> None:
    app = Flask("inferred")
    view = Items.as_view("items")
    app.add_url_rule("/items/", view_func=view)
    app.add_url_rule("/items/<int:item_id>", view_func=view)
    document = build_flask_spec(app).document
    names = {
        path: [(p["in"], p["name"]) for p in item["get"].get("parameters", [])]
        for path, item in document["paths"].items()
    }
    assert names == {
        "/items/": [("query", "page"), ("query", "lang")],
        "/items/{item_id}": [
            ("path", "item_id"),
            ("query", "fields"),
            ("header", "If-None-Match"),
            ("query", "lang"),
        ],
    }
    assert document["x-contract-tools-draft"] == {
        "generator": "contract-tools flask-spec",
        "unknown": ["requestBody"],
        "inferred": ["query", "header", "requestBody", "responses"],
    }


def test_a_read_guarded_by_a_membership_test_is_optional() -> None:
    """pgAdmin 4: ``'connect' in request.args and request.args['connect'] == '1'``."""

    def connect() -> str:
        if "connect" in request.args and request.args["connect"] == "1":
            return "yes"
        if "verbose" in request.args:
            request.args["verbose"]
        return request.args["mode"] if "mode" in request.args else "plain"  # noqa: SIM401

    def strict() -> str:
        return request.args["connect"]

    assert read_parameters(connect) == [
        ReadParameter("query", "connect", False, {"type": "string"}),
        ReadParameter("query", "verbose", False, {"type": "string"}),
        ReadParameter("query", "mode", False, {"type": "string"}),
    ]
    assert read_parameters(strict) == [ReadParameter("query", "connect", True, {"type": "string"})]


def test_a_read_that_a_try_tolerates_is_optional() -> None:
    def tolerant() -> str:
        try:
            return request.args["page"]
        except KeyError:
            return "1"

    assert read_parameters(tolerant) == [ReadParameter("query", "page", False, {"type": "string"})]


def test_query_strings_read_some_other_way_are_marked() -> None:
    app = Flask("opaque")

    @app.get("/items")
    def items() -> Any:
        return dict(request.args.items())

    @app.get("/raw")
    def raw() -> Any:
        return request.query_string

    @app.get("/named")
    def named() -> Any:
        key = "x" + "y"
        return request.args.get(key)

    paths = build_flask_spec(app).document["paths"]
    assert paths["/items"]["get"]["x-contract-tools-draft"] == {
        "unknown": ["query"],
        "why": [
            "request.args .items() in "
            "tests.spec.test_view_source.test_query_strings_read_some_other_way_are_marked"
            ".<locals>.items"
        ],
    }
    assert paths["/raw"]["get"]["x-contract-tools-draft"]["unknown"] == ["query"]
    assert paths["/named"]["get"]["x-contract-tools-draft"]["why"] == [
        "request.args .get() with a computed key in "
        "tests.spec.test_view_source.test_query_strings_read_some_other_way_are_marked"
        ".<locals>.named"
    ]


def _outside_a_request() -> Any:
    raise RuntimeError("Working outside of application context.")


# Flask-Security's localize_callback is such a proxy: evaluating it outside a request raises.
PROXY = LocalProxy(_outside_a_request)


def test_objects_are_looked_up_never_evaluated() -> None:
    def view() -> Any:
        return PROXY(request.args.get("q"))

    assert read_parameters(view) == [ReadParameter("query", "q", False, {"type": "string"})]


def test_a_local_function_that_calls_itself_is_read_once() -> None:
    def view() -> Any:
        def walk(n: int) -> Any:
            if n:
                return walk(n - 1)
            return request.args.get("depth", "0")

        return walk(3)

    assert read_parameters(view) == [
        ReadParameter("query", "depth", False, {"type": "string", "default": "0"})
    ]
