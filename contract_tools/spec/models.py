"""Body models a view validates with, as JSON Schema: pydantic models, marshmallow schemas.

Neither library is imported here: a model is recognised by the classes it derives from, and
read through its own public API (``model_json_schema()``) or its declared fields. Only models
the app itself loaded are ever looked at.
"""

from __future__ import annotations

from typing import Any

# marshmallow field class -> JSON Schema of a value it accepts (by class name, so that
# subclasses such as ``fields.Str`` and ``fields.String`` read the same).
_MARSHMALLOW_FIELDS: dict[str, dict[str, Any]] = {
    "String": {"type": "string"},
    "Str": {"type": "string"},
    "Email": {"type": "string", "format": "email"},
    "URL": {"type": "string", "format": "uri"},
    "Url": {"type": "string", "format": "uri"},
    "UUID": {"type": "string", "format": "uuid"},
    "Integer": {"type": "integer"},
    "Int": {"type": "integer"},
    "Float": {"type": "number"},
    "Number": {"type": "number"},
    "Decimal": {"type": "number"},
    "Boolean": {"type": "boolean"},
    "Bool": {"type": "boolean"},
    "DateTime": {"type": "string", "format": "date-time"},
    "Date": {"type": "string", "format": "date"},
    "Time": {"type": "string", "format": "time"},
    "Dict": {"type": "object"},
    "Raw": {},
}


class ModelError(Exception):
    """A model whose schema could not be produced: the body stays unknown."""


def model_schema(cls: Any, library: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """(schema, named definitions) of the body ``cls`` validates."""
    if library == "pydantic":
        return _pydantic(cls)
    if library == "marshmallow":
        return _marshmallow(cls), {}
    raise ModelError(f"unknown model library {library!r}")


def _pydantic(cls: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    generate = getattr(cls, "model_json_schema", None)
    try:
        if callable(generate):
            schema = generate(ref_template="#/components/schemas/{model}", mode="validation")
        else:  # pydantic 1
            schema = cls.schema(ref_template="#/components/schemas/{model}")
    except Exception as exc:  # the model's own code may refuse (custom types)
        raise ModelError(f"{cls.__name__}: {exc}") from None
    definitions = dict(schema.pop("$defs", None) or schema.pop("definitions", None) or {})
    name = schema.get("title") or cls.__name__
    definitions[name] = schema
    return {"$ref": f"#/components/schemas/{name}"}, definitions


def _marshmallow(cls: Any) -> dict[str, Any]:
    fields = getattr(cls, "_declared_fields", None)
    if not isinstance(fields, dict):
        raise ModelError(f"{getattr(cls, '__name__', cls)}: no declared fields")
    properties: dict[str, Any] = {}
    required: list[str] = []
    for name, field in fields.items():
        if getattr(field, "dump_only", False):
            continue
        key = getattr(field, "data_key", None) or name
        properties[key] = _marshmallow_field(field)
        if getattr(field, "required", False):
            required.append(key)
    schema: dict[str, Any] = {"type": "object", "properties": properties}
    if required:
        schema["required"] = required
    unknown = getattr(getattr(cls, "Meta", None), "unknown", "raise")
    if unknown == "raise":
        # marshmallow refuses unknown keys unless told otherwise
        schema["additionalProperties"] = False
    return schema


def _marshmallow_field(field: Any) -> dict[str, Any]:
    kinds = [klass.__name__ for klass in type(field).__mro__]
    schema: dict[str, Any] = {}
    for kind in kinds:
        if kind in ("List", "Nested", "Pluck", "Tuple"):
            schema = _container_field(kind, field)
            break
        if kind in _MARSHMALLOW_FIELDS:
            schema = dict(_MARSHMALLOW_FIELDS[kind])
            break
    if getattr(field, "allow_none", False) and "type" in schema:
        schema["type"] = [schema["type"], "null"]
    for validator in getattr(field, "validators", ()) or ():
        _apply_validator(schema, validator)
    return schema


def _container_field(kind: str, field: Any) -> dict[str, Any]:
    if kind == "List":
        inner = getattr(field, "inner", None)
        return {"type": "array", "items": _marshmallow_field(inner) if inner else {}}
    if kind == "Nested":
        nested = getattr(field, "nested", None)
        schema = _marshmallow(nested if isinstance(nested, type) else type(nested))
        return {"type": "array", "items": schema} if getattr(field, "many", False) else schema
    return {}


def _apply_validator(schema: dict[str, Any], validator: Any) -> None:
    kind = type(validator).__name__
    if kind == "Length":
        key = "Length" if schema.get("type") in ("string", ["string", "null"]) else "Items"
        if getattr(validator, "equal", None) is not None:
            schema[f"min{key}"] = schema[f"max{key}"] = validator.equal
            return
        if getattr(validator, "min", None) is not None:
            schema[f"min{key}"] = validator.min
        if getattr(validator, "max", None) is not None:
            schema[f"max{key}"] = validator.max
    elif kind == "Range":
        low, high = getattr(validator, "min", None), getattr(validator, "max", None)
        if low is not None:
            inclusive = getattr(validator, "min_inclusive", True)
            schema["minimum" if inclusive else "exclusiveMinimum"] = low
        if high is not None:
            inclusive = getattr(validator, "max_inclusive", True)
            schema["maximum" if inclusive else "exclusiveMaximum"] = high
    elif kind == "OneOf":
        schema["enum"] = list(getattr(validator, "choices", ()))
    elif kind == "Regexp":
        regex = getattr(validator, "regex", None)
        pattern = getattr(regex, "pattern", None)
        if isinstance(pattern, str):
            schema["pattern"] = f"^(?:{pattern})"  # marshmallow uses re.match
