"""Is a request inside one side's declared contract? Path parameters decide it.

The parity runner draws cases from both sides' schemas. When the legacy app refuses a request
its own contract never allowed (``/books/cheaper-than/1``: Werkzeug's float needs a dot) and the
port accepts it, the port has widened, which breaks no existing client: that difference is
reported as a warning, not an error. flask-spec's path schemas are exact, so the check agrees
with Werkzeug's routing.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

import jsonschema

_TEMPLATE_PART = re.compile(r"\{([^}/]*)\}")


@dataclass(frozen=True)
class _Segment:
    """One path parameter: how OpenAPI's simple style reads it, and its compiled validator."""

    kinds: frozenset[str]
    validator: Any  # None when the schema itself is unreadable: no reason to refuse a request

    @classmethod
    def of(cls, schema: Mapping[str, Any]) -> _Segment:
        plain = {k: v for k, v in schema.items() if not k.startswith("x-")}
        types = plain.get("type")
        kinds = frozenset({types} if isinstance(types, str) else (types or ()))
        try:
            jsonschema.Draft202012Validator.check_schema(plain)
        except jsonschema.exceptions.SchemaError:
            return cls(kinds, None)
        return cls(kinds, jsonschema.Draft202012Validator(plain))

    def accepts(self, text: str) -> bool:
        value: Any = text
        if "integer" in self.kinds and _is_integer(text):
            value = int(text)
        elif "number" in self.kinds and _is_number(text):
            value = float(text)
        elif self.kinds and "string" not in self.kinds:
            return False
        return self.validator is None or bool(self.validator.is_valid(value))


@dataclass(frozen=True)
class PathContract:
    """One operation's path template and its path parameters, compiled once."""

    regex: re.Pattern[str]
    segments: tuple[_Segment, ...]

    @classmethod
    def from_operation(
        cls, template: str, path_item: Mapping[str, Any], operation: Mapping[str, Any]
    ) -> PathContract:
        names = _TEMPLATE_PART.findall(template)
        declared: dict[str, Mapping[str, Any]] = {}
        for parameter in [*path_item.get("parameters", ()), *operation.get("parameters", ())]:
            if isinstance(parameter, Mapping) and parameter.get("in") == "path":
                declared[str(parameter.get("name"))] = parameter.get("schema") or {}
        pattern = "".join(
            re.escape(part) if index % 2 == 0 else "(.+?)"
            for index, part in enumerate(_TEMPLATE_PART.split(template))
        )
        segments = tuple(_Segment.of(declared.get(name, {})) for name in names)
        return cls(re.compile(f"^{pattern}$", re.S), segments)

    def accepts(self, raw_path: str) -> bool:
        """True when the (percent-encoded) path fills the template with schema-valid values."""
        match = self.regex.match(raw_path)
        if match is None:
            return False
        return all(
            segment.accepts(unquote(value))
            for segment, value in zip(self.segments, match.groups(), strict=True)
        )


def _is_integer(text: str) -> bool:
    digits = text[1:] if text.startswith("-") else text
    return digits.isascii() and digits.isdigit()


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return text.strip() == text and "_" not in text
