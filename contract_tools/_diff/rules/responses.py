"""Responses: which statuses and media types come back, and what their bodies promise."""

from __future__ import annotations

from collections.abc import Iterator

from contract_tools._diff.pair import RESPONSE_BODY, OperationPair
from contract_tools._diff.registry import Direction, Hit, rule
from contract_tools._diff.rules._helpers import observed, observed_note, schema_hits
from contract_tools.models import Level
from contract_tools.spec.canonical import Operation

RESPONSE_SUCCESS_STATUS_REMOVED = "response-success-status-removed"
RESPONSE_STATUS_REMOVED = "response-status-removed"
RESPONSE_STATUS_ADDED = "response-status-added"
RESPONSE_VALIDATION_STATUS_REPLACED = "response-validation-status-replaced"
RESPONSE_MEDIA_TYPE_REMOVED = "response-media-type-removed"
RESPONSE_MEDIA_TYPE_ADDED = "response-media-type-added"
RESPONSE_SCHEMA_UNCONTRACTED = "response-schema-uncontracted"
RESPONSE_HEADER_REMOVED = "response-header-removed"
RESPONSE_BODY_TYPE_CHANGED = "response-body-type-changed"
RESPONSE_BODY_BECAME_NULLABLE = "response-body-became-nullable"
RESPONSE_BODY_ENUM_WIDENED = "response-body-enum-widened"
RESPONSE_BODY_PROPERTY_REMOVED = "response-body-property-removed"
RESPONSE_BODY_OPTIONAL_PROPERTY_REMOVED = "response-body-optional-property-removed"
RESPONSE_BODY_PROPERTY_BECAME_OPTIONAL = "response-body-property-became-optional"
RESPONSE_BODY_PROPERTY_ADDED = "response-body-property-added"
RESPONSE_BODY_FORMAT_CHANGED = "response-body-format-changed"

# Statuses a Flask service typically answers invalid input with, before FastAPI's 422.
_LEGACY_VALIDATION = ("400", "415", "422")


def _replaced_by_validation(base: Operation, revision: Operation) -> list[str]:
    """Legacy validation statuses the revision dropped while gaining FastAPI's automatic 422."""
    artefact = revision.responses.get("422")
    if artefact is None or not artefact.validation_artefact:
        return []
    return [s for s in _LEGACY_VALIDATION if s in base.responses and s not in revision.responses]


def _removed_statuses(pair: OperationPair, success: bool) -> Iterator[Hit]:
    both = pair.both
    if both is None:
        return
    base, revision = both
    replaced = _replaced_by_validation(base, revision)
    for status in base.responses:
        # ``default`` promises no particular status (Flask drafts use it): nothing to lose.
        if status in revision.responses or status in replaced or status == "default":
            continue
        if status.startswith("2") == success:
            details: dict[str, object] = {"status": status}
            seen = observed(pair, status)
            note = f" {observed_note(seen)}" if seen else ""
            if seen:
                details["observed"] = seen
            yield Hit(f"response status {status} was removed{note}", details)


@rule(RESPONSE_SUCCESS_STATUS_REMOVED, Level.ERROR, Direction.RESPONSE)
def response_success_status_removed(pair: OperationPair) -> Iterator[Hit]:
    """Clients that check for the old success status treat every answer as a failure."""
    return _removed_statuses(pair, success=True)


@rule(RESPONSE_STATUS_REMOVED, Level.WARNING, Direction.RESPONSE)
def response_status_removed(pair: OperationPair) -> Iterator[Hit]:
    """Clients handling that error status will see some other status for the same situation."""
    return _removed_statuses(pair, success=False)


@rule(RESPONSE_STATUS_ADDED, Level.INFO, Direction.RESPONSE)
def response_status_added(pair: OperationPair) -> Iterator[Hit]:
    """Clients may not handle the new status; FastAPI's automatic 422 is not counted here."""
    both = pair.both
    if both is None:
        return
    base, revision = both
    if "default" in base.responses:
        return  # the base's ``default`` response already stood for every other status
    for status, response in revision.responses.items():
        if status not in base.responses and not response.validation_artefact:
            yield Hit(f"response status {status} was added", {"status": status})


@rule(RESPONSE_VALIDATION_STATUS_REPLACED, Level.WARNING, Direction.RESPONSE)
def response_validation_status_replaced(pair: OperationPair) -> Iterator[Hit]:
    """Clients that detect bad input by 400/415 now get FastAPI's 422 with another body shape."""
    both = pair.both
    if both is None:
        return
    replaced = _replaced_by_validation(*both)
    if replaced:
        yield Hit(
            f"invalid input answered by FastAPI's automatic 422 instead of {', '.join(replaced)}",
            {"base": replaced, "revision": "422"},
        )


