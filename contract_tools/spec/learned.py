"""JSON Schema from observed JSON values: what ``flask-spec --learn`` saw the app answer.

Pure functions, no I/O. The schema says what was seen and nothing more: the types of every
value (``integer`` only if no fraction was ever seen), properties present in every object
sample as ``required``, array items merged, ``null`` as one more type, and a ``format`` only
when every string seen matches it exactly. No enums and no bounds: a handful of samples is not
a contract, and the document marks these schemas ``x-contract-tools-source: learned``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

SOURCE = "x-contract-tools-source"
LEARNED = "x-contract-tools-learned"

_ORDER = ("null", "boolean", "integer", "number", "string", "array", "object")
# Formats a value can be recognised by beyond reasonable doubt (RFC 3339, RFC 4122).
_FORMATS = (
    (
        "date-time",
        re.compile(r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})\Z"),
    ),
    ("date", re.compile(r"\d{4}-\d{2}-\d{2}\Z")),
    (
        "uuid",
        re.compile(
            r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\Z"
        ),
    ),
)


@dataclass
class Shape:
    """Everything seen at one place in the samples."""

    seen: int = 0
    types: set[str] = field(default_factory=set)
    formats: set[str] | None = None  # formats every string so far matched; None: no string yet
    properties: dict[str, Shape] = field(default_factory=dict)
    present: dict[str, int] = field(default_factory=dict)  # property -> objects that had it
    objects: int = 0
    items: Shape | None = None

    def add(self, value: Any) -> None:
        self.seen += 1
        kind = _kind(value)
        self.types.add(kind)
        if kind == "string":
            matching = {name for name, regex in _FORMATS if regex.match(value)}
            self.formats = matching if self.formats is None else self.formats & matching
        elif kind == "object":
            self.objects += 1
            for key, item in value.items():
                self.present[key] = self.present.get(key, 0) + 1
                self.properties.setdefault(key, Shape()).add(item)
        elif kind == "array":
            if self.items is None:
                self.items = Shape()
            for item in value:
                self.items.add(item)

    def schema(self) -> dict[str, Any]:
        types = set(self.types)
        if "number" in types:
            types.discard("integer")
        schema: dict[str, Any] = {}
        ordered = [t for t in _ORDER if t in types]
        if ordered:
            schema["type"] = ordered[0] if len(ordered) == 1 else ordered
        if self.formats and len(self.formats) == 1:
            schema["format"] = next(iter(self.formats))
        if "object" in types:
            schema["properties"] = {
                key: self.properties[key].schema() for key in sorted(self.properties)
            }
            required = sorted(k for k, n in self.present.items() if n == self.objects)
            if required:
                schema["required"] = required
        if "array" in types and self.items is not None and self.items.seen:
            schema["items"] = self.items.schema()
        return schema


def infer_schema(samples: Iterable[Any]) -> dict[str, Any]:
    """The merged schema of ``samples`` (decoded JSON values)."""
    shape = Shape()
    for sample in samples:
        shape.add(sample)
    return shape.schema()


def learned_media(samples: list[Any] | None, cases: int) -> dict[str, Any]:
    """A media type object for what was seen: a schema for JSON, the count either way."""
    media: dict[str, Any] = {}
    if samples:
        media["schema"] = infer_schema(samples)
    media[SOURCE] = "learned"
    media[LEARNED] = {"cases": cases}
    return media


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    raise TypeError(f"not a decoded JSON value: {type(value).__name__}")
