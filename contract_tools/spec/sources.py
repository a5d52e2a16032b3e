"""Turn a BASE/REVISION argument (file, URL or app reference) into an OpenAPI document."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from contract_tools.apps import AppKind, AppRef, app_kind, is_app_reference
from contract_tools.errors import SpecLoadError
from contract_tools.spec.fastapi import fastapi_spec, fetch_spec_url


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
    if file.suffix.lower() == ".json" or content.lstrip().startswith("{"):
        try:
            doc = json.loads(content)
        except json.JSONDecodeError as exc:
            raise SpecLoadError(
                f"{path}:{exc.lineno}:{exc.colno}: invalid JSON: {exc.msg}"
            ) from None
    else:
        try:
            doc = yaml.safe_load(content)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else path
            problem = exc.problem or exc.context or "syntax error"
            raise SpecLoadError(f"{where}: invalid YAML: {problem}") from None
        except yaml.YAMLError as exc:
            raise SpecLoadError(f"{path}: invalid YAML: {exc}") from None
    if not isinstance(doc, dict):
        raise SpecLoadError(f"{path}: not an OpenAPI document (top level is not a mapping)")
    return doc


def check_openapi(doc: Any, where: str) -> None:
    """Enough structure to diff: OpenAPI 3.x, ``paths``, and every internal ``$ref`` resolvable."""
    if not isinstance(doc, dict):
        raise SpecLoadError(f"{where}: not an OpenAPI document (top level is not a mapping)")
    if "swagger" in doc and "openapi" not in doc:
        raise SpecLoadError(f"{where}: Swagger 2.0 is not supported; convert it to OpenAPI 3")
    version = doc.get("openapi")
    if not isinstance(version, str) or not version.startswith("3."):
        raise SpecLoadError(f"{where}: not an OpenAPI 3 document (no 'openapi: 3.x' key)")
    if not isinstance(doc.get("paths"), dict):
        raise SpecLoadError(f"{where}: not an OpenAPI document (no 'paths' mapping)")
    for ref in _refs(doc):
        if not _resolves(doc, ref):
            raise SpecLoadError(f"{where}: unresolvable $ref {ref!r}")


def _refs(node: Any) -> Iterator[str]:
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, dict):
            ref = current.get("$ref")
            if isinstance(ref, str):
                yield ref
            stack.extend(current.values())
        elif isinstance(current, list):
            stack.extend(current)


def _resolves(doc: Any, ref: str) -> bool:
    if not ref.startswith("#"):
        return False  # external references are not followed
    node = doc
    for raw in ref[1:].split("/")[1:]:
        part = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return False
    return True
