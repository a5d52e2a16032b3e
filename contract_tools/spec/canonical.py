"""Canonical form of an OpenAPI 3.0/3.1 document, so that equivalent contracts compare equal.

What is normalised, and why: writers differ in form, not in contract.
- ``nullable: true`` (3.0), ``type: [X, "null"]`` (3.1) and ``anyOf: [X, {type: null}]``
  (Pydantic v2) all become ``type: [X, "null"]``.
- ``$ref`` is resolved everywhere; a schema that refers to itself gets ``{"$recursive": ref}``
  at the point where it re-enters, so the result stays finite.
- ``allOf`` members are merged; ``oneOf`` reads as ``anyOf``; ``const`` as a one-value ``enum``.
- Annotations (``title``, ``description``, examples, ``x-*``) are dropped; key order never mattered.
- Path templates are matched as ``/items/{}``: a renamed path parameter is the same endpoint.
- FastAPI artefacts are flagged: the automatic 422 ``HTTPValidationError`` response, and
  ``schema: {}`` where no response model was declared (uncontracted).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from contract_tools.errors import SpecLoadError

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
RECURSIVE = "$recursive"
_TEMPLATE = re.compile(r"\{([^}/]*)\}")
_ANNOTATIONS = frozenset(
    {
        "title",
        "description",
        "example",
        "examples",
        "$comment",
        "externalDocs",
        "xml",
        "discriminator",
        "$schema",
        "$id",
        "$defs",
        "definitions",
        "deprecated",
        "readOnly",
        "writeOnly",
    }
)
_SUBSCHEMA = ("items", "not", "additionalProperties", "propertyNames", "contains", "if", "then")
_SUBSCHEMA_MAPS = ("properties", "patternProperties")
_SUBSCHEMA_LISTS = ("prefixItems", "allOf", "anyOf", "oneOf")
_LOWER = ("minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties")
_UPPER = ("maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties")
_VALIDATION_SCHEMA = "HTTPValidationError"
_WERKZEUG_CONVERTER = "x-werkzeug-converter"
# flask-spec marks what an unannotated app cannot tell; absence there is not a contract.
DRAFT = "x-contract-tools-draft"
# flask-spec --learn marks what it saw the app answer: observations, not declarations.
SOURCE = "x-contract-tools-source"
LEARNED = "x-contract-tools-learned"


@dataclass(frozen=True)
class Parameter:
    location: str
    name: str
    required: bool
    schema: dict[str, Any]
    deprecated: bool = False
    style: str | None = None
    explode: bool | None = None


@dataclass(frozen=True)
class RequestBody:
    required: bool
    content: dict[str, dict[str, Any]]


@dataclass(frozen=True)
class Response:
    status: str
    content: dict[str, dict[str, Any]]
    headers: dict[str, Parameter]
    # FastAPI adds a 422 HTTPValidationError response to every operation with inputs.
    validation_artefact: bool = False
    # flask-spec --learn: the status was only seen, not declared; media type -> cases seen.
    learned: bool = False
    observed: dict[str, int] = field(default_factory=dict)


# One alternative of a security requirement: {scheme name: scopes}; alternatives are OR-ed.
SecurityAlternative = frozenset[tuple[str, frozenset[str]]]


@dataclass
class Operation:
    method: str
    path: str
    path_params: tuple[str, ...]
    parameters: dict[tuple[str, str], Parameter]
    body: RequestBody | None
    responses: dict[str, Response]
    security: tuple[SecurityAlternative, ...]
    security_schemes: dict[str, dict[str, Any]]
    deprecated: bool = False
    operation_id: str | None = None
    # True where a draft (flask-spec) could not see whether the operation reads a body.
    body_unknown: bool = False

    @property
    def label(self) -> str:
        return f"{self.method.upper()} {self.path}"


@dataclass
class CanonicalSpec:
    version: str
    operations: dict[tuple[str, str], Operation] = field(default_factory=dict)


def path_key(template: str) -> str:
    """``/items/{item_id}`` -> ``/items/{}``: parameter names do not change the endpoint."""
    return _TEMPLATE.sub("{}", template)


def path_param_names(template: str) -> tuple[str, ...]:
    return tuple(_TEMPLATE.findall(template))


def fingerprint(schema: Any) -> str:
    return json.dumps(schema, sort_keys=True, default=str)


def canonicalize(doc: Mapping[str, Any]) -> CanonicalSpec:
    """Build the comparable form of ``doc``; SpecLoadError on an unresolvable ``$ref``."""
    return _Canonicalizer(doc).run()


class _Canonicalizer:
    def __init__(self, doc: Mapping[str, Any]) -> None:
        self.doc = doc
        self.version = str(doc.get("openapi", ""))
        self._memo: dict[str, dict[str, Any]] = {}
        self._active: set[str] = set()
        draft = doc.get(DRAFT)
        unknown = draft.get("unknown") if isinstance(draft, Mapping) else None
        self._draft_unknown = frozenset(unknown) if isinstance(unknown, list) else frozenset()

    # -- references -------------------------------------------------------------------------

    def _pointer(self, ref: str) -> Any:
        if not ref.startswith("#"):
            raise SpecLoadError(f"external $ref {ref!r} is not supported (only '#/...' refs)")
        node: Any = self.doc
        for raw in ref[1:].split("/")[1:] if ref != "#" else []:
            part = raw.replace("~1", "/").replace("~0", "~")
            if isinstance(node, Mapping) and part in node:
                node = node[part]
            elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
                node = node[int(part)]
            else:
                raise SpecLoadError(f"unresolvable $ref {ref!r}")
        return node

    def deref(self, node: Any) -> Any:
        """Follow ``$ref`` chains of non-schema objects (parameters, responses ...)."""
        seen: set[str] = set()
        while isinstance(node, Mapping) and isinstance(node.get("$ref"), str):
            ref = node["$ref"]
            if ref in seen:
                raise SpecLoadError(f"circular $ref {ref!r}")
            seen.add(ref)
            node = self._pointer(ref)
        return node

    # -- schemas ----------------------------------------------------------------------------

    def schema(self, node: Any) -> dict[str, Any]:
        if node is True or node is None:
            return {}
        if node is False:
            return {"not": {}}
        if not isinstance(node, Mapping):
            raise SpecLoadError(f"a schema must be an object, not {type(node).__name__}")
        ref = node.get("$ref")
        if isinstance(ref, str):
            target = self._schema_ref(ref)
            siblings = {k: v for k, v in node.items() if k != "$ref" and k not in _ANNOTATIONS}
            if siblings:  # 3.1 allows keywords beside $ref: they apply together
                return _merge(target, self.schema(siblings))
            return target
        return self._schema_object(node)

    def _schema_ref(self, ref: str) -> dict[str, Any]:
        cached = self._memo.get(ref)
        if cached is not None:
            return cached
        if ref in self._active:
            return {RECURSIVE: ref}
        self._active.add(ref)
        try:
            result = self.schema(self._pointer(ref))
        finally:
            self._active.discard(ref)
        self._memo[ref] = result
        return result

    def _schema_object(self, node: Mapping[str, Any]) -> dict[str, Any]:
        numeric = _werkzeug_numeric(node)
        if numeric is not None:
            return numeric
        out: dict[str, Any] = {}
        for key, value in node.items():
            if key in _ANNOTATIONS or key.startswith("x-") or key == "nullable":
                continue
            if key == "additionalProperties" and isinstance(value, bool):
                out[key] = value  # False is the meaningful one; _tidy drops True
            elif key in _SUBSCHEMA:
                out[key] = self.schema(value)
            elif key in _SUBSCHEMA_MAPS and isinstance(value, Mapping):
                out[key] = {name: self.schema(sub) for name, sub in value.items()}
            elif key in _SUBSCHEMA_LISTS and isinstance(value, list):
                out[key] = [self.schema(sub) for sub in value]
            elif key == "pattern" and isinstance(value, str):
                out[key] = _NEWLINE_GUARD.sub("$", value)
            else:
                out[key] = value
        types = out.get("type")
        if types is not None:
            types = {types} if isinstance(types, str) else set(types)
            # Honoured in 3.1 documents too: hand-written specs often mix the two forms.
            if node.get("nullable") is True:
                types.add("null")
            out["type"] = types
        self._bounds_30(out)
        if "const" in out:
            out["enum"] = [out.pop("const")]
        members = out.pop("allOf", None)
        if members:
            for member in members:
                out = _merge(out, member)
        for key in ("anyOf", "oneOf"):
            if key in out:
                out = self._union(out, out.pop(key))
        return _tidy(out)

    def _bounds_30(self, out: dict[str, Any]) -> None:
        # 3.0 writes exclusive bounds as booleans beside minimum/maximum; 3.1 as numbers.
        for bound, exclusive in (("minimum", "exclusiveMinimum"), ("maximum", "exclusiveMaximum")):
            flag = out.get(exclusive)
            if isinstance(flag, bool):
                del out[exclusive]
                if flag and bound in out:
                    out[exclusive] = out.pop(bound)

    def _union(self, out: dict[str, Any], members: list[dict[str, Any]]) -> dict[str, Any]:
        nullable = False
        kept: dict[str, dict[str, Any]] = {}
        for member in members:
            if _is_null_schema(member):
                nullable = True
            else:
                kept.setdefault(fingerprint(member), member)
        if not kept:
            merged = dict(out)
            merged["type"] = {"null"}
            return merged
        if len(kept) == 1:
            merged = _merge(out, _tidy(dict(next(iter(kept.values())))))
            if nullable:
                _add_null(merged)
            return merged
        alternatives = [kept[key] for key in sorted(kept)]
        if all(set(alt) == {"type"} for alt in alternatives):
            # anyOf [{type: a}, {type: b}] says no more than type [a, b].
            merged = dict(out)
            merged["type"] = {t for alt in alternatives for t in alt["type"]}
            if nullable:
                merged["type"].add("null")
            return merged
        if nullable:
            alternatives.append({"type": ["null"]})
        merged = dict(out)
        merged["anyOf"] = alternatives
        return merged

    # -- operations -------------------------------------------------------------------------

    def run(self) -> CanonicalSpec:
        spec = CanonicalSpec(version=self.version)
        paths = self.doc.get("paths") or {}
        if not isinstance(paths, Mapping):
            raise SpecLoadError("'paths' must be a mapping")
        global_security = self.doc.get("security")
        schemes = self._security_schemes()
        for template, raw_item in paths.items():
            item = self.deref(raw_item)
            if not isinstance(item, Mapping):
                continue
            shared = list(item.get("parameters") or [])
            for method in HTTP_METHODS:
                raw_op = item.get(method)
                if not isinstance(raw_op, Mapping):
                    continue
                op = self._operation(str(template), method, raw_op, shared, global_security)
                op.security_schemes = {
                    name: schemes.get(name, {}) for alt in op.security for name, _ in alt
                }
                spec.operations[(method.upper(), path_key(str(template)))] = op
        return spec

    def _security_schemes(self) -> dict[str, dict[str, Any]]:
        raw = (self.doc.get("components") or {}).get("securitySchemes") or {}
        result: dict[str, dict[str, Any]] = {}
        for name, scheme in raw.items():
            resolved = self.deref(scheme)
            if isinstance(resolved, Mapping):
                result[name] = {
                    k: v
                    for k, v in resolved.items()
                    if k in ("type", "in", "name", "scheme", "openIdConnectUrl")
                }
        return result

    def _operation(
        self,
        template: str,
        method: str,
        raw: Mapping[str, Any],
        shared: list[Any],
        global_security: Any,
    ) -> Operation:
        names = path_param_names(template)
        params: dict[tuple[str, str], Parameter] = {}
        # Operation-level parameters override path-item ones with the same name and location.
        for raw_param in [*shared, *(raw.get("parameters") or [])]:
            param = self._parameter(raw_param)
            if param.location == "path":
                index = names.index(param.name) if param.name in names else -1
                params[("path", str(index))] = param
            else:
                name = param.name.lower() if param.location == "header" else param.name
                params[(param.location, name)] = param
        body = None
        if raw.get("requestBody") is not None:
            raw_body = self.deref(raw["requestBody"])
            body = RequestBody(
                required=bool(raw_body.get("required", False)),
                content=self._content(raw_body.get("content")),
            )
        responses = {
            str(status): self._response(str(status), resp)
            for status, resp in (raw.get("responses") or {}).items()
        }
        security = raw.get("security", global_security)
        return Operation(
            method=method,
            path=template,
            path_params=names,
            parameters=params,
            body=body,
            responses=responses,
            security=_security(security),
            security_schemes={},
            deprecated=bool(raw.get("deprecated", False)),
            operation_id=raw.get("operationId"),
            body_unknown=body is None
            and ("requestBody" in self._draft_unknown or "requestBody" in _unknown(raw)),
        )

    def _parameter(self, raw: Any) -> Parameter:
        param = self.deref(raw)
        if not isinstance(param, Mapping) or "name" not in param or "in" not in param:
            raise SpecLoadError(f"a parameter needs 'name' and 'in': {raw!r}"[:200])
        schema = param.get("schema")
        if schema is None and isinstance(param.get("content"), Mapping):
            media: Any = next(iter(param["content"].values()), {})
            schema = media.get("schema") if isinstance(media, Mapping) else None
        location = str(param["in"])
        return Parameter(
            location=location,
            name=str(param["name"]),
            required=bool(param.get("required", location == "path")),
            schema=self.schema(schema),
            deprecated=bool(param.get("deprecated", False)),
            style=param.get("style"),
            explode=param.get("explode"),
        )

    def _content(self, content: Any) -> dict[str, dict[str, Any]]:
        if not isinstance(content, Mapping):
            return {}
        return {
            str(media).lower(): self.schema((value or {}).get("schema"))
            for media, value in content.items()
        }

    def _response(self, status: str, raw: Any) -> Response:
        resp = self.deref(raw)
        if not isinstance(resp, Mapping):
            resp = {}
        content = resp.get("content")
        artefact = False
        if status == "422" and isinstance(content, Mapping):
            for media in content.values():
                schema = (media or {}).get("schema") or {}
                ref = schema.get("$ref", "") if isinstance(schema, Mapping) else ""
                if ref.rsplit("/", 1)[-1] == _VALIDATION_SCHEMA:
                    artefact = True
        headers = {
            str(name).lower(): self._parameter({**self.deref(h), "name": name, "in": "header"})
            for name, h in (resp.get("headers") or {}).items()
            if isinstance(self.deref(h), Mapping)
        }
        observed = {}
        if isinstance(content, Mapping):
            for media, value in content.items():
                learned = value.get(LEARNED) if isinstance(value, Mapping) else None
                if isinstance(learned, Mapping) and isinstance(learned.get("cases"), int):
                    observed[str(media).lower()] = learned["cases"]
        return Response(
            status=status,
            content=self._content(content),
            headers=headers,
            validation_artefact=artefact,
            learned=resp.get(SOURCE) == "learned",
            observed=observed,
        )


# -- schema helpers (pure) ----------------------------------------------------------------------


def _unknown(operation: Mapping[str, Any]) -> list[Any]:
    """What an operation's own draft marker says the draft could not see."""
    marker = operation.get(DRAFT)
    unknown = marker.get("unknown") if isinstance(marker, Mapping) else None
    return unknown if isinstance(unknown, list) else []


