"""Request bodies: whether one is needed, which media types, and what the schema accepts."""

from __future__ import annotations

from collections.abc import Iterator

from contract_tools._diff.pair import REQUEST_BODY, OperationPair
from contract_tools._diff.registry import Direction, Hit, rule
from contract_tools._diff.rules._helpers import schema_hits
from contract_tools.models import Level

REQUEST_BODY_BECAME_REQUIRED = "request-body-became-required"
REQUEST_BODY_REMOVED = "request-body-removed"
REQUEST_BODY_MEDIA_TYPE_REMOVED = "request-body-media-type-removed"
REQUEST_BODY_MEDIA_TYPE_ADDED = "request-body-media-type-added"
REQUEST_BODY_TYPE_CHANGED = "request-body-type-changed"
REQUEST_BODY_NULLABLE_REMOVED = "request-body-nullable-removed"
REQUEST_BODY_ENUM_NARROWED = "request-body-enum-narrowed"
REQUEST_BODY_MAX_DECREASED = "request-body-max-decreased"
REQUEST_BODY_MIN_INCREASED = "request-body-min-increased"
REQUEST_BODY_MAX_LENGTH_DECREASED = "request-body-max-length-decreased"
REQUEST_BODY_MIN_LENGTH_INCREASED = "request-body-min-length-increased"
REQUEST_BODY_PATTERN_ADDED = "request-body-pattern-added"
REQUEST_BODY_PATTERN_CHANGED = "request-body-pattern-changed"
REQUEST_BODY_FORMAT_CHANGED = "request-body-format-changed"
REQUEST_BODY_REQUIRED_PROPERTY_ADDED = "request-body-required-property-added"
REQUEST_BODY_PROPERTY_BECAME_REQUIRED = "request-body-property-became-required"
REQUEST_BODY_PROPERTY_REMOVED = "request-body-property-removed"
REQUEST_BODY_PROPERTY_ADDED = "request-body-property-added"
REQUEST_BODY_ADDITIONAL_PROPERTIES_DISALLOWED = "request-body-additional-properties-disallowed"


@rule(REQUEST_BODY_BECAME_REQUIRED, Level.ERROR, Direction.REQUEST)
def request_body_became_required(pair: OperationPair) -> Iterator[Hit]:
    """Clients that send no body are now rejected."""
    both = pair.both
    if both is None or both[1].body is None or not both[1].body.required:
        return
    old = both[0].body
    if old is None and both[0].body_unknown:
        return  # a draft that cannot see bodies says nothing about them
    if old is None or not old.required:
        yield Hit(
            "request body is now required",
            {"base": "absent" if old is None else "optional", "revision": "required"},
        )


@rule(REQUEST_BODY_REMOVED, Level.WARNING, Direction.REQUEST)
def request_body_removed(pair: OperationPair) -> Iterator[Hit]:
    """Clients still send a body that the operation now ignores or rejects."""
    both = pair.both
    if both is None or both[1].body_unknown:
        return
    if both[0].body is not None and both[1].body is None:
        yield Hit("request body was removed", {"base": "present", "revision": "absent"})


@rule(REQUEST_BODY_MEDIA_TYPE_REMOVED, Level.ERROR, Direction.REQUEST)
def request_body_media_type_removed(pair: OperationPair) -> Iterator[Hit]:
    """Clients sending that Content-Type now get 415 or a validation error."""
    both = pair.both
    if both is None or both[0].body is None or both[1].body is None:
        return
    for media in both[0].body.content:
        if media not in both[1].body.content:
            yield Hit(f"request media type {media} was removed", {"media_type": media})


@rule(REQUEST_BODY_MEDIA_TYPE_ADDED, Level.INFO, Direction.REQUEST)
def request_body_media_type_added(pair: OperationPair) -> Iterator[Hit]:
    """An extra accepted Content-Type breaks nobody."""
    both = pair.both
    if both is None or both[0].body is None or both[1].body is None:
        return
    for media in both[1].body.content:
        if media not in both[0].body.content:
            yield Hit(f"request media type {media} was added", {"media_type": media})


@rule(REQUEST_BODY_TYPE_CHANGED, Level.ERROR, Direction.REQUEST)
def request_body_type_changed(pair: OperationPair) -> Iterator[Hit]:
    """Clients still send the old type, which the new schema rejects."""
    return schema_hits(pair, REQUEST_BODY, "type-changed", "type {base} -> {revision}")


@rule(REQUEST_BODY_NULLABLE_REMOVED, Level.ERROR, Direction.REQUEST)
def request_body_nullable_removed(pair: OperationPair) -> Iterator[Hit]:
    """Clients sending null, accepted before, are now rejected."""
    return schema_hits(pair, REQUEST_BODY, "nullable-removed", "null no longer accepted")


