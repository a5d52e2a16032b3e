"""One operation of the draft: id, tags and docs, the parameters and body its view reads, and
the responses it can give (the view's answers, hooks that run before it, the error handlers
that answer its aborts), each inferred element saying where it came from.
"""

from __future__ import annotations

import inspect
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import flask
import werkzeug.exceptions
import werkzeug.utils
import werkzeug.wrappers
from flask import Flask
from werkzeug.routing import Map, Rule

from contract_tools.spec import statuses
from contract_tools.spec.bodies import BodyDraft, request_body
from contract_tools.spec.converters import Schema
from contract_tools.spec.flask.rules import RuleMethod, clone
from contract_tools.spec.view.reading import Idioms, Outcome, ViewReading, parameters_of
from contract_tools.spec.view.walk import read_view

if TYPE_CHECKING:
    from contract_tools.spec.flask.document import FlaskSpecOptions

DRAFT = "x-contract-tools-draft"
RULE_EXTENSION = "x-werkzeug-rule"


@dataclass
class _Drafted:
    parameters: list[Schema]
    body: BodyDraft


class Operations:
    """Operations of the draft, and the component schemas their bodies refer to."""

    def __init__(self, app: Flask, options: FlaskSpecOptions, diagnostics: list[str]) -> None:
        self.app = app
        self.url_map: Map = app.url_map
        self.options = options
        self.diagnostics = diagnostics
        self.components: dict[str, Any] = {}
        self.idioms = idioms_of(app)
        self._read_cache: dict[tuple[int, frozenset[str]], ViewReading] = {}
        self._hook_cache: dict[str, list[Outcome]] = {}
        self._handler_cache: dict[tuple[str, Any, Any], list[Outcome] | None] = {}
        self._empty = ViewReading()
        self._drafted_cache: dict[int, _Drafted] = {}
        self._responses_cache: dict[tuple[int, tuple[str, ...]], dict[str, Any]] = {}

    def operation(
        self, op: RuleMethod, multi_rule: set[tuple[str, str]], used_ids: set[str]
    ) -> dict[str, Any]:
        rule = op.rule
        operation: dict[str, Any] = {}
        blueprint = rule.endpoint.rpartition(".")[0]
        if blueprint:
            operation["tags"] = [blueprint]
        summary, description = self._docs(rule, op.method)
        if summary:
            operation["summary"] = summary
        if description:
            operation["description"] = description
        operation["operationId"] = _operation_id(op, multi_rule, used_ids)
        reading = self._reading(rule, op.method)
        drafted = self._drafted(reading)
        parameters = op.parameters + clone(drafted.parameters)
        if parameters:
            operation["parameters"] = parameters
        body = drafted.body
        if body.body is not None and op.method not in ("GET", "HEAD", "DELETE", "OPTIONS"):
            operation["requestBody"] = clone(body.body)
        operation["responses"] = self._responses(rule, reading)
        marker: dict[str, Any] = {}
        if body.unknown:
            marker["unknown"] = ["requestBody"]
            marker["why"] = body.unknown
        if reading.opaque_query:
            marker["unknown"] = [*marker.get("unknown", []), "query"]
            marker["why"] = [*marker.get("why", []), *reading.opaque_query]
        if reading.table.notes:
            marker["unexpressed"] = list(dict.fromkeys(reading.table.notes))
        if marker:
            operation[DRAFT] = marker
        extension: dict[str, Any] = {"rule": rule.rule, "endpoint": rule.endpoint}
        if op.renamed:
            extension["renamed"] = dict(op.renamed)
        if not rule.strict_slashes:
            extension["strict_slashes"] = False
        if rule.defaults:
            extension["defaults"] = {k: _json_safe(v) for k, v in sorted(rule.defaults.items())}
        if rule.redirect_to is not None:
            extension["redirect_to"] = (
                rule.redirect_to if isinstance(rule.redirect_to, str) else "<callable>"
            )
        operation[RULE_EXTENSION] = extension
        return operation

    def _drafted(self, reading: ViewReading) -> _Drafted:
        """Parameters and body of one reading, built once for every rule and method it serves."""
        drafted = self._drafted_cache.get(id(reading))
        if drafted is None:
            body = request_body(reading)
            for name, schema in body.components.items():
                self.components.setdefault(name, schema)
            parameters = [p.to_openapi() for p in parameters_of(reading)]
            drafted = self._drafted_cache[id(reading)] = _Drafted(parameters, body)
        return drafted

    def _responses(self, rule: Rule, reading: ViewReading) -> dict[str, Any]:
        if rule.redirect_to is not None:
            target = rule.redirect_to if isinstance(rule.redirect_to, str) else "a computed URL"
            return {
                "308": {
                    "description": f"Permanent redirect to {target}",
                    "headers": {"Location": {"schema": {"type": "string"}, "required": True}},
                }
            }
        responses: dict[str, Any] = {}
        redirect = self._defaults_redirect(rule)
        if redirect is not None:
            responses["308"] = {
                "description": f"Permanent redirect to {redirect.rule} when the path values "
                f"equal its defaults {dict(sorted((redirect.defaults or {}).items()))}",
                "headers": {"Location": {"schema": {"type": "string"}, "required": True}},
            }
        blueprints = _blueprints(rule.endpoint)
        key = (id(reading), tuple(blueprints))
        found = self._responses_cache.get(key)
        if found is None:
            outcomes = [*reading.outcomes, *self._hook_outcomes(rule)]
            found = statuses.responses(
                statuses.resolve(
                    outcomes, lambda code, exc: self._handler_outcomes(blueprints, code, exc)
                )
            )
            self._responses_cache[key] = found
        for status, response in found.items():
            responses.setdefault(status, clone(response))
        ordered = {status: responses[status] for status in sorted(responses)}
        ordered["default"] = {"description": "Default response"}
        return ordered

    def _hook_outcomes(self, rule: Rule) -> list[Outcome]:
        """Statuses hooks that run before the view can answer (url_value_preprocessor ...)."""
        if not self.options.infer_parameters:
            return []
        found: list[Outcome] = []
        for scope in [None, *reversed(_blueprints(rule.endpoint))]:
            key = scope or ""
            if key not in self._hook_cache:
                hooks = [
                    *self.app.url_value_preprocessors.get(scope, ()),
                    *self.app.before_request_funcs.get(scope, ()),
                ]
                outcomes: list[Outcome] = []
                for hook in hooks:
                    reading = read_view(hook, frozenset(), self.idioms)
                    outcomes.extend(o for o in reading.outcomes if o.aborted)
                self._hook_cache[key] = outcomes
            found.extend(self._hook_cache[key])
        return found

    def _handler_outcomes(
        self, blueprints: list[str], code: int | None, exception: Any
    ) -> list[Outcome] | None:
        """What the app's error handler for ``code`` (or ``exception``) answers, if it has one."""
        key = (blueprints[0] if blueprints else "", code, exception)
        if key in self._handler_cache:
            return self._handler_cache[key]
        handler = None
        for scope in [*blueprints, None]:
            by_code = self.app.error_handler_spec.get(scope, {})
            if exception is not None:
                for cls in exception.__mro__:
                    handler = by_code.get(None, {}).get(cls)
                    if handler is not None:
                        break
            elif code is not None:
                handler = next(iter(by_code.get(code, {}).values()), None)
            if handler is not None:
                break
        result = None
        if handler is not None:
            reading = read_view(handler, frozenset(), self.idioms)
            result = [o for o in reading.outcomes if not o.aborted] or None
        self._handler_cache[key] = result
        return result

    def _defaults_redirect(self, rule: Rule) -> Rule | None:
        """The rule Werkzeug redirects to when this rule's values equal that rule's defaults."""
        if not self.url_map.redirect_defaults or not rule.arguments:
            return None
        for other in self.url_map.iter_rules(rule.endpoint):
            if other is not rule and other.defaults and other.provides_defaults_for(rule):
                return other
        return None

    def _handler(self, rule: Rule, method: str) -> Any:
        """The function that answers ``method`` on ``rule``: a view, or a MethodView method."""
        view = self.app.view_functions.get(rule.endpoint)
        view_class = getattr(view, "view_class", None)
        if view_class is None:
            return view
        handler = getattr(view_class, method.lower(), None)
        if handler is None and method == "HEAD":
            handler = getattr(view_class, "get", None)
        return handler or getattr(view_class, "dispatch_request", None)

    def _reading(self, rule: Rule, method: str) -> ViewReading:
        if not self.options.infer_parameters:
            return self._empty
        handler = self._handler(rule, method)
        # What the view receives as not-None: path values, and defaults other than None.
        nones = {key for key, value in (rule.defaults or {}).items() if value is None}
        arguments = frozenset(rule.arguments) - nones
        key = (id(handler), arguments)
        if key not in self._read_cache:
            reading = read_view(handler, arguments, self.idioms)
            if reading.failure is not None:
                self.diagnostics.append(f"view source not read: {reading.failure}")
            self._read_cache[key] = reading
        return self._read_cache[key]

    def _docs(self, rule: Rule, method: str) -> tuple[str | None, str | None]:
        view = self.app.view_functions.get(rule.endpoint)
        doc = None
        view_class = getattr(view, "view_class", None)
        if view_class is not None:
            handler = getattr(view_class, method.lower(), None)
            if handler is None and method == "HEAD":
                handler = getattr(view_class, "get", None)
            # Only the user's own docstrings: inspect.getdoc would inherit Flask's MethodView text.
            doc = _own_doc(handler) or _own_doc(view_class)
        elif view is not None:
            doc = inspect.getdoc(view)
        if not doc:
            return None, None
        first, _, rest = doc.partition("\n")
        return first.strip() or None, rest.strip() or None