# flask-spec writes ``$(?!\n)`` for Python validators; ECMA-262 reads that as plain ``$``.
_NEWLINE_GUARD = re.compile(r"\$\(\?!\\n\)$")


def _werkzeug_numeric(node: Mapping[str, Any]) -> dict[str, Any] | None:
    """A Werkzeug int/float path value written as text is, as a contract, a number.

    Werkzeug's ``float`` needs a literal dot and ``fixed_digits`` needs zero padding, so flask-spec
    states them as patterns; a port that takes ``number``/``integer`` accepts every one of those
    values, so comparing them as text would report a widening as a type change.
    """
    converter = node.get(_WERKZEUG_CONVERTER)
    if not isinstance(converter, Mapping) or node.get("type") != "string":
        return None
    kind = {"int": "integer", "float": "number"}.get(str(converter.get("name")))
    if kind is None:
        return None
    out: dict[str, Any] = {"type": {kind}}
    if converter.get("min") is not None:
        out["minimum"] = converter["min"]
    elif not converter.get("signed"):
        out["minimum"] = 0
    if converter.get("max") is not None:
        out["maximum"] = converter["max"]
    return _tidy(out)


def _is_null_schema(schema: Mapping[str, Any]) -> bool:
    types = schema.get("type")
    if types is not None and set(types) == {"null"}:
        return True
    return schema.get("enum") == [None] and len(schema) == 1


