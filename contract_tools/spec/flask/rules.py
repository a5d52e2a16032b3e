"""Which rules and methods a draft documents, and each rule's path template and path parameters.

Only public Werkzeug/Flask API is used: each rule's text is re-parsed here and its converters
are built through ``url_map.converters`` exactly as ``Rule.get_converter`` does, so private
attributes (``rule._trace``, ``rule._converters``) that move between releases are never read.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from flask import Flask
from flask.views import MethodView
from werkzeug.routing import Map, Rule

from contract_tools.errors import AppLoadError
from contract_tools.spec.converters import ConverterSpec, Schema, converter_schema

if TYPE_CHECKING:
    from contract_tools.spec.flask.document import FlaskSpecOptions

# A variable part of a rule: <name>, <conv:name>, <conv(args):name>. Same grammar as Werkzeug's.
VARIABLE = re.compile(
    r"<(?:(?P<converter>[a-zA-Z_][a-zA-Z0-9_]*)(?:\((?P<arguments>.*?)\))?:)?"
    r"(?P<variable>[a-zA-Z_][a-zA-Z0-9_]*)\s*>"
)
ORDER = ("GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE")
HTTP_METHODS = frozenset(ORDER)


@dataclass
class RuleMethod:
    """One method of one rule, at the path template it will be documented under."""

    rule: Rule
    method: str
    template: str
    parameters: list[Schema]
    shape: str
    # rule variable -> the name the path template uses (a same-shape sibling chose it)
    renamed: dict[str, str] = field(default_factory=dict)


class Rules:
    """The app's routable rules, their methods, templates and path parameter schemas."""

    def __init__(self, app: Flask, options: FlaskSpecOptions, diagnostics: list[str]) -> None:
        self.app = app
        self.url_map: Map = app.url_map
        self.options = options
        self.diagnostics = diagnostics
        self._schema_cache: dict[tuple[str, str | None], Schema] = {}

    def routable(self, rule: Rule) -> bool:
        if rule.build_only:
            return False
        return self.options.include_static or not self._static(rule)

    def _static(self, rule: Rule) -> bool:
        """The app's and every blueprint's static-files rule (``bp.static``)."""
        if rule.endpoint == "static":
            return True
        view = self.app.view_functions.get(rule.endpoint)
        return (
            rule.endpoint.rpartition(".")[2] == "static"
            and getattr(view, "__name__", None) == "send_static_file"
        )

    def methods(self, rule: Rule) -> list[str]:
        methods = set(rule.methods or ())
        automatic_options = getattr(rule, "provide_automatic_options", False)
        if "OPTIONS" in methods and automatic_options and not self.options.include_options:
            methods.discard("OPTIONS")
        # Werkzeug adds HEAD to every GET rule; a HEAD without GET was asked for explicitly.
        if "HEAD" in methods and "GET" in methods and not self.options.include_head:
            methods.discard("HEAD")
        view_class = getattr(self.app.view_functions.get(rule.endpoint), "view_class", None)
        implemented = _implemented_methods(view_class)
        if implemented is not None:
            methods = {m for m in methods if _handled(m, implemented, automatic_options)}
        return sorted(methods, key=_method_rank)

    def operations(self, rule: Rule) -> Iterable[RuleMethod]:
        template, shape, parameters = self._path(rule)
        for method in self.methods(rule):
            # Own copies: shared lists would surface as YAML anchors and couple operations.
            yield RuleMethod(rule, method, template, clone(parameters), shape)

    def _path(self, rule: Rule) -> tuple[str, str, list[Schema]]:
        """OpenAPI template, its name-free shape (``/by/{}``), and path parameters."""
        template_parts: list[str] = []
        shape_parts: list[str] = []
        parameters: list[Schema] = []
        position = 0
        text = rule.rule
        for match in VARIABLE.finditer(text):
            static = text[position : match.start()]
            template_parts.append(static)
            shape_parts.append(static)
            name = match.group("variable")
            template_parts.append("{" + name + "}")
            shape_parts.append("{}")
            spec = ConverterSpec(match.group("converter") or "default", match.group("arguments"))
            parameters.append(
                {
                    "name": name,
                    "in": "path",
                    "required": True,
                    "schema": self.schema(spec, rule),
                }
            )
            position = match.end()
        template_parts.append(text[position:])
        shape_parts.append(text[position:])
        return "".join(template_parts), "".join(shape_parts), parameters

    def schema(self, spec: ConverterSpec, rule: Rule) -> Schema:
        key = (spec.name, spec.arguments)
        cached = self._schema_cache.get(key)
        if cached is None:
            try:
                converter_class = self.url_map.converters[spec.name]
            except KeyError:
                raise AppLoadError(
                    f"rule {rule.rule!r}: converter {spec.name!r} is not registered"
                ) from None
            args, kwargs = spec.parse_arguments()
            converter = converter_class(self.url_map, *args, **kwargs)
            cached = converter_schema(converter, spec, self.diagnostics)
            self._schema_cache[key] = cached
        # Shared read-only here; _operations clones per operation before anything can edit it.
        return cached


def same_values(a: list[Schema], b: list[Schema]) -> bool:
    """Path parameters that accept the same values, whatever their names."""
    if len(a) != len(b):
        return False
    return all(x["schema"] == y["schema"] for x, y in zip(a, b, strict=True))


def rename(op: RuleMethod, owner: RuleMethod) -> None:
    for mine, theirs in zip(op.parameters, owner.parameters, strict=True):
        if mine["name"] != theirs["name"]:
            op.renamed[mine["name"]] = theirs["name"]
            mine["name"] = theirs["name"]
    op.template = owner.template


def _implemented_methods(view_class: Any) -> set[str] | None:
    """Methods a class-based view can dispatch; None for plain functions."""
    if not (isinstance(view_class, type) and issubclass(view_class, MethodView)):
        # A plain View dispatches every method in its rule through dispatch_request.
        return None
    # MethodView dispatches to the method of the same name (HEAD falls back to get); a rule
    # method without one is an AssertionError at request time, not an operation.
    return {m for m in HTTP_METHODS if callable(getattr(view_class, m.lower(), None))}


def _handled(method: str, implemented: set[str], automatic_options: bool) -> bool:
    if method in implemented:
        return True
    if method == "HEAD" and "GET" in implemented:
        return True
    return method == "OPTIONS" and automatic_options


def _method_rank(method: str) -> int:
    return ORDER.index(method) if method in ORDER else len(ORDER)


def clone(value: Any) -> Any:
    """Copy a JSON tree; several times faster than copy.deepcopy, which keeps a memo."""
    kind = type(value)
    if kind is dict:
        return {
            key: clone(item) if type(item) in _CONTAINERS else item for key, item in value.items()
        }
    if kind is list:
        return [clone(item) if type(item) in _CONTAINERS else item for item in value]
    return value


_CONTAINERS = (dict, list)