@rule(REQUEST_BODY_ENUM_NARROWED, Level.ERROR, Direction.REQUEST)
def request_body_enum_narrowed(pair: OperationPair) -> Iterator[Hit]:
    """Clients sending a value that is no longer listed are rejected."""
    return schema_hits(pair, REQUEST_BODY, "enum-narrowed", "enum {base} -> {revision}")


@rule(REQUEST_BODY_MAX_DECREASED, Level.ERROR, Direction.REQUEST)
def request_body_max_decreased(pair: OperationPair) -> Iterator[Hit]:
    """Numbers between the new and the old maximum are now rejected."""
    return schema_hits(pair, REQUEST_BODY, "max-decreased", "maximum {base} -> {revision}")


@rule(REQUEST_BODY_MIN_INCREASED, Level.ERROR, Direction.REQUEST)
def request_body_min_increased(pair: OperationPair) -> Iterator[Hit]:
    """Numbers between the old and the new minimum are now rejected."""
    return schema_hits(pair, REQUEST_BODY, "min-increased", "minimum {base} -> {revision}")


@rule(REQUEST_BODY_MAX_LENGTH_DECREASED, Level.ERROR, Direction.REQUEST)
def request_body_max_length_decreased(pair: OperationPair) -> Iterator[Hit]:
    """Longer strings, arrays or objects that used to be accepted are now rejected."""
    return schema_hits(
        pair, REQUEST_BODY, "max-length-decreased", "max length {base} -> {revision}"
    )


@rule(REQUEST_BODY_MIN_LENGTH_INCREASED, Level.ERROR, Direction.REQUEST)
def request_body_min_length_increased(pair: OperationPair) -> Iterator[Hit]:
    """Shorter strings, arrays or objects that used to be accepted are now rejected."""
    return schema_hits(
        pair, REQUEST_BODY, "min-length-increased", "min length {base} -> {revision}"
    )


@rule(REQUEST_BODY_PATTERN_ADDED, Level.ERROR, Direction.REQUEST)
def request_body_pattern_added(pair: OperationPair) -> Iterator[Hit]:
    """Strings that do not match the new pattern, all accepted before, are now rejected."""
    return schema_hits(pair, REQUEST_BODY, "pattern-added", "pattern {revision} added")


@rule(REQUEST_BODY_PATTERN_CHANGED, Level.WARNING, Direction.REQUEST)
def request_body_pattern_changed(pair: OperationPair) -> Iterator[Hit]:
    """Some strings matching the old pattern may fail the new one; check which."""
    return schema_hits(pair, REQUEST_BODY, "pattern-changed", "pattern {base} -> {revision}")


@rule(REQUEST_BODY_FORMAT_CHANGED, Level.WARNING, Direction.REQUEST)
def request_body_format_changed(pair: OperationPair) -> Iterator[Hit]:
    """Validating servers (Pydantic does) reject values in the old format."""
    return schema_hits(pair, REQUEST_BODY, "format-changed", "format {base} -> {revision}")


@rule(REQUEST_BODY_REQUIRED_PROPERTY_ADDED, Level.ERROR, Direction.REQUEST)
def request_body_required_property_added(pair: OperationPair) -> Iterator[Hit]:
    """Existing clients do not send the new property, so their bodies are rejected."""
    return schema_hits(pair, REQUEST_BODY, "required-property-added", "new required property")


@rule(REQUEST_BODY_PROPERTY_BECAME_REQUIRED, Level.ERROR, Direction.REQUEST)
def request_body_property_became_required(pair: OperationPair) -> Iterator[Hit]:
    """Clients that leave the property out are now rejected."""
    return schema_hits(pair, REQUEST_BODY, "property-became-required", "property became required")


@rule(REQUEST_BODY_PROPERTY_REMOVED, Level.WARNING, Direction.REQUEST)
def request_body_property_removed(pair: OperationPair) -> Iterator[Hit]:
    """Clients still send it; the server now ignores it (or rejects unknown fields)."""
    return schema_hits(pair, REQUEST_BODY, "property-removed", "property removed")


@rule(REQUEST_BODY_PROPERTY_ADDED, Level.INFO, Direction.REQUEST)
def request_body_property_added(pair: OperationPair) -> Iterator[Hit]:
    """An optional new property breaks nobody."""
    return schema_hits(pair, REQUEST_BODY, "property-added", "new optional property")


@rule(REQUEST_BODY_ADDITIONAL_PROPERTIES_DISALLOWED, Level.ERROR, Direction.REQUEST)
def request_body_additional_properties_disallowed(pair: OperationPair) -> Iterator[Hit]:
    """Clients sending extra fields, tolerated before, are now rejected."""
    return schema_hits(
        pair,
        REQUEST_BODY,
        "additional-properties-disallowed",
        "additional properties no longer allowed",
    )
