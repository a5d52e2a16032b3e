"""Is a parseable document shaped the way OpenAPI says, where the diff reads it?

``canonical`` reads paths, operations, parameters, bodies, responses, security and schemas, and
trusts their shapes. A hand-written or mutated document can break that trust anywhere (a
``paths`` that is a list, an operation that is a string, a parameter without ``in``, a schema
that is a number, a ``$ref`` to nowhere); this walk finds the first such place and names it by
its JSON pointer, so that loading fails with one line instead of the diff failing with a
traceback. It checks the shapes the diff reads, not everything the OpenAPI schema says (that is
``validate``'s job for the documents we write): a sloppy but readable document still diffs.

Iterative, each ``$ref`` target checked once in each role, so deep or self-referencing
documents cost no recursion.
"""

from __future__ import annotations

import re
from typing import Any

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
LOCATIONS = frozenset({"path", "query", "header", "cookie"})
TYPES = frozenset({"null", "boolean", "integer", "number", "string", "array", "object"})
_STATUS = re.compile(r"^(?:default|[1-5](?:\d\d|XX))$")
_SUBSCHEMA = ("items", "not", "additionalProperties", "propertyNames", "contains", "if", "then")
_SUBSCHEMA_MAPS = ("properties", "patternProperties")
_SUBSCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
_NUMBERS = (
    "minimum",
    "maximum",
    "multipleOf",
    "minLength",
    "maxLength",
    "minItems",
    "maxItems",
    "minProperties",
    "maxProperties",
)
_BOOLEANS = ("required", "deprecated", "explode", "allowEmptyValue", "allowReserved")
_SECTIONS = (
    "schemas",
    "responses",
    "parameters",
    "examples",
    "requestBodies",
    "headers",
    "securitySchemes",
    "links",
    "callbacks",
    "pathItems",
)
_MISSING: Any = object()


class Problem(Exception):
    """The first place where the document is not shaped as OpenAPI says."""

    def __init__(self, pointer: str, problem: str) -> None:
        super().__init__(f"{pointer or '/'}: {problem}")
        self.pointer = pointer
        self.problem = problem


def check_structure(doc: dict[str, Any]) -> None:
    """Raise ``Problem`` at the first shape the diff could not read."""
    _Walk(doc).run()


def pointer_part(key: Any) -> str:
    return str(key).replace("~", "~0").replace("/", "~1")


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


