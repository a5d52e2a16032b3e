"""Path, query, header and cookie parameters: what a client must send and what is accepted."""

from __future__ import annotations

from collections.abc import Iterator

from contract_tools._diff.pair import PATH_PARAMETER, REQUEST_PARAMETER, OperationPair
from contract_tools._diff.registry import Direction, Hit, rule
from contract_tools._diff.rules._helpers import schema_hits
from contract_tools.models import Level
from contract_tools.spec.canonical import Parameter

REQUIRED_REQUEST_PARAMETER_ADDED = "required-request-parameter-added"
OPTIONAL_REQUEST_PARAMETER_ADDED = "optional-request-parameter-added"
REQUEST_PARAMETER_REMOVED = "request-parameter-removed"
REQUEST_PARAMETER_BECAME_REQUIRED = "request-parameter-became-required"
REQUEST_PARAMETER_BECAME_OPTIONAL = "request-parameter-became-optional"
REQUEST_PARAMETER_SERIALISATION_CHANGED = "request-parameter-serialisation-changed"
REQUEST_PARAMETER_TYPE_CHANGED = "request-parameter-type-changed"
REQUEST_PARAMETER_ENUM_NARROWED = "request-parameter-enum-narrowed"
REQUEST_PARAMETER_ENUM_WIDENED = "request-parameter-enum-widened"
REQUEST_PARAMETER_MAX_DECREASED = "request-parameter-max-decreased"
REQUEST_PARAMETER_MIN_INCREASED = "request-parameter-min-increased"
REQUEST_PARAMETER_MAX_LENGTH_DECREASED = "request-parameter-max-length-decreased"
REQUEST_PARAMETER_MIN_LENGTH_INCREASED = "request-parameter-min-length-increased"
REQUEST_PARAMETER_PATTERN_ADDED = "request-parameter-pattern-added"
REQUEST_PARAMETER_PATTERN_CHANGED = "request-parameter-pattern-changed"
REQUEST_PARAMETER_DEFAULT_CHANGED = "request-parameter-default-changed"
PATH_PARAMETER_TYPE_CHANGED = "path-parameter-type-changed"
PATH_PARAMETER_ENUM_NARROWED = "path-parameter-enum-narrowed"
PATH_PARAMETER_CONSTRAINT_TIGHTENED = "path-parameter-constraint-tightened"

# OpenAPI says these header parameters are ignored: other fields describe them.
_IGNORED_HEADERS = frozenset({"accept", "content-type", "authorization"})


def _describe(param: Parameter) -> str:
    return f"{param.location} parameter {param.name!r}"


def _counts(param: Parameter) -> bool:
    return param.location != "path" and not (
        param.location == "header" and param.name.lower() in _IGNORED_HEADERS
    )


def _where(param: Parameter) -> dict[str, str]:
    return {"in": param.location, "name": param.name}


@rule(REQUIRED_REQUEST_PARAMETER_ADDED, Level.ERROR, Direction.REQUEST)
def required_request_parameter_added(pair: OperationPair) -> Iterator[Hit]:
    """Existing clients do not send the new parameter, so their requests are rejected."""
    both = pair.both
    if both is None:
        return
    for key, param in both[1].parameters.items():
        if key not in both[0].parameters and param.required and _counts(param):
            yield Hit(f"new required {_describe(param)}", _where(param))


@rule(OPTIONAL_REQUEST_PARAMETER_ADDED, Level.INFO, Direction.REQUEST)
def optional_request_parameter_added(pair: OperationPair) -> Iterator[Hit]:
    """Optional parameters break nobody; listed so that new behaviour is visible."""
    both = pair.both
    if both is None:
        return
    for key, param in both[1].parameters.items():
        if key not in both[0].parameters and not param.required and _counts(param):
            yield Hit(f"new optional {_describe(param)}", _where(param))


@rule(REQUEST_PARAMETER_REMOVED, Level.WARNING, Direction.REQUEST)
def request_parameter_removed(pair: OperationPair) -> Iterator[Hit]:
    """Clients still send it; the server now ignores (or rejects) it, so its effect is gone."""
    both = pair.both
    if both is None:
        return
    for key, param in both[0].parameters.items():
        if key not in both[1].parameters and _counts(param):
            yield Hit(f"{_describe(param)} was removed", _where(param))


@rule(REQUEST_PARAMETER_BECAME_REQUIRED, Level.ERROR, Direction.REQUEST)
def request_parameter_became_required(pair: OperationPair) -> Iterator[Hit]:
    """Clients that leave the parameter out are now rejected."""
    for old, new in pair.common_parameters():
        if new.required and not old.required and _counts(old):
            yield Hit(f"{_describe(old)} became required", _where(old))


@rule(REQUEST_PARAMETER_BECAME_OPTIONAL, Level.INFO, Direction.REQUEST)
def request_parameter_became_optional(pair: OperationPair) -> Iterator[Hit]:
    """Requests that send it still work; clients may now leave it out."""
    for old, new in pair.common_parameters():
        if old.required and not new.required and _counts(old):
            yield Hit(f"{_describe(old)} became optional", _where(old))


@rule(REQUEST_PARAMETER_SERIALISATION_CHANGED, Level.WARNING, Direction.REQUEST)
def request_parameter_serialisation_changed(pair: OperationPair) -> Iterator[Hit]:
    """A new style or explode reads the same query string differently (e.g. repeated keys)."""
    for old, new in pair.common_parameters():
        if (old.style, old.explode) != (new.style, new.explode) and _counts(old):
            yield Hit(
                f"{_describe(old)} serialisation changed",
                {
                    **_where(old),
                    "base": {"style": old.style, "explode": old.explode},
                    "revision": {"style": new.style, "explode": new.explode},
                },
            )


