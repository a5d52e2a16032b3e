"""Validate an OpenAPI document and say what is wrong in one line (shared by every extractor).

Two passes, the same guarantees openapi-spec-validator gives, at a fraction of its cost:

1. The whole document against the OpenAPI JSON Schema (3.0 or 3.1), in one jsonschema-rs call.
   For 3.1 the schema's ``$dynamicAnchor: meta`` is pointed at the OAS 3.1 dialect, so every
   Schema Object, however deeply nested, is also checked as a JSON Schema in that same pass.
2. The rules a JSON Schema cannot state: path template variables and path parameters agree,
   parameters are unique per location, operationIds and tag names are unique, ``$ref`` resolves,
   ``default`` values satisfy their schemas, ``allOf`` ``required`` names a defined property.

openapi-spec-validator keeps its visited schemas in lists (a linear search per schema): 38 s
for the 20,000 operations of benchmarks/bench_flask_spec.py; this takes well under a second.
The meta-schemas are read from the packages that publish them (openapi-spec-validator,
openapi-schema-validator); nothing is fetched over the network.
"""

from __future__ import annotations

import functools
import importlib.util
import json
import string
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from contract_tools.errors import SpecError

_OPERATIONS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_WRAPPER_ID = "urn:contract-tools:oas-3.1-with-dialect"


def validate_openapi(doc: Any, where: str) -> None:
    """Raise SpecError naming ``where`` and the first problem's JSON path."""
    if not isinstance(doc, dict):
        raise SpecError(f"{where}: an OpenAPI document must be a mapping, not {type(doc).__name__}")
    version = doc.get("openapi", doc.get("swagger"))
    family = _family(version)
    if family is None:
        raise SpecError(
            f"{where}: unsupported or missing OpenAPI version {version!r}"
            " (expected 'openapi: 3.0.x' or '3.1.x')"
        )
    validator = _document_validator(family)
    for error in validator.iter_errors(doc):
        raise SpecError(
            f"{where}: invalid OpenAPI at {_json_path(error.instance_path)}: "
            f"{_first_line(error.message)}"
        ) from None
    problem = next(_Semantics(doc, family).problems(), None)
    if problem is not None:
        raise SpecError(f"{where}: {problem}")


def _family(version: Any) -> str | None:
    if isinstance(version, str):
        for family in ("3.0", "3.1"):
            if version == family or version.startswith(family + "."):
                return family
    return None


@functools.lru_cache(maxsize=2)
def _document_validator(family: str) -> Any:
    """A compiled validator for documents of one OpenAPI family (built once per process)."""
    import jsonschema_rs

    if family == "3.0":
        schema = _load("openapi_spec_validator", "resources/schemas/v3.0/schema.json")
        return jsonschema_rs.validator_for(schema)
    document = _load("openapi_spec_validator", "resources/schemas/v3.1/schema.json")
    dialect = _load("openapi_schema_validator", "schemas/oas3.1/metaschema.json")
    vocabulary = _load("openapi_schema_validator", "schemas/oas3.1/vocabularies/base")
    # The published "schema-base" arrangement: the outermost resource names the dialect as the
    # target of the document schema's $dynamicRef, so Schema Objects are validated as schemas.
    wrapper = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": _WRAPPER_ID,
        "$ref": document["$id"],
        "$defs": {"schema": {"$dynamicAnchor": "meta", "$ref": dialect["$id"]}},
    }
    registry = jsonschema_rs.Registry([(r["$id"], r) for r in (document, dialect, vocabulary)])
    return jsonschema_rs.validator_for(wrapper, registry=registry)