class _Walk:
    def __init__(self, doc: dict[str, Any]) -> None:
        self.doc = doc
        self.pending: list[tuple[str, Any, str]] = []  # (role, node, pointer)
        self.checked: set[tuple[str, str]] = set()  # (role, $ref) already followed

    def run(self) -> None:
        doc = self.doc
        self._security(doc.get("security", _MISSING), "/security")
        components = doc.get("components", _MISSING)
        if components is not _MISSING:
            self._mapping(components, "/components")
            for section in _SECTIONS:
                value = components.get(section, _MISSING)
                if value is not _MISSING:
                    self._mapping(value, f"/components/{section}")
            for name, schema in (components.get("schemas") or {}).items():
                self.pending.append(("schema", schema, f"/components/schemas/{pointer_part(name)}"))
            for name, scheme in (components.get("securitySchemes") or {}).items():
                self._object(scheme, f"/components/securitySchemes/{pointer_part(name)}")
        for template, item in doc["paths"].items():
            at = f"/paths/{pointer_part(template)}"
            if not isinstance(template, str):
                raise Problem(at, f"a path must be a string, not {_kind(template)}")
            if template.startswith("x-"):
                continue
            if not template.startswith("/"):
                raise Problem(at, f"a path must begin with '/', not {template!r}"[:200])
            self.pending.append(("path item", item, at))
        while self.pending:
            role, node, at = self.pending.pop()
            getattr(self, "_" + role.replace(" ", "_"))(node, at)

    # -- references ---------------------------------------------------------------------------

    def _follow(self, node: Any, at: str, role: str) -> Any:
        """``node``, or the target of its ``$ref`` (checked once in ``role``, where it is)."""
        if not isinstance(node, dict) or "$ref" not in node:
            return node
        ref = node["$ref"]
        if not isinstance(ref, str):
            raise Problem(f"{at}/$ref", f"a $ref must be a string, not {_kind(ref)}")
        target = self._resolve(ref)
        if target is _MISSING:
            raise Problem(at, f"unresolvable $ref {ref!r}"[:200])
        if role != "schema":
            self._chain(ref, at)
        if (role, ref) not in self.checked:
            self.checked.add((role, ref))
            self.pending.append((role, target, ref[1:]))
        return _MISSING  # checked where it lives

    def _chain(self, ref: str, at: str) -> None:
        """A parameter, response ... that is a $ref to a $ref ... that comes back: no object at
        the end of it (a schema that refers to itself is fine: a recursive schema)."""
        seen = {ref}
        node = self._resolve(ref)
        while isinstance(node, dict) and isinstance(node.get("$ref"), str):
            if node["$ref"] in seen:
                raise Problem(at, f"circular $ref {ref!r}"[:200])
            seen.add(node["$ref"])
            node = self._resolve(node["$ref"])

    def _resolve(self, ref: str) -> Any:
        if not ref.startswith("#"):
            return _MISSING  # external documents are never fetched
        node: Any = self.doc
        for raw in ref[1:].split("/")[1:] if ref != "#" else []:
            part = raw.replace("~1", "/").replace("~0", "~")
            if isinstance(node, dict) and part in node:
                node = node[part]
            elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
                node = node[int(part)]
            else:
                return _MISSING
        return node

    # -- shapes -------------------------------------------------------------------------------

    def _mapping(self, value: Any, at: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise Problem(at, f"expected a mapping, not {_kind(value)}")
        return value

    def _object(self, value: Any, at: str, role: str = "object") -> dict[str, Any] | None:
        """A mapping, or a ``$ref`` to one (then checked where it lives: None here)."""
        followed = self._follow(self._mapping(value, at), at, role)
        return None if followed is _MISSING else followed

    def _list(self, value: Any, at: str) -> list[Any]:
        if not isinstance(value, list):
            raise Problem(at, f"expected a list, not {_kind(value)}")
        return value

    def _booleans(self, node: dict[str, Any], at: str, names: tuple[str, ...]) -> None:
        for name in names:
            if name in node and not isinstance(node[name], bool):
                raise Problem(f"{at}/{name}", f"expected true or false, not {_kind(node[name])}")

    def _path_item(self, node: Any, at: str) -> None:
        item = self._object(node, at, "path item")
        if item is None:
            return
        self._parameters(item.get("parameters", _MISSING), f"{at}/parameters")
        for method in METHODS:
            if method in item:
                self._operation(item[method], f"{at}/{method}")

    def _operation(self, node: Any, at: str) -> None:
        operation = self._mapping(node, at)
        self._parameters(operation.get("parameters", _MISSING), f"{at}/parameters")
        self._booleans(operation, at, ("deprecated",))
        if "operationId" in operation and not isinstance(operation["operationId"], str):
            raise Problem(f"{at}/operationId", "expected a string")
        self._security(operation.get("security", _MISSING), f"{at}/security")
        if operation.get("requestBody") is not None:
            self._request_body(operation["requestBody"], f"{at}/requestBody")
        if "responses" in operation:
            responses = self._mapping(operation["responses"], f"{at}/responses")
            for status, response in responses.items():
                where = f"{at}/responses/{pointer_part(status)}"
                if isinstance(status, int) and not isinstance(status, bool):
                    status = str(status)  # an app's responses={404: ...}
                if not isinstance(status, str):
                    raise Problem(where, f"a status must be a string, not {_kind(status)}")
                if status.startswith("x-"):
                    continue
                if not _STATUS.match(status):
                    raise Problem(where, f"{status!r} is not a status code, a range or 'default'")
                self.pending.append(("response", response, where))

    def _parameters(self, value: Any, at: str) -> None:
        if value is _MISSING:
            return
        for index, parameter in enumerate(self._list(value, at)):
            self.pending.append(("parameter", parameter, f"{at}/{index}"))

    def _parameter(self, node: Any, at: str, header: bool = False) -> None:
        parameter = self._object(node, at, "header" if header else "parameter")
        if parameter is None:
            return
        if not header:
            for key in ("name", "in"):
                if key not in parameter:
                    raise Problem(at, f"missing {key!r}")
                if not isinstance(parameter[key], str):
                    raise Problem(f"{at}/{key}", f"expected a string, not {_kind(parameter[key])}")
            if parameter["in"] not in LOCATIONS:
                raise Problem(
                    f"{at}/in", f"{parameter['in']!r} is not path, query, header or cookie"
                )
        self._booleans(parameter, at, _BOOLEANS)
        if "style" in parameter and not isinstance(parameter["style"], str):
            raise Problem(f"{at}/style", f"expected a string, not {_kind(parameter['style'])}")
        if "schema" in parameter:
            self.pending.append(("schema", parameter["schema"], f"{at}/schema"))
        if "content" in parameter:
            self._content(parameter["content"], f"{at}/content")

    def _header(self, node: Any, at: str) -> None:
        self._parameter(node, at, header=True)

    def _request_body(self, node: Any, at: str) -> None:
        body = self._object(node, at, "request body")
        if body is None:
            return
        self._booleans(body, at, ("required",))
        if "content" in body:
            self._content(body["content"], f"{at}/content")

    def _response(self, node: Any, at: str) -> None:
        response = self._object(node, at, "response")
        if response is None:
            return
        if "content" in response:
            self._content(response["content"], f"{at}/content")
        if "headers" in response:
            headers = self._mapping(response["headers"], f"{at}/headers")
            for name, header in headers.items():
                self.pending.append(("header", header, f"{at}/headers/{pointer_part(name)}"))

    def _content(self, value: Any, at: str) -> None:
        for media, media_type in self._mapping(value, at).items():
            where = f"{at}/{pointer_part(media)}"
            if media_type is None:
                continue  # "application/json:" with nothing after it: no schema
            if "schema" in self._mapping(media_type, where):
                self.pending.append(("schema", media_type["schema"], f"{where}/schema"))

    def _security(self, value: Any, at: str) -> None:
        if value is _MISSING:
            return
        for index, alternative in enumerate(self._list(value, at)):
            where = f"{at}/{index}"
            for name, scopes in self._mapping(alternative, where).items():
                scopes_at = f"{where}/{pointer_part(name)}"
                if not all(isinstance(scope, str) for scope in self._list(scopes, scopes_at)):
                    raise Problem(scopes_at, "scopes must be strings")

    # -- schemas ------------------------------------------------------------------------------

    def _schema(self, node: Any, at: str) -> None:
        if isinstance(node, bool):
            return
        if not isinstance(node, dict):
            raise Problem(at, f"a schema must be a mapping or a boolean, not {_kind(node)}")
        if "$ref" in node:
            self._follow({"$ref": node["$ref"]}, at, "schema")
        kinds = node.get("type", _MISSING)
        if kinds is not _MISSING:
            names = [kinds] if isinstance(kinds, str) else kinds
            # Each entry checked for being text first: a list may hold anything ({} is unhashable).
            if not isinstance(names, list) or not all(
                isinstance(n, str) and n in TYPES for n in names
            ):
                raise Problem(f"{at}/type", f"{kinds!r} is not a JSON Schema type"[:200])
        for key in _NUMBERS:
            if key in node and not _number(node[key]):
                raise Problem(f"{at}/{key}", f"expected a number, not {_kind(node[key])}")
        for key in ("exclusiveMinimum", "exclusiveMaximum"):
            if key in node and not (_number(node[key]) or isinstance(node[key], bool)):
                raise Problem(f"{at}/{key}", f"expected a number, not {_kind(node[key])}")
        if "required" in node:
            required = self._list(node["required"], f"{at}/required")
            if not all(isinstance(name, str) for name in required):
                raise Problem(f"{at}/required", "expected a list of property names")
        if "enum" in node:
            self._list(node["enum"], f"{at}/enum")
        for key in ("pattern", "format"):
            if key in node and not isinstance(node[key], str):
                raise Problem(f"{at}/{key}", f"expected a string, not {_kind(node[key])}")
        for key in _SUBSCHEMA:
            if key in node and not isinstance(node[key], bool):
                self.pending.append(("schema", node[key], f"{at}/{key}"))
        for key in _SUBSCHEMA_MAPS:
            if key in node:
                for name, sub in self._mapping(node[key], f"{at}/{key}").items():
                    self.pending.append(("schema", sub, f"{at}/{key}/{pointer_part(name)}"))
        for key in _SUBSCHEMA_LISTS:
            if key in node:
                for index, sub in enumerate(self._list(node[key], f"{at}/{key}")):
                    self.pending.append(("schema", sub, f"{at}/{key}/{index}"))
        converter = node.get("x-werkzeug-converter")
        if isinstance(converter, dict):
            for key in ("min", "max"):
                value = converter.get(key)
                if value is not None and not _number(value):
                    raise Problem(f"{at}/x-werkzeug-converter/{key}", "expected a number")
