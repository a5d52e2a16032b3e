"""What particular writers put in a document that is not contract: FastAPI's automatic 422
``HTTPValidationError`` response, and flask-spec's draft markers (what it could not see) and
learned responses (what it saw, not what was declared).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

VALIDATION_SCHEMA = "HTTPValidationError"
# flask-spec marks what an unannotated app cannot tell; absence there is not a contract.
DRAFT = "x-contract-tools-draft"
# flask-spec --learn marks what it saw the app answer: observations, not declarations.
SOURCE = "x-contract-tools-source"
LEARNED = "x-contract-tools-learned"


def draft_unknown(doc: Mapping[str, Any]) -> frozenset[str]:
    """What the document's own draft marker says the draft could not see."""
    draft = doc.get(DRAFT)
    unknown = draft.get("unknown") if isinstance(draft, Mapping) else None
    # Only names: a hand-edited marker may hold anything, and a list in it is unhashable.
    return (
        frozenset(u for u in unknown if isinstance(u, str))
        if isinstance(unknown, list)
        else frozenset()
    )


def operation_unknown(operation: Mapping[str, Any]) -> list[str]:
    """What an operation's own draft marker says the draft could not see."""
    marker = operation.get(DRAFT)
    unknown = marker.get("unknown") if isinstance(marker, Mapping) else None
    return [u for u in unknown if isinstance(u, str)] if isinstance(unknown, list) else []


def validation_artefact(status: str, content: Any) -> bool:
    """FastAPI adds a 422 ``HTTPValidationError`` response to every operation with inputs."""
    artefact = False
    if status == "422" and isinstance(content, Mapping):
        for media in content.values():
            schema = (media or {}).get("schema") or {}
            ref = schema.get("$ref", "") if isinstance(schema, Mapping) else ""
            if ref.rsplit("/", 1)[-1] == VALIDATION_SCHEMA:
                artefact = True
    return artefact


def observed(content: Any) -> dict[str, int]:
    """flask-spec --learn: cases seen per media type of a learned response."""
    found = {}
    if isinstance(content, Mapping):
        for media, value in content.items():
            learned = value.get(LEARNED) if isinstance(value, Mapping) else None
            if isinstance(learned, Mapping) and isinstance(learned.get("cases"), int):
                found[str(media).lower()] = learned["cases"]
    return found
