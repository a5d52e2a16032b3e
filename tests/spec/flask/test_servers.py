"""Subdomain and host rules become servers, never path parameters."""

from __future__ import annotations

from typing import Any

from flask import Flask

from contract_tools.spec.flask import (
    FlaskSpecOptions,
    build_flask_spec,
)
from tests.spec.flask.shop import make_app


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
