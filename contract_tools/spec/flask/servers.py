"""Subdomain and host rules as path-item ``servers`` (never path parameters)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from flask import Flask
from werkzeug.routing import Rule

from contract_tools.spec.converters import EXTENSION, ConverterSpec, Schema
from contract_tools.spec.flask.rules import VARIABLE, Rules, clone

if TYPE_CHECKING:
    from contract_tools.spec.flask.document import FlaskSpecOptions


class Servers:
    """The server (and its variables) each rule answers on, when it is not the app's own."""

    def __init__(self, app: Flask, options: FlaskSpecOptions, rules: Rules) -> None:
        self.app = app
        self.options = options
        self.rules = rules

    def servers(self, rule: Rule) -> list[dict[str, Any]] | None:
        host_template = rule.host if self.rules.url_map.host_matching else None
        if host_template is None and rule.subdomain:
            host_template = f"{rule.subdomain}.{{server_name}}"
        if not host_template:
            return None
        variables: dict[str, Any] = {}
        url = "http://" + VARIABLE.sub(lambda m: "{" + m.group("variable") + "}", host_template)
        for match in VARIABLE.finditer(host_template):
            spec = ConverterSpec(match.group("converter") or "default", match.group("arguments"))
            schema = clone(self.rules.schema(spec, rule))
            # Server variables take no schema; the exact one rides in the extension.
            extension = schema.pop(EXTENSION)
            variable: dict[str, Any] = {"default": _example_value(schema)}
            if "enum" in schema:
                variable["enum"] = schema["enum"]
            variable[EXTENSION] = {**extension, "schema": schema}
            variables[match.group("variable")] = variable
        if "{server_name}" in url:
            variables["server_name"] = {"default": self.server_name()}
        return [{"url": url, "variables": variables}]

    def server_name(self) -> str:
        return str(self.options.server_name or self.app.config.get("SERVER_NAME") or "localhost")


def _example_value(schema: Schema) -> str:
    if schema.get("enum"):
        return str(schema["enum"][0])
    if schema.get("type") == "integer":
        return str(schema.get("minimum", 0))
    return "example"
