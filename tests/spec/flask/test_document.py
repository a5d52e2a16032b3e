"""flask-spec: every routable rule exactly once, Werkzeug's own semantics, a valid document."""

from __future__ import annotations

from typing import Any

import httpbin
import pytest

from contract_tools.errors import AppLoadError
from contract_tools.spec.flask import (
    RULE_EXTENSION,
    UNREPRESENTABLE,
    build_flask_spec,
)
from contract_tools.spec.validate import validate_openapi
from tests.spec.flask.shop import make_app, operations


def test_every_routable_rule_once_with_deterministic_operation_ids(
    document: dict[str, Any],
) -> None:
    assert operations(document) == {
        "GET /items/{item_id}": "item_get",
        "GET /v{major}.{minor}/status": "status_get",
        "GET /shops/{shop_id}/books/": "shop_books_get__shops_shop_id_books",
        "POST /shops/{shop_id}/books/": "shop_books_post",
        "GET /shops/{shop_id}/books/{book_id}": "shop_books_get__shops_shop_id_books_book_id",
        "DELETE /shops/{shop_id}/admin/cache": "shop_admin_clear_cache_delete",
        "GET /mirror/{shop_id}/books/": "mirror_books_get__mirror_shop_id_books",
        "POST /mirror/{shop_id}/books/": "mirror_books_post",
        "GET /mirror/{shop_id}/books/{book_id}": "mirror_books_get__mirror_shop_id_books_book_id",
        "DELETE /mirror/{shop_id}/admin/cache": "mirror_admin_clear_cache_delete",
        "GET /page/": "page_get__page",
        "GET /page/{page}": "page_get__page_page",
        "GET /old": "old_get",
        "GET /ping": "ping_get",
        "POST /ping": "ping_post",
        "GET /by/{ident}": "by_id_get",
        "GET /loose/": "loose_get",
        "GET /opts": "opts_get",
        "OPTIONS /opts": "opts_options",
        "GET /tenant": "tenant_get",
    }


def test_unrepresentable_shapes_are_reported_not_emitted(document: dict[str, Any]) -> None:
    assert document[UNREPRESENTABLE] == [
        {
            "rule": "/by/<name>",
            "endpoint": "by_name",
            "method": "GET",
            "reason": "same path shape as '/by/{ident}', which OpenAPI cannot tell apart",
        }
    ]
    result = build_flask_spec(make_app())
    assert result.diagnostics == [
        "GET /by/<name> (by_name): same path shape as '/by/{ident}', "
        "which OpenAPI cannot tell apart"
    ]


def test_not_a_flask_app() -> None:
    with pytest.raises(AppLoadError, match="int object is not a Flask app"):
        build_flask_spec(5)


def test_httpbin_every_routable_rule_present_and_valid() -> None:
    app = httpbin.app
    rules = [r for r in app.url_map.iter_rules() if r.endpoint != "static"]
    result = build_flask_spec(app)
    validate_openapi(result.document, "httpbin")
    documented = {
        (op[RULE_EXTENSION]["rule"], method.upper())
        for item in result.document["paths"].values()
        for method, op in item.items()
        if method != "servers"
    }
    expected = {
        (rule.rule, method)
        for rule in rules
        for method in rule.methods or ()
        if method not in ("HEAD", "OPTIONS")
    }
    assert documented == expected
    assert len(documented) == 81
    assert result.diagnostics == []


def test_bundled_legacy_example_exact_paths_methods_and_schemas() -> None:
    from examples.legacy_flask import create_app

    result = build_flask_spec(create_app())
    validate_openapi(result.document, "legacy example")
    found = {
        f"{method.upper()} {path}": [
            (p["name"], {k: v for k, v in p["schema"].items() if k != "x-werkzeug-converter"})
            for p in op.get("parameters", [])
        ]
        for path, item in result.document["paths"].items()
        for method, op in item.items()
    }
    uint = {"type": "integer", "minimum": 0}
    limit = ("limit", {"type": "integer", "default": 10})
    offset = ("offset", {"type": "integer", "default": 0})
    assert found == {
        "GET /": [],
        "GET /health": [],
        "GET /catalogue": [],
        "GET /authors/": [limit],
        "POST /authors/": [],
        "GET /authors/country/{code}": [
            (
                "code",
                {"type": "string", "minLength": 2, "maxLength": 2, "pattern": "^[^/]{2}$(?!\\n)"},
            )
        ],
        "GET /authors/{author_id}": [("author_id", uint)],
        "GET /books/": [limit, offset],
        "POST /books/": [],
        "GET /books/cheaper-than/{price}": [
            ("price", {"type": "string", "pattern": "^\\d+\\.\\d+$(?!\\n)"})
        ],
        "GET /books/isbn/{isbn}": [
            ("isbn", {"type": "string", "pattern": "^97[89]\\d{10}$(?!\\n)"})
        ],
        "GET /books/page/": [],
        "GET /books/page/{page}": [("page", {"type": "integer", "minimum": 1, "maximum": 100})],
        "GET /books/search": [("q", {"type": "string", "default": ""}), limit],
        "GET /books/sorted/{field}": [
            ("field", {"type": "string", "enum": ["title", "price", "year"]})
        ],
        "GET /books/{book_id}": [("book_id", uint)],
        "PUT /books/{book_id}": [("book_id", uint)],
        "DELETE /books/{book_id}": [("book_id", uint)],
        "GET /books/{book_id}/attachments/{name}": [
            ("book_id", uint),
            ("name", {"type": "string", "pattern": "^[^/].*?$(?!\\n)"}),
        ],
        "POST /books/{book_id}/stock/{delta}": [("book_id", uint), ("delta", {"type": "integer"})],
        "GET /orders/": [],
        "GET /orders/{order_id}": [
            (
                "order_id",
                {
                    "type": "string",
                    "format": "uuid",
                    "pattern": "^[A-Fa-f0-9]{8}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}"
                    "-[A-Fa-f0-9]{12}$(?!\\n)",
                },
            )
        ],
        "GET /shops/{shop_id}/": [("shop_id", uint)],
        "GET /shops/{shop_id}/inventory": [("shop_id", uint), limit],
    }
    assert result.diagnostics == [
        "converter IsbnConverter: to_python may reject values its regex matches; "
        "set 'openapi_schema' on the class for an exact schema"
    ]


def test_same_values_under_another_name_share_one_template() -> None:
    """pgAdmin 4: DELETE /role/<int:id> beside GET /role/<int:rid> is one path, renamed."""
    from tests.spec.apps.defects import create_app

    result = build_flask_spec(create_app())
    validate_openapi(result.document, "defects")
    role = result.document["paths"]["/roles/{rid}"]
    assert [p["name"] for p in role["delete"]["parameters"]] == ["rid"]
    assert role["delete"][RULE_EXTENSION] == {
        "rule": "/roles/<int:id>",
        "endpoint": "roles.delete_role",
        "renamed": {"id": "rid"},
    }
    assert UNREPRESENTABLE not in result.document
    assert result.diagnostics == []