@rule(RESPONSE_MEDIA_TYPE_REMOVED, Level.ERROR, Direction.RESPONSE)
def response_media_type_removed(pair: OperationPair) -> Iterator[Hit]:
    """Clients asking for (or parsing) that media type no longer get it."""
    both = pair.both
    if both is None:
        return
    for status, response in both[0].responses.items():
        other = both[1].responses.get(status)
        if other is None:
            continue
        for media in response.content:
            if media not in other.content:
                details: dict[str, object] = {"status": status, "media_type": media}
                seen = observed(pair, status, media)
                if seen:
                    details["observed"] = seen
                note = f" {observed_note(seen)}" if seen else ""
                yield Hit(f"response {status} media type {media} was removed{note}", details)


@rule(RESPONSE_MEDIA_TYPE_ADDED, Level.INFO, Direction.RESPONSE)
def response_media_type_added(pair: OperationPair) -> Iterator[Hit]:
    """An extra media type only matters to clients that negotiate for it."""
    both = pair.both
    if both is None:
        return
    for status, response in both[1].responses.items():
        old = both[0].responses.get(status)
        if old is None:
            continue
        for media in response.content:
            if media not in old.content:
                yield Hit(
                    f"response {status} media type {media} was added",
                    {"status": status, "media_type": media},
                )


@rule(RESPONSE_SCHEMA_UNCONTRACTED, Level.WARNING, Direction.RESPONSE)
def response_schema_uncontracted(pair: OperationPair) -> Iterator[Hit]:
    """The revision declares no response schema (FastAPI without response_model): nothing it
    returns can be checked against the base, so any change there goes unnoticed."""
    revision = pair.revision
    if revision is None or pair.base is None:
        return
    for status, response in revision.responses.items():
        empty = [media for media, schema in response.content.items() if not schema]
        if empty:
            yield Hit(
                f"response {status} has no schema (no response_model): not compared",
                {"status": status, "media_type": empty[0]},
            )


@rule(RESPONSE_HEADER_REMOVED, Level.WARNING, Direction.RESPONSE)
def response_header_removed(pair: OperationPair) -> Iterator[Hit]:
    """Clients reading the header (Location, ETag, rate limits ...) find it missing."""
    both = pair.both
    if both is None:
        return
    for status, response in both[0].responses.items():
        other = both[1].responses.get(status)
        if other is None:
            continue
        for name, header in response.headers.items():
            if name not in other.headers:
                yield Hit(
                    f"response {status} header {header.name!r} was removed",
                    {"status": status, "header": header.name},
                )


@rule(RESPONSE_BODY_TYPE_CHANGED, Level.ERROR, Direction.RESPONSE)
def response_body_type_changed(pair: OperationPair) -> Iterator[Hit]:
    """Clients parse the old type and fail (or misread) on the new one."""
    return schema_hits(pair, RESPONSE_BODY, "type-changed", "type {base} -> {revision}")


@rule(RESPONSE_BODY_BECAME_NULLABLE, Level.ERROR, Direction.RESPONSE)
def response_body_became_nullable(pair: OperationPair) -> Iterator[Hit]:
    """Clients that never expected null crash or misbehave when it arrives."""
    return schema_hits(pair, RESPONSE_BODY, "became-nullable", "may now be null")


@rule(RESPONSE_BODY_ENUM_WIDENED, Level.ERROR, Direction.RESPONSE)
def response_body_enum_widened(pair: OperationPair) -> Iterator[Hit]:
    """Clients switching over the known values meet one they cannot handle."""
    return schema_hits(pair, RESPONSE_BODY, "enum-widened", "enum {base} -> {revision}")


@rule(RESPONSE_BODY_PROPERTY_REMOVED, Level.ERROR, Direction.RESPONSE)
def response_body_property_removed(pair: OperationPair) -> Iterator[Hit]:
    """Clients reading a property that was always there now find it missing."""
    return schema_hits(pair, RESPONSE_BODY, "property-removed", "required property removed")


@rule(RESPONSE_BODY_OPTIONAL_PROPERTY_REMOVED, Level.WARNING, Direction.RESPONSE)
def response_body_optional_property_removed(pair: OperationPair) -> Iterator[Hit]:
    """Clients using the property when present will never see it again."""
    return schema_hits(
        pair, RESPONSE_BODY, "optional-property-removed", "optional property removed"
    )


@rule(RESPONSE_BODY_PROPERTY_BECAME_OPTIONAL, Level.ERROR, Direction.RESPONSE)
def response_body_property_became_optional(pair: OperationPair) -> Iterator[Hit]:
    """Clients that rely on the property being present break when it is left out."""
    return schema_hits(
        pair, RESPONSE_BODY, "property-became-optional", "property is no longer required"
    )


@rule(RESPONSE_BODY_PROPERTY_ADDED, Level.INFO, Direction.RESPONSE)
def response_body_property_added(pair: OperationPair) -> Iterator[Hit]:
    """Tolerant readers ignore new properties; strict deserialisers may not."""
    return schema_hits(pair, RESPONSE_BODY, "property-added", "new property")


@rule(RESPONSE_BODY_FORMAT_CHANGED, Level.WARNING, Direction.RESPONSE)
def response_body_format_changed(pair: OperationPair) -> Iterator[Hit]:
    """Clients parsing the old format (dates, numbers as strings ...) misread the value."""
    return schema_hits(pair, RESPONSE_BODY, "format-changed", "format {base} -> {revision}")
