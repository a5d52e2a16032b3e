"""Validate an OpenAPI document and say what is wrong in one line (shared by every extractor)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from contract_tools.errors import SpecError


def validate_openapi(doc: Any, where: str) -> None:
    """Raise SpecError naming ``where`` and the first problem's JSON path."""
    # Imported lazily: the validator pulls in jsonschema and referencing, which cost ~0.3 s.
    from openapi_spec_validator import validate
    from openapi_spec_validator.validation.exceptions import (
        OpenAPIValidationError,
        ValidatorDetectError,
    )
    from referencing.exceptions import Unresolvable

    if not isinstance(doc, dict):
        raise SpecError(f"{where}: an OpenAPI document must be a mapping, not {type(doc).__name__}")
    try:
        validate(doc)
    except ValidatorDetectError:
        version = doc.get("openapi", doc.get("swagger"))
        raise SpecError(
            f"{where}: unsupported or missing OpenAPI version {version!r}"
            " (expected 'openapi: 3.0.x' or '3.1.x')"
        ) from None
    except OpenAPIValidationError as exc:
        raise SpecError(
            f"{where}: invalid OpenAPI at {_json_path(exc.absolute_path)}: "
            f"{_first_line(exc.message)}"
        ) from None
    except Unresolvable as exc:
        ref = str(getattr(exc, "ref", ""))
        ref = "#" + ref if ref.startswith("/") else ref
        raise SpecError(f"{where}: unresolvable $ref {ref!r}") from None
    except Exception as exc:  # the validator raises a few other ad-hoc errors (duplicate ids ...)
        raise SpecError(f"{where}: invalid OpenAPI: {_first_line(str(exc))}") from None


def _json_path(parts: Iterable[Any]) -> str:
    text = "$"
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        elif str(part).isidentifier():
            text += f".{part}"
        else:
            text += f"[{str(part)!r}]"
    return text


def _first_line(text: str) -> str:
    # jsonschema messages may embed whole instances over many lines; a CLI error is one line.
    line = text.strip().splitlines()[0] if text.strip() else "invalid"
    return line if len(line) <= 200 else line[:197] + "..."
