"""Turn a BASE/REVISION argument (file, URL or app reference) into an OpenAPI document."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from contract_tools.apps import AppKind, AppRef, app_kind, is_app_reference
from contract_tools.documents import DocumentError, check_depth, load_json, load_yaml
from contract_tools.errors import SpecLoadError
from contract_tools.spec.fastapi import fastapi_spec, fetch_spec_url
from contract_tools.spec.structure import Problem, check_structure


def load_spec(text: str, app_dir: str | None = None) -> dict[str, Any]:
    """Load ``text`` as a URL, an app reference or a spec file and check it is OpenAPI 3."""
    if text.startswith(("http://", "https://")):
        doc = fetch_spec_url(text)
    elif is_app_reference(text) and not Path(text).exists():
        doc = spec_from_app(text, app_dir)
    else:
        doc = read_spec_file(text)
    check_openapi(doc, text)
    return doc


def spec_from_app(text: str, app_dir: str | None = None) -> dict[str, Any]:
    app = AppRef.parse(text, app_dir).load()
    kind = app_kind(app)
    if kind is AppKind.FLASK:
        # Imported here: the Flask extractor pulls in Flask and Werkzeug.
        from contract_tools.spec.flask import build_flask_spec

        return build_flask_spec(app).document
    if kind in (AppKind.FASTAPI, AppKind.ASGI):
        return fastapi_spec(app)
    raise SpecLoadError(
        f"{text}: a plain WSGI app has no OpenAPI document to read (Flask and ASGI apps do)"
    )


def read_spec_file(path: str) -> dict[str, Any]:
    file = Path(path)
    try:
        content = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SpecLoadError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SpecLoadError(f"{path}: cannot read ({exc})") from None
    try:
        if file.suffix.lower() == ".json" or content.lstrip().startswith("{"):
            doc = load_json(content)
        else:
            doc = load_yaml(content, as_json=True)
    except DocumentError as exc:
        raise SpecLoadError(f"{exc.where(path)}: {exc.problem}") from None
    if not isinstance(doc, dict):
        raise SpecLoadError(f"{path}: not an OpenAPI document (top level is not a mapping)")
    return doc


def check_openapi(doc: Any, where: str) -> None:
    """Enough structure to diff: OpenAPI 3.x, ``paths``, and every part the diff reads shaped as
    OpenAPI says (``structure``), ``$ref``s resolvable; else one line naming the JSON pointer."""
    if not isinstance(doc, dict):
        raise SpecLoadError(f"{where}: not an OpenAPI document (top level is not a mapping)")
    if "swagger" in doc and "openapi" not in doc:
        raise SpecLoadError(f"{where}: Swagger 2.0 is not supported; convert it to OpenAPI 3")
    version = doc.get("openapi")
    if not isinstance(version, str) or not version.startswith("3."):
        raise SpecLoadError(f"{where}: not an OpenAPI 3 document (no 'openapi: 3.x' key)")
    if not isinstance(doc.get("paths"), dict):
        raise SpecLoadError(f"{where}: not an OpenAPI document (no 'paths' mapping)")
    try:
        check_depth(doc)  # an app's own document too: nothing below recurses past this
        check_structure(doc)
    except DocumentError as exc:
        raise SpecLoadError(f"{where}: {exc.problem}") from None
    except Problem as exc:
        raise SpecLoadError(f"{where}: {exc}") from None
