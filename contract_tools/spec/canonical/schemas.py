"""Schemas in comparable form: ``$ref`` resolved (a schema that refers to itself gets
``{"$recursive": ref}`` where it re-enters, so the result stays finite), the nullability forms
of 3.0, 3.1 and Pydantic made one, ``allOf`` merged, ``oneOf`` read as ``anyOf``, ``const`` as a
one-value ``enum``, annotations dropped, and Werkzeug numeric text read as its number.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from contract_tools.errors import SpecLoadError

# Levels of schema nesting, $refs followed; real documents stay far below (ours: under 10).
MAX_SCHEMA_DEPTH = 100
RECURSIVE = "$recursive"
ANNOTATIONS = frozenset(
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
_WERKZEUG_CONVERTER = "x-werkzeug-converter"


def fingerprint(schema: Any) -> str:
    return json.dumps(schema, sort_keys=True, default=str)


class Schemas:
    """The schemas of one document, each ``$ref`` target canonicalised once."""

    def __init__(self, doc: Mapping[str, Any]) -> None:
        self.doc = doc
        self._memo: dict[str, dict[str, Any]] = {}
        self._active: set[str] = set()
        self._chain: list[str] = []  # the $refs being followed, innermost last
        self._depth = 0

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

    def schema(self, node: Any) -> dict[str, Any]:
        # Canonicalising recurses once per level of nesting, $refs followed: a bound of our own
        # (well inside Python's) makes a deep document one line, never a RecursionError.
        self._depth += 1
        try:
            if self._depth > MAX_SCHEMA_DEPTH:
                where = self._chain[-1][1:] if self._chain else "a schema"
                raise SpecLoadError(
                    f"{where}: schemas nested deeper than {MAX_SCHEMA_DEPTH} levels "
                    "($refs followed)"
                )
            return self._schema(node)
        finally:
            self._depth -= 1

    def _schema(self, node: Any) -> dict[str, Any]:
        if node is True or node is None:
            return {}
        if node is False:
            return {"not": {}}
        if not isinstance(node, Mapping):
            raise SpecLoadError(f"a schema must be an object, not {type(node).__name__}")
        ref = node.get("$ref")
        if isinstance(ref, str):
            target = self._schema_ref(ref)
            siblings = {k: v for k, v in node.items() if k != "$ref" and k not in ANNOTATIONS}
            if siblings:  # 3.1 allows keywords beside $ref: they apply together
                return merge(target, self.schema(siblings))
            return target
        return self._schema_object(node)

    def _schema_ref(self, ref: str) -> dict[str, Any]:
        cached = self._memo.get(ref)
        if cached is not None:
            return cached
        if ref in self._active:
            return {RECURSIVE: ref}
        self._active.add(ref)
        self._chain.append(ref)
        try:
            result = self.schema(self._pointer(ref))
        finally:
            self._active.discard(ref)
            self._chain.pop()
        self._memo[ref] = result
        return result

    def _schema_object(self, node: Mapping[str, Any]) -> dict[str, Any]:
        numeric = werkzeug_numeric(node)
        if numeric is not None:
            return numeric
        out: dict[str, Any] = {}
        for key, value in node.items():
            if key in ANNOTATIONS or key.startswith("x-") or key == "nullable":
                continue
            if key == "additionalProperties" and isinstance(value, bool):
                out[key] = value  # False is the meaningful one; tidy drops True
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
                out = merge(out, member)
        for key in ("anyOf", "oneOf"):
            if key in out:
                out = self._union(out, out.pop(key))
        return tidy(out)

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
            merged = merge(out, tidy(dict(next(iter(kept.values())))))
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


# flask-spec writes ``$(?!\n)`` for Python validators; ECMA-262 reads that as plain ``$``.
_NEWLINE_GUARD = re.compile(r"\$\(\?!\\n\)$")


def werkzeug_numeric(node: Mapping[str, Any]) -> dict[str, Any] | None:
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
    return tidy(out)


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


def tidy(out: dict[str, Any]) -> dict[str, Any]:
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


def merge(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
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
                props[name] = merge(props[name], sub) if name in props else sub
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
            out[key] = merge(current, value) if isinstance(current, dict) else current
        # Other conflicting keywords: keep the first; allOf conflicts are rare in practice.
    return tidy(out)


def _type_meet(a: set[str], b: set[str]) -> set[str]:
    both = a & b
    if ("number" in a and "integer" in b) or ("integer" in a and "number" in b):
        both.add("integer")
    return both
