"""The walk of a view: MethodView branches pruned per rule, code without source skipped,
local recursion read once, inferred parameters placed after path parameters."""

from __future__ import annotations

from typing import Any

from flask import Flask, request
from flask.views import MethodView

from contract_tools.spec.flask import build_flask_spec
from contract_tools.spec.view.reading import ReadParameter
from contract_tools.spec.view.walk import read_parameters


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