@rule(REQUEST_PARAMETER_TYPE_CHANGED, Level.ERROR, Direction.REQUEST)
def request_parameter_type_changed(pair: OperationPair) -> Iterator[Hit]:
    """Values of the old type that clients send no longer validate."""
    return schema_hits(pair, REQUEST_PARAMETER, "type-changed", "type {base} -> {revision}")


@rule(REQUEST_PARAMETER_ENUM_NARROWED, Level.ERROR, Direction.REQUEST)
def request_parameter_enum_narrowed(pair: OperationPair) -> Iterator[Hit]:
    """Clients sending a value that is no longer listed are rejected."""
    return schema_hits(pair, REQUEST_PARAMETER, "enum-narrowed", "enum {base} -> {revision}")


@rule(REQUEST_PARAMETER_ENUM_WIDENED, Level.INFO, Direction.REQUEST)
def request_parameter_enum_widened(pair: OperationPair) -> Iterator[Hit]:
    """More values are accepted; nothing that worked stops working."""
    return schema_hits(pair, REQUEST_PARAMETER, "enum-widened", "enum {base} -> {revision}")


@rule(REQUEST_PARAMETER_MAX_DECREASED, Level.ERROR, Direction.REQUEST)
def request_parameter_max_decreased(pair: OperationPair) -> Iterator[Hit]:
    """Values between the new and the old maximum are now rejected."""
    return schema_hits(pair, REQUEST_PARAMETER, "max-decreased", "maximum {base} -> {revision}")


@rule(REQUEST_PARAMETER_MIN_INCREASED, Level.ERROR, Direction.REQUEST)
def request_parameter_min_increased(pair: OperationPair) -> Iterator[Hit]:
    """Values between the old and the new minimum are now rejected."""
    return schema_hits(pair, REQUEST_PARAMETER, "min-increased", "minimum {base} -> {revision}")


@rule(REQUEST_PARAMETER_MAX_LENGTH_DECREASED, Level.ERROR, Direction.REQUEST)
def request_parameter_max_length_decreased(pair: OperationPair) -> Iterator[Hit]:
    """Longer values that used to be accepted are now rejected."""
    return schema_hits(
        pair, REQUEST_PARAMETER, "max-length-decreased", "max length {base} -> {revision}"
    )


@rule(REQUEST_PARAMETER_MIN_LENGTH_INCREASED, Level.ERROR, Direction.REQUEST)
def request_parameter_min_length_increased(pair: OperationPair) -> Iterator[Hit]:
    """Shorter values that used to be accepted are now rejected."""
    return schema_hits(
        pair, REQUEST_PARAMETER, "min-length-increased", "min length {base} -> {revision}"
    )


@rule(REQUEST_PARAMETER_PATTERN_ADDED, Level.ERROR, Direction.REQUEST)
def request_parameter_pattern_added(pair: OperationPair) -> Iterator[Hit]:
    """Values that do not match the new pattern, all accepted before, are now rejected."""
    return schema_hits(pair, REQUEST_PARAMETER, "pattern-added", "pattern {revision} added")


@rule(REQUEST_PARAMETER_PATTERN_CHANGED, Level.WARNING, Direction.REQUEST)
def request_parameter_pattern_changed(pair: OperationPair) -> Iterator[Hit]:
    """Some values matching the old pattern may fail the new one; check which."""
    return schema_hits(pair, REQUEST_PARAMETER, "pattern-changed", "pattern {base} -> {revision}")


@rule(REQUEST_PARAMETER_DEFAULT_CHANGED, Level.WARNING, Direction.REQUEST)
def request_parameter_default_changed(pair: OperationPair) -> Iterator[Hit]:
    """Clients that leave the parameter out silently get different behaviour."""
    return schema_hits(pair, REQUEST_PARAMETER, "default-changed", "default {base} -> {revision}")


@rule(PATH_PARAMETER_TYPE_CHANGED, Level.ERROR, Direction.REQUEST)
def path_parameter_type_changed(pair: OperationPair) -> Iterator[Hit]:
    """URLs clients build from the old type no longer match (404 or 422)."""
    return schema_hits(pair, PATH_PARAMETER, "type-changed", "type {base} -> {revision}")


@rule(PATH_PARAMETER_ENUM_NARROWED, Level.ERROR, Direction.REQUEST)
def path_parameter_enum_narrowed(pair: OperationPair) -> Iterator[Hit]:
    """URLs with a value that is no longer listed stop matching."""
    return schema_hits(pair, PATH_PARAMETER, "enum-narrowed", "enum {base} -> {revision}")


_PATH_TIGHTENINGS = {
    "max-decreased": "maximum {base} -> {revision}",
    "min-increased": "minimum {base} -> {revision}",
    "max-length-decreased": "max length {base} -> {revision}",
    "min-length-increased": "min length {base} -> {revision}",
    "pattern-added": "pattern {revision} added",
    "pattern-changed": "pattern {base} -> {revision}",
}


@rule(PATH_PARAMETER_CONSTRAINT_TIGHTENED, Level.ERROR, Direction.REQUEST)
def path_parameter_constraint_tightened(pair: OperationPair) -> Iterator[Hit]:
    """URLs that satisfied the old bounds, length or pattern may no longer match."""
    for kind, text in _PATH_TIGHTENINGS.items():
        yield from schema_hits(pair, PATH_PARAMETER, kind, text)
