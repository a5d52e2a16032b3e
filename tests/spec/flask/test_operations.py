"""One operation: ids, docs, tags, the rule extension, redirects, bodies and statuses."""

from __future__ import annotations

from typing import Any

from contract_tools.spec.flask import (
    RULE_EXTENSION,
    build_flask_spec,
)

BOOK_BODY = {
    "type": "object",
    "properties": {
        "title": {"type": "string", "minLength": 1, "maxLength": 200},
        "author_id": {"type": "integer"},
        "isbn": {"type": "string", "pattern": "^97[89]\\d{10}$(?!\\n)"},
        "price": {"type": "number", "minimum": 0, "maximum": 10000},
        "year": {"type": "integer", "minimum": 1450, "maximum": 2100},
    },
    "required": ["title", "author_id", "isbn", "price", "year"],
}


def test_docstrings_per_method_and_only_the_users_own(document: dict[str, Any]) -> None:
    books = document["paths"]["/shops/{shop_id}/books/"]
    assert books["get"]["summary"] == "List or fetch books."
    assert books["get"]["description"] == "Several lines of detail."
    # post has no docstring: the class's own docstring, never Flask's MethodView text.
    assert books["post"]["summary"] == "Books of a shop."
    assert document["paths"]["/ping"]["get"]["summary"] == "Answer pings."
    assert "summary" not in document["paths"]["/v{major}.{minor}/status"]["get"]


def test_tags_from_blueprints_including_nested(document: dict[str, Any]) -> None:
    assert document["tags"] == [
        {"name": "mirror"},
        {"name": "mirror.admin"},
        {"name": "shop"},
        {"name": "shop.admin"},
    ]
    cache = document["paths"]["/shops/{shop_id}/admin/cache"]["delete"]
    assert cache["tags"] == ["shop.admin"]


def test_redirect_rules_document_their_308(document: dict[str, Any]) -> None:
    old = document["paths"]["/old"]["get"]
    assert old["responses"] == {
        "308": {
            "description": "Permanent redirect to /page/",
            "headers": {"Location": {"schema": {"type": "string"}, "required": True}},
        }
    }
    page = document["paths"]["/page/{page}"]["get"]["responses"]
    assert list(page) == ["200", "308", "default"]
    assert page["308"]["description"] == (
        "Permanent redirect to /page/ when the path values equal its defaults {'page': 1}"
    )
    assert document["paths"]["/page/"]["get"][RULE_EXTENSION]["defaults"] == {"page": 1}


def test_strict_slashes_and_rule_extension(document: dict[str, Any]) -> None:
    assert document["paths"]["/loose/"]["get"][RULE_EXTENSION] == {
        "rule": "/loose/",
        "endpoint": "loose",
        "strict_slashes": False,
    }


def test_bundled_legacy_example_bodies_and_statuses() -> None:
    from examples.legacy_flask import create_app

    document = build_flask_spec(create_app()).document
    paths = document["paths"]

    def body(method: str, path: str) -> Any:
        return paths[path][method]["requestBody"]

    assert (
        body("post", "/books/")
        == body("put", "/books/{book_id}")
        == {
            "required": True,
            "content": {"application/json": {"schema": BOOK_BODY}},
            "x-contract-tools-source": "view",
        }
    )
    assert body("post", "/authors/")["content"]["application/json"]["schema"] == {
        "type": "object",
        "properties": {
            "name": {"type": "string", "minLength": 1, "maxLength": 120},
            "country": {"type": "string", "pattern": "^[A-Za-z]{2}$(?!\\n)"},
        },
        "required": ["name", "country"],
    }
    statuses = {
        f"{method.upper()} {path}": list(op["responses"])
        for path, item in paths.items()
        for method, op in item.items()
    }
    assert statuses == {
        "GET /": ["200", "default"],
        "GET /authors/": ["200", "default"],
        "POST /authors/": ["201", "400", "default"],
        "GET /authors/country/{code}": ["200", "default"],
        "GET /authors/{author_id}": ["200", "404", "default"],
        "GET /books/": ["200", "default"],
        "POST /books/": ["201", "400", "404", "409", "default"],
        "GET /books/cheaper-than/{price}": ["200", "default"],
        "GET /books/isbn/{isbn}": ["200", "404", "default"],
        "GET /books/page/": ["200", "default"],
        "GET /books/page/{page}": ["200", "308", "default"],
        "GET /books/search": ["200", "default"],
        "GET /books/sorted/{field}": ["200", "default"],
        "GET /books/{book_id}": ["200", "404", "default"],
        "PUT /books/{book_id}": ["200", "400", "404", "409", "default"],
        "DELETE /books/{book_id}": ["204", "404", "default"],
        "GET /books/{book_id}/attachments/{name}": ["200", "404", "default"],
        "POST /books/{book_id}/stock/{delta}": ["200", "400", "404", "409", "default"],
        "GET /catalogue": ["308"],
        "GET /health": ["200", "default"],
        "GET /orders/": ["200", "default"],
        "GET /orders/{order_id}": ["200", "404", "default"],
        "GET /shops/{shop_id}/": ["200", "404", "default"],
        "GET /shops/{shop_id}/inventory": ["200", "404", "default"],
    }
    # Every 404 is the app's JSON handler, routing misses included; 409 comes from a helper.
    assert paths["/books/{book_id}"]["delete"]["responses"]["404"] == {
        "description": "Not Found",
        "content": {"application/json": {}},
        "x-contract-tools-source": "view",
    }
    assert paths["/books/"]["post"]["x-contract-tools-draft"] == {
        "unexpressed": [
            "examples.legacy_flask.books.check_references:68: 400 when not fits(author_id) or "
            "conn.execute('SELECT 1 FROM authors WHERE id = ?', (author_id,)).fetchone(..."
        ]
    }
    assert paths["/health"]["get"]["responses"]["200"]["content"] == {"text/plain": {}}
