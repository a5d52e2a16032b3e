"""Werkzeug URL converter -> JSON Schema, exact with respect to what the converter matches.

Built-in converters map to fixed shapes. A custom converter is resolved, in order, through:
an ``openapi_schema`` hook on its class (a dict, or a method returning one), a schema registered
with :func:`register_converter`, an ``Enum`` return annotation on ``to_python``, and finally its
instance regex, anchored. The converter's name and arguments travel in ``x-werkzeug-converter``.
"""

from __future__ import annotations

import copy
import enum
import inspect
import re
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from werkzeug.routing import (
    AnyConverter,
    BaseConverter,
    FloatConverter,
    IntegerConverter,
    PathConverter,
    UnicodeConverter,
    UUIDConverter,
)
from werkzeug.routing.rules import parse_converter_args

Schema = dict[str, Any]
SchemaHook = Mapping[str, Any] | Callable[[BaseConverter], Mapping[str, Any]]

EXTENSION = "x-werkzeug-converter"
HOOK_ATTRIBUTE = "openapi_schema"

_registry: dict[type, SchemaHook] = {}


def register_converter(converter_class: type, schema: SchemaHook) -> None:
    """Tell contract-tools the schema of a custom converter (a dict or ``f(converter) -> dict``)."""
    if not (isinstance(converter_class, type) and issubclass(converter_class, BaseConverter)):
        raise TypeError(f"{converter_class!r} is not a werkzeug BaseConverter subclass")
    _registry[converter_class] = schema


def unregister_converter(converter_class: type) -> None:
    _registry.pop(converter_class, None)


@dataclass(frozen=True)
class ConverterSpec:
    """A converter as written in a rule: ``<name(arguments):variable>``."""

    name: str
    arguments: str | None

    def parse_arguments(self) -> tuple[tuple[Any, ...], dict[str, Any]]:
        if not self.arguments:
            return (), {}
        return parse_converter_args(self.arguments)


def anchored(regex: str) -> str:
    """Anchor a Werkzeug regex for JSON Schema.

    ``$`` alone would also match before a trailing newline in Python validators, and PATH_INFO can
    hold one (``%0A``); ``(?!\\n)`` closes that gap and is valid ECMA-262 as well.
    """
    body = regex if _is_atomic(regex) else f"(?:{regex})"
    return f"^{body}$(?!\\n)"


def _is_atomic(regex: str) -> bool:
    """True when wrapping the regex in a group would not change how anchors bind."""
    depth = 0
    escaped = False
    in_class = False
    for char in regex:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            return False
    return True


def converter_schema(
    converter: BaseConverter, spec: ConverterSpec, diagnostics: list[str] | None = None
) -> Schema:
    """The JSON Schema of the values ``converter`` accepts, plus the extension that names it."""
    args, kwargs = spec.parse_arguments()
    schema = _schema_for(converter, args, kwargs, diagnostics)
    extension: dict[str, Any] = {"name": spec.name}
    if spec.arguments:
        extension["arguments"] = spec.arguments
    if type(converter) in (IntegerConverter, FloatConverter):
        # Bounds Werkzeug checks after the regex; kept so nothing the converter knows is lost.
        for key in ("min", "max", "signed", "fixed_digits"):
            value = getattr(converter, key, None)
            if value not in (None, False, 0) or (key in ("min", "max") and value == 0):
                extension[key] = value
    bounded = "min" in extension or "max" in extension
    if schema.get("type") == "string" and bounded and diagnostics is not None:
        diagnostics.append(
            f"converter {spec.name}({spec.arguments}): numeric bounds cannot be stated on a "
            f"string schema; they are kept in {EXTENSION}"
        )
    schema[EXTENSION] = extension
    return schema


