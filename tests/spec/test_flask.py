"""flask-spec: every routable rule exactly once, Werkzeug's own semantics, a valid document."""

from __future__ import annotations

from typing import Any

import httpbin
import pytest
from flask import Blueprint, Flask
from flask.views import MethodView, View

from contract_tools.errors import AppLoadError
from contract_tools.spec.flask import (
    RULE_EXTENSION,
    UNREPRESENTABLE,
    FlaskSpecOptions,
    build_flask_spec,
)
from contract_tools.spec.validate import validate_openapi


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


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    result = build_flask_spec(make_app())
    validate_openapi(result.document, "test app")
    return result.document


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


def test_method_view_put_without_handler_is_not_an_operation(document: dict[str, Any]) -> None:
    assert "put" not in document["paths"]["/shops/{shop_id}/books/"]


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


def test_partial_segments_and_prefix_converters(document: dict[str, Any]) -> None:
    params = document["paths"]["/v{major}.{minor}/status"]["get"]["parameters"]
    assert [(p["name"], p["schema"]["type"]) for p in params] == [
        ("major", "integer"),
        ("minor", "integer"),
    ]
    books = document["paths"]["/shops/{shop_id}/books/{book_id}"]["get"]["parameters"]
    assert [p["name"] for p in books] == ["shop_id", "book_id"]


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


def test_subdomain_becomes_a_server_variable_never_a_parameter(document: dict[str, Any]) -> None:
    item = document["paths"]["/tenant"]
    assert "parameters" not in item["get"]
    assert item["servers"] == [
        {
            "url": "http://{tenant}.{server_name}",
            "variables": {
                "tenant": {
                    "default": "example",
                    "x-werkzeug-converter": {
                        "name": "default",
                        "schema": {
                            "type": "string",
                            "minLength": 1,
                            "pattern": "^[^/]{1,}$(?!\\n)",
                        },
                    },
                },
                "server_name": {"default": "localhost"},
            },
        }
    ]


def test_strict_slashes_and_rule_extension(document: dict[str, Any]) -> None:
    assert document["paths"]["/loose/"]["get"][RULE_EXTENSION] == {
        "rule": "/loose/",
        "endpoint": "loose",
        "strict_slashes": False,
    }


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


def test_host_matching_rules_become_servers() -> None:
    app = Flask("hosts", host_matching=True, static_host="static.test")

    @app.route("/home", host="<user>.example.com")
    def home(user: str) -> str:
        return ""

    document = build_flask_spec(app).document
    (server,) = document["paths"]["/home"]["servers"]
    assert server["url"] == "http://{user}.example.com"
    assert list(server["variables"]) == ["user"]


def test_server_name_option() -> None:
    document = build_flask_spec(make_app(), FlaskSpecOptions(server_name="api.test")).document
    assert document["servers"] == [{"url": "http://api.test"}]


def test_not_a_flask_app() -> None:
    with pytest.raises(AppLoadError, match="int object is not a Flask app"):
        build_flask_spec(5)


def test_unknown_converter_names_the_rule() -> None:
    app = Flask("conv")
    app.url_map.converters["later"] = app.url_map.converters["default"]

    @app.route("/x/<later:v>")
    def x(v: str) -> str:
        return ""

    del app.url_map.converters["later"]
    with pytest.raises(AppLoadError, match=r"rule '/x/<later:v>': converter 'later'"):
        build_flask_spec(app)


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
