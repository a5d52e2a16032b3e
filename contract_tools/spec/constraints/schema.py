"""Facts about one value -> JSON Schema keywords (children are the caller's business)."""

from __future__ import annotations

import math
from typing import Any

from contract_tools.spec.constraints.facts import Facts
from contract_tools.spec.constraints.formulas import ALL_KINDS, NO_DEFAULT

_KIND_ORDER = ("null", "boolean", "integer", "number", "string", "array", "object")


def schema_of(facts: Facts) -> dict[str, Any]:
    """JSON Schema keywords for one value (children are the caller's business)."""
    schema: dict[str, Any] = {}
    kinds = _kinds(facts)
    if kinds is not None:
        if not kinds:
            return {}  # contradictory checks (two branches' rules merged): say nothing
        types = _types(kinds)
        schema["type"] = types[0] if len(types) == 1 else types
        if "float" in kinds and "integer" not in kinds:
            schema["not"] = {"type": "integer"}
    numeric = kinds is None or bool(kinds & {"integer", "float"})
    if numeric:
        for key, value in (
            ("minimum", facts.minimum),
            ("exclusiveMinimum", facts.exclusive_minimum),
            ("maximum", facts.maximum),
            ("exclusiveMaximum", facts.exclusive_maximum),
        ):
            if value is not None:
                schema[key] = value
    pattern = _chars_pattern(facts)
    folded = pattern is not None and facts.min_length is not None
    if not (folded and facts.min_length == facts.max_length):
        _lengths(schema, facts, kinds)
    patterns = [*([pattern] if pattern else []), *facts.patterns]
    if patterns:
        schema["pattern"] = patterns[0]
        if patterns[1:]:
            schema["allOf"] = [{"pattern": p} for p in patterns[1:]]
    if facts.enum is not None:
        schema["enum"] = list(facts.enum)
    forbidden = list(facts.not_enum)
    if facts.truthy:
        for value in _falsy(facts, kinds, schema):
            # 0 == False in Python; JSON Schema (and this list) tells them apart.
            if not any(_same(value, f) for f in forbidden):
                forbidden.append(value)
    if forbidden and "enum" not in schema:
        # Python's equality makes 0 == 0.0 == False; JSON Schema's enum tells false from 0.
        if "not" in schema:  # already "not an integer": both conditions hold
            schema["allOf"] = [*schema.get("allOf", []), {"not": {"enum": forbidden}}]
        else:
            schema["not"] = {"enum": forbidden}
    elif forbidden:
        schema["enum"] = [v for v in schema["enum"] if not any(_same(v, f) for f in forbidden)]
    if facts.default is not NO_DEFAULT and _json_value(facts.default):
        schema["default"] = facts.default
    return schema


def _kinds(facts: Facts) -> frozenset[str] | None:
    if facts.text:
        if facts.convert in ("integer", "number", "boolean"):
            return frozenset({facts.convert if facts.convert != "number" else "float", "integer"})
        return frozenset({"string"})
    if facts.kinds is None:
        return None
    return facts.kinds


def _types(kinds: frozenset[str]) -> list[str]:
    names = set()
    for kind in kinds:
        names.add("number" if kind == "float" else kind)
    if "number" in names:
        names.discard("integer")
    return [name for name in _KIND_ORDER if name in names]


def _lengths(schema: dict[str, Any], facts: Facts, kinds: frozenset[str] | None) -> None:
    if facts.min_length is None and facts.max_length is None:
        return
    families = [
        ("string", "minLength", "maxLength"),
        ("array", "minItems", "maxItems"),
        ("object", "minProperties", "maxProperties"),
    ]
    for kind, low, high in families:
        if kinds is not None and kind not in kinds:
            continue
        if facts.min_length is not None and facts.min_length > 0:
            schema[low] = facts.min_length
        if facts.max_length is not None:
            schema[high] = facts.max_length


def _chars_pattern(facts: Facts) -> str | None:
    """``isascii() and isalpha()`` -> ``^[A-Za-z]+$``; a fixed length is folded in."""
    if facts.chars is None:
        return None
    body = _char_class(facts.chars)
    low, high = facts.min_length, facts.max_length
    if low is not None and low == high:
        # The pattern says the length; schema_of leaves out the keywords that would repeat it.
        return f"^{body}{{{low}}}$(?!\\n)"
    return f"^{body}{'+' if facts.chars_nonempty else '*'}$(?!\\n)"


def _char_class(chars: frozenset[str]) -> str:
    codes = sorted(ord(c) for c in chars)
    ranges: list[tuple[int, int]] = []
    for code in codes:
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1] = (ranges[-1][0], code)
        else:
            ranges.append((code, code))
    parts = []
    for low, high in ranges:
        parts.append(_class_char(low) if low == high else f"{_class_char(low)}-{_class_char(high)}")
    return "[" + "".join(parts) + "]"


def _class_char(code: int) -> str:
    char = chr(code)
    if char.isalnum():
        return char
    return f"\\x{code:02x}"


def _falsy(facts: Facts, kinds: frozenset[str] | None, schema: dict[str, Any]) -> list[Any]:
    """Falsy values the kinds allow that no other keyword already refuses."""
    if kinds is not None and kinds <= {"string"}:
        schema["minLength"] = max(1, schema.get("minLength", 0))
        return []
    if kinds is not None and kinds <= {"array"}:
        schema["minItems"] = max(1, schema.get("minItems", 0))
        return []
    values: list[Any] = []
    every = kinds or ALL_KINDS
    for kind, falsy in (
        ("null", None),
        ("boolean", False),
        ("integer", 0),
        ("string", ""),
        ("array", []),
        ("object", {}),
    ):
        if kind in every or (kind == "integer" and "float" in every):
            values.append(falsy)
    return values


def _same(a: Any, b: Any) -> bool:
    return type(a) is type(b) and a == b


def _json_value(value: Any) -> bool:
    if isinstance(value, float) and not math.isfinite(value):
        return False
    if isinstance(value, (str, int, float, bool)) or value is None:
        return True
    if isinstance(value, (list, tuple)):
        return all(_json_value(v) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and _json_value(v) for k, v in value.items())
    return False