def _add_null(schema: dict[str, Any]) -> None:
    # An untyped member already accepts null; only typed or enumerated schemas need widening.
    if "type" in schema:
        schema["type"] = sorted(set(schema["type"]) | {"null"})
    if "enum" in schema and None not in schema["enum"]:
        schema["enum"] = _sorted_enum([*schema["enum"], None])


def _sorted_enum(values: list[Any]) -> list[Any]:
    unique = {fingerprint(v): v for v in values}
    return [unique[key] for key in sorted(unique)]


def _tidy(out: dict[str, Any]) -> dict[str, Any]:
    """Bring one schema object into canonical form (idempotent)."""
    types = out.get("type")
    if types is not None:
        types = set(types)
        if "number" in types:
            types.discard("integer")  # integer is a subset of number
        if "enum" in out and None in out["enum"]:
            types.add("null")
        out["type"] = sorted(types)
    if "enum" in out:
        enum = list(out["enum"])
        if types is not None and "null" in types and None not in enum:
            enum.append(None)
        out["enum"] = _sorted_enum(enum)
    if out.get("additionalProperties") in ({}, True):
        del out["additionalProperties"]
    for key in ("properties", "required", "patternProperties"):
        if key in out and not out[key]:
            del out[key]
    if "required" in out:
        out["required"] = sorted(set(out["required"]))
    return out


