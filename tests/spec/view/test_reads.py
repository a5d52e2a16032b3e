"""Query parameters and headers read from a view's source, and reads the draft cannot name."""

from __future__ import annotations

from typing import Any

from flask import Flask, request
from werkzeug.local import LocalProxy

from contract_tools.spec.flask import build_flask_spec
from contract_tools.spec.view.reading import ReadParameter
from contract_tools.spec.view.walk import read_parameters


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
            "tests.spec.view.test_reads.test_query_strings_read_some_other_way_are_marked"
            ".<locals>.items"
        ],
    }
    assert paths["/raw"]["get"]["x-contract-tools-draft"]["unknown"] == ["query"]
    assert paths["/named"]["get"]["x-contract-tools-draft"]["why"] == [
        "request.args .get() with a computed key in "
        "tests.spec.view.test_reads.test_query_strings_read_some_other_way_are_marked"
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