def _schema_for(
    converter: BaseConverter,
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
    diagnostics: list[str] | None,
) -> Schema:
    kind = type(converter)
    if kind is IntegerConverter:
        return _int_schema(converter)
    if kind is FloatConverter:
        return {"type": "string", "pattern": anchored(converter.regex)}
    if kind is UUIDConverter:
        return {"type": "string", "format": "uuid", "pattern": anchored(converter.regex)}
    if kind is AnyConverter:
        # ``.items`` is a set; the rule's own argument text keeps the declared order.
        items: set[str] = converter.items  # type: ignore[attr-defined]
        ordered = [str(item) for item in args] or sorted(str(i) for i in items)
        return {"type": "string", "enum": list(dict.fromkeys(ordered))}
    if kind is PathConverter:
        return {"type": "string", "pattern": anchored(converter.regex)}
    if kind is UnicodeConverter:
        return _string_schema(converter, kwargs)
    return _custom_schema(converter, diagnostics)


def _int_schema(converter: Any) -> Schema:
    if converter.fixed_digits:
        # Zero-padded forms are the only ones that route, so the value must travel as text.
        length = int(converter.fixed_digits)
        sign = "-?" if converter.signed else ""
        return {
            "type": "string",
            "minLength": length,
            "maxLength": length,
            "pattern": anchored(f"(?=.{{{length}}}$(?!\\n)){sign}\\d+"),
        }
    schema: Schema = {"type": "integer"}
    minimum = converter.min
    if not converter.signed:
        minimum = 0 if minimum is None else max(0, minimum)
    if minimum is not None:
        schema["minimum"] = minimum
    if converter.max is not None:
        schema["maximum"] = converter.max
    return schema


def _string_schema(converter: BaseConverter, kwargs: dict[str, Any]) -> Schema:
    schema: Schema = {"type": "string"}
    if "length" in kwargs and kwargs["length"] is not None:
        schema["minLength"] = schema["maxLength"] = int(kwargs["length"])
    else:
        schema["minLength"] = int(kwargs.get("minlength", 1))
        if kwargs.get("maxlength") is not None:
            schema["maxLength"] = int(kwargs["maxlength"])
    schema["pattern"] = anchored(converter.regex)
    return schema


def _custom_schema(converter: BaseConverter, diagnostics: list[str] | None) -> Schema:
    hook = getattr(type(converter), HOOK_ATTRIBUTE, None)
    if hook is not None:
        value = getattr(converter, HOOK_ATTRIBUTE)
        return _checked(value() if callable(value) else value, type(converter))
    for klass in type(converter).__mro__:
        if klass in _registry:
            registered = _registry[klass]
            return _checked(
                registered(converter) if callable(registered) else registered, type(converter)
            )
    members = _enum_return(converter)
    if members is not None:
        regex = re.compile(converter.regex)
        values = [v for v in members if regex.fullmatch(v)]
        return {"type": "string", "enum": values}
    if diagnostics is not None and type(converter).to_python is not BaseConverter.to_python:
        diagnostics.append(
            f"converter {type(converter).__name__}: to_python may reject values its regex "
            f"matches; set {HOOK_ATTRIBUTE!r} on the class for an exact schema"
        )
    return {"type": "string", "pattern": anchored(converter.regex)}


def _checked(schema: Any, klass: type) -> Schema:
    if not isinstance(schema, Mapping):
        raise TypeError(f"{klass.__name__}.{HOOK_ATTRIBUTE} must be a mapping, got {schema!r}")
    return copy.deepcopy(dict(schema))


def _enum_return(converter: BaseConverter) -> list[str] | None:
    """Values of an Enum that ``to_python`` declares it returns, if it declares one."""
    to_python = type(converter).to_python
    try:
        hints = typing.get_type_hints(to_python)
    except Exception:
        # String annotations naming things not importable at runtime: no hint, not a crash.
        annotation = inspect.signature(to_python).return_annotation
        hints = {"return": annotation} if isinstance(annotation, type) else {}
    returned = hints.get("return")
    if isinstance(returned, type) and issubclass(returned, enum.Enum):
        return [str(member.value) for member in returned]
    return None