def idioms_of(app: Flask) -> Idioms:
    """The framework objects the source reader recognises, by identity."""
    names: dict[int, str] = {}
    for obj, name in (
        (flask.abort, "abort"),
        (werkzeug.exceptions.abort, "abort"),
        (flask.jsonify, "jsonify"),
        (flask.json.jsonify, "jsonify"),
        (flask.make_response, "make_response"),
        (flask.redirect, "redirect"),
        (werkzeug.utils.redirect, "redirect"),
        (flask.Response, "response"),
        (werkzeug.wrappers.Response, "response"),
        (app.response_class, "response"),
        (flask.render_template, "render_template"),
        (flask.render_template_string, "render_template"),
        (flask.send_file, "send_file"),
        (flask.send_from_directory, "send_file"),
        (flask.request, "request"),
    ):
        names[id(obj)] = name
    handled: dict[type, Any] = {}
    for by_code in app.error_handler_spec.values():
        for cls, handler in by_code.get(None, {}).items():
            handled.setdefault(cls, handler)
    return Idioms(names, werkzeug.exceptions.HTTPException, handled)


def _blueprints(endpoint: str) -> list[str]:
    """``a.b.view`` -> ["a.b", "a"]: blueprints whose hooks and handlers apply, innermost first."""
    parts = endpoint.split(".")[:-1]
    return [".".join(parts[:i]) for i in range(len(parts), 0, -1)]