def _load(package: str, path: str) -> dict[str, Any]:
    """A JSON file shipped in ``package``, found without importing it (that costs 0.5 s)."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise SpecError(f"{package} is not installed: cannot validate OpenAPI documents")
    root = Path(next(iter(spec.submodule_search_locations)))
    loaded: dict[str, Any] = json.loads((root / path).read_text("utf-8"))
    return loaded


class _Semantics:
    """The checks beyond the document schema, each yielding a one-line problem.

    One walk that knows where OpenAPI puts things: parameters, bodies, responses and their
    schemas are visited once each, checking ``$ref``, defaults and ``allOf`` on the way.
    """

    def __init__(self, doc: dict[str, Any], family: str) -> None:
        self.doc = doc
        self.family = family
        self._judged: dict[str, str | None] = {}

    def problems(self) -> Iterator[str]:
        yield from self._tags()
        operation_ids: set[str] = set()
        for url, raw in (self.doc.get("paths") or {}).items():
            yield from self._ref(raw)
            item = self._deref(raw)
            if type(item) is not dict:
                continue
            shared = list(item.get("parameters") or [])
            yield from self._parameters(shared, f"$.paths[{url!r}].parameters")
            for method in _OPERATIONS:
                operation = item.get(method)
                if type(operation) is dict:
                    where = f"$.paths[{url!r}].{method}"
                    yield from self._operation(url, method, operation, shared, operation_ids)
                    yield from self._operation_parts(operation, where)
        components = self.doc.get("components") or {}
        yield from self._anywhere(components)
        for name, schema in (components.get("schemas") or {}).items():
            yield from self._schema(schema, f"$.components.schemas.{name}")
        for kind in ("parameters", "headers"):
            for name, holder in (components.get(kind) or {}).items():
                if type(holder) is dict and "schema" in holder:
                    yield from self._schema(holder["schema"], f"$.components.{kind}.{name}.schema")
        yield from self._anywhere(self.doc.get("webhooks") or {})

    # -- $ref --------------------------------------------------------------------------------

    def _ref(self, node: Any) -> Iterator[str]:
        if type(node) is dict:
            ref = node.get("$ref")
            if type(ref) is str and self._resolve(ref) is _MISSING:
                yield f"unresolvable $ref {ref!r}"

    def _anywhere(self, node: Any) -> Iterator[str]:
        """Every ``$ref`` below ``node`` (components, callbacks, webhooks: small parts)."""
        stack = [node]
        while stack:
            current = stack.pop()
            if type(current) is dict:
                yield from self._ref(current)
                stack.extend(v for v in current.values() if type(v) in _CONTAINERS)
            elif type(current) is list:
                stack.extend(v for v in current if type(v) in _CONTAINERS)

    def _resolve(self, ref: str) -> Any:
        if not ref.startswith("#"):
            return _MISSING  # external documents are never fetched
        node: Any = self.doc
        for raw in ref[1:].split("/")[1:] if ref != "#" else []:
            part = raw.replace("~1", "/").replace("~0", "~")
            if type(node) is dict and part in node:
                node = node[part]
            elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
                node = node[int(part)]
            else:
                return _MISSING
        return node

    def _deref(self, node: Any) -> Any:
        seen: set[str] = set()
        while type(node) is dict and type(node.get("$ref")) is str:
            ref = node["$ref"]
            if ref in seen:
                return None
            seen.add(ref)
            node = self._resolve(ref)
        return None if node is _MISSING else node

    # -- paths and operations ----------------------------------------------------------------

    def _tags(self) -> Iterator[str]:
        seen: set[Any] = set()
        for tag in self.doc.get("tags") or []:
            name = tag.get("name") if type(tag) is dict else None
            if name in seen:
                yield f"invalid OpenAPI: Duplicate tag name '{name}'"
            seen.add(name)

    def _parameters(self, parameters: list[Any], where: str) -> Iterator[str]:
        seen: set[tuple[Any, Any]] = set()
        for index, raw in enumerate(parameters):
            yield from self._ref(raw)
            parameter = self._deref(raw)
            if type(parameter) is not dict:
                continue
            key = (parameter.get("name"), parameter.get("in"))
            if key in seen:
                yield f"invalid OpenAPI: Duplicate parameter '{key[0]}'"
            seen.add(key)
            if "schema" in parameter and raw is parameter:
                yield from self._schema(parameter["schema"], f"{where}[{index}].schema")

    def _operation(
        self,
        url: str,
        method: str,
        operation: dict[str, Any],
        shared: list[Any],
        operation_ids: set[str],
    ) -> Iterator[str]:
        operation_id = operation.get("operationId")
        if operation_id is not None:
            if operation_id in operation_ids:
                yield (
                    f"invalid OpenAPI: Operation ID '{operation_id}' for '{method}' in '{url}' "
                    "is not unique"
                )
            operation_ids.add(operation_id)
        own = list(operation.get("parameters") or [])
        declared = {
            parameter.get("name")
            for parameter in (self._deref(p) for p in [*own, *shared])
            if type(parameter) is dict and parameter.get("in") == "path"
        }
        in_url = {name for _, name, _, _ in string.Formatter().parse(url) if name}
        for name in sorted(in_url ^ declared, key=str):
            yield (
                f"invalid OpenAPI: Path parameter '{name}' for '{method}' operation in "
                f"'{url}' was not resolved"
            )

    def _operation_parts(self, operation: dict[str, Any], where: str) -> Iterator[str]:
        yield from self._parameters(list(operation.get("parameters") or []), f"{where}.parameters")
        raw_body = operation.get("requestBody")
        yield from self._ref(raw_body)
        if type(raw_body) is dict:
            yield from self._content(raw_body.get("content"), f"{where}.requestBody")
        for status, raw in (operation.get("responses") or {}).items():
            yield from self._ref(raw)
            if type(raw) is not dict:
                continue
            at = f"{where}.responses[{status!r}]"
            yield from self._content(raw.get("content"), at)
            for name, header in (raw.get("headers") or {}).items():
                yield from self._ref(header)
                if type(header) is dict and "schema" in header:
                    yield from self._schema(header["schema"], f"{at}.headers.{name}.schema")
        if operation.get("callbacks"):
            yield from self._anywhere(operation["callbacks"])

    def _content(self, content: Any, where: str) -> Iterator[str]:
        if type(content) is not dict:
            return
        for media, value in content.items():
            if type(value) is dict and "schema" in value:
                yield from self._schema(value["schema"], f"{where}.content[{media!r}].schema")

    # -- schemas -----------------------------------------------------------------------------

    def _schema(self, root: Any, path: str) -> Iterator[str]:
        stack: list[tuple[Any, str]] = [(root, path)]
        while stack:
            schema, where = stack.pop()
            if type(schema) is not dict:
                continue
            ref = schema.get("$ref")
            if ref is not None:
                yield from self._ref(schema)
            if "default" in schema and ref is None:
                problem = self._default(schema, where)
                if problem is not None:
                    yield problem
            if "allOf" in schema and isinstance(schema.get("required"), list):
                defined = self._properties(schema)
                extra = [name for name in schema["required"] if name not in defined]
                if extra:
                    yield (
                        f"invalid OpenAPI at {where}: Required list has not defined "
                        f"properties: {extra}"
                    )
            for key in _SUBSCHEMA:
                sub = schema.get(key)
                if type(sub) is dict:
                    stack.append((sub, f"{where}.{key}"))
            for key in _SUBSCHEMA_LISTS:
                subs = schema.get(key)
                if type(subs) is list:
                    stack.extend((sub, f"{where}.{key}[{i}]") for i, sub in enumerate(subs))
            for key in _SUBSCHEMA_MAPS:
                subs = schema.get(key)
                if type(subs) is dict:
                    stack.extend((sub, f"{where}.{key}.{name}") for name, sub in subs.items())

    def _properties(self, schema: Any, depth: int = 0) -> set[str]:
        schema = self._deref(schema) or {}
        if type(schema) is not dict or depth > 16:
            return set()
        found = set(schema.get("properties") or {})
        for key in ("allOf", "anyOf", "oneOf"):
            for sub in schema.get(key) or []:
                found |= self._properties(sub, depth + 1)
        for key in ("items", "not"):
            if type(schema.get(key)) is dict:
                found |= self._properties(schema[key], depth + 1)
        return found

    def _default(self, schema: dict[str, Any], where: str) -> str | None:
        value = schema["default"]
        if value is None and schema.get("nullable") is True:
            return None
        # Drafts repeat the same parameter schemas thousands of times: judge each once.
        key = json.dumps(schema, sort_keys=True, default=str)
        if key in self._judged:
            message = self._judged[key]
        else:
            plain = {k: v for k, v in schema.items() if k != "default"}
            if self.family == "3.0":
                plain = _as_json_schema_30(plain)
            validator = self._compile(plain)
            errors = list(validator.iter_errors(value)) if validator is not None else []
            message = _first_line(errors[0].message) if errors else None
            self._judged[key] = message
        return None if message is None else f"invalid OpenAPI at {where}.default: {message}"

    def _compile(self, schema: dict[str, Any]) -> Any:
        import jsonschema_rs

        try:
            if '"$ref"' in json.dumps(schema):
                registry = jsonschema_rs.Registry([("urn:contract-tools:document", self.doc)])
                return jsonschema_rs.validator_for(
                    schema, registry=registry, base_uri="urn:contract-tools:document"
                )
            return jsonschema_rs.validator_for(schema)
        except Exception:  # the schema itself was already judged by the document pass
            return None


_SUBSCHEMA = (
    "items",
    "not",
    "additionalProperties",
    "contains",
    "propertyNames",
    "if",
    "then",
    "else",
    "unevaluatedItems",
    "unevaluatedProperties",
)
_SUBSCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
_SUBSCHEMA_MAPS = ("properties", "patternProperties", "dependentSchemas", "$defs")
_MISSING: Any = object()
_CONTAINERS = (dict, list)


def _as_json_schema_30(schema: dict[str, Any]) -> dict[str, Any]:
    """An OpenAPI 3.0 schema's ``nullable`` spelled the JSON Schema way, for checking defaults."""
    out = {k: v for k, v in schema.items() if k != "nullable"}
    if schema.get("nullable") is True and isinstance(out.get("type"), str):
        out["type"] = [out["type"], "null"]
    return out


def _json_path(parts: Iterable[Any]) -> str:
    text = "$"
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        elif str(part).isidentifier():
            text += f".{part}"
        else:
            text += f"[{str(part)!r}]"
    return text


def _first_line(text: str) -> str:
    # Messages may embed whole instances over many lines; a CLI error is one line.
    line = text.strip().splitlines()[0] if text.strip() else "invalid"
    return line if len(line) <= 200 else line[:197] + "..."