def _merge(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    """allOf semantics for two canonical schemas: the result accepts what both accept."""
    if not a:
        return b
    if not b:
        return a
    if RECURSIVE in a or RECURSIVE in b:
        # A recursive marker cannot be merged further; keep both constraints side by side.
        return {"allOf": sorted([a, b], key=fingerprint)}
    out = dict(a)
    for key, value in b.items():
        if key not in out:
            out[key] = value
        elif key == "type":
            both = _type_meet(set(out["type"]), set(value))
            out["type"] = sorted(both)
        elif key == "properties":
            props = dict(out["properties"])
            for name, sub in value.items():
                props[name] = _merge(props[name], sub) if name in props else sub
            out["properties"] = props
        elif key == "required":
            out["required"] = sorted(set(out["required"]) | set(value))
        elif key == "enum":
            keep = {fingerprint(v) for v in value}
            out["enum"] = [v for v in out["enum"] if fingerprint(v) in keep]
        elif key in _LOWER:
            out[key] = max(out[key], value)
        elif key in _UPPER:
            out[key] = min(out[key], value)
        elif key in ("items", "additionalProperties") and isinstance(value, dict):
            current = out[key]
            out[key] = _merge(current, value) if isinstance(current, dict) else current
        # Other conflicting keywords: keep the first; allOf conflicts are rare in practice.
    return _tidy(out)


def _type_meet(a: set[str], b: set[str]) -> set[str]:
    both = a & b
    if ("number" in a and "integer" in b) or ("integer" in a and "number" in b):
        both.add("integer")
    return both


def _security(raw: Any) -> tuple[SecurityAlternative, ...]:
    if not isinstance(raw, list):
        return ()
    alternatives = []
    for alt in raw:
        if isinstance(alt, Mapping):
            alternatives.append(
                frozenset((str(name), frozenset(scopes or ())) for name, scopes in alt.items())
            )
    return tuple(alternatives)