def _own_doc(obj: Any) -> str | None:
    doc = getattr(obj, "__doc__", None) if obj is not None else None
    if isinstance(obj, type):
        doc = obj.__dict__.get("__doc__")
    return inspect.cleandoc(doc) if isinstance(doc, str) and doc.strip() else None


def endpoints_with_several_rules(operations: list[RuleMethod]) -> set[tuple[str, str]]:
    seen: dict[tuple[str, str], set[str]] = {}
    for op in operations:
        seen.setdefault((op.rule.endpoint, op.method), set()).add(op.rule.rule)
    return {key for key, rules in seen.items() if len(rules) > 1}


_NON_ID = re.compile(r"[^A-Za-z0-9]+")


def _operation_id(op: RuleMethod, multi_rule: set[tuple[str, str]], used: set[str]) -> str:
    """``endpoint_method``; an endpoint on several rules adds its path, independent of order."""
    base = _NON_ID.sub("_", f"{op.rule.endpoint}_{op.method.lower()}").strip("_")
    if (op.rule.endpoint, op.method) in multi_rule:
        slug = _NON_ID.sub("_", op.template).strip("_") or "root"
        base = f"{base}__{slug}"
    candidate, counter = base, 2
    while candidate in used:
        candidate, counter = f"{base}_{counter}", counter + 1
    used.add(candidate)
    return candidate


def _json_safe(value: Any) -> Any:
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)
