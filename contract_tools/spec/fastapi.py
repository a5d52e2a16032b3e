"""Get the OpenAPI document a FastAPI (or any ASGI) app serves, or fetch one from a URL."""

from __future__ import annotations

import asyncio
import copy
import json
from typing import Any

import httpx
import yaml

from contract_tools.errors import SpecLoadError

DEFAULT_TIMEOUT = 10.0


def fastapi_spec(app: Any, *, openapi_url: str = "/openapi.json") -> dict[str, Any]:
    """``app.openapi()`` for FastAPI (complete even with lazily included routers); for other
    ASGI apps, the document served at ``openapi_url``."""
    openapi = getattr(app, "openapi", None)
    if callable(openapi):
        try:
            doc = openapi()
        except Exception as exc:
            raise SpecLoadError(f"app.openapi() raised {type(exc).__name__}: {exc}") from exc
        # FastAPI caches the dict on the app; a copy keeps our edits out of its answers.
        doc = copy.deepcopy(doc)
        root_path = getattr(app, "root_path", "") or ""
        if root_path and not doc.get("servers"):
            # FastAPI only adds root_path to servers when serving /openapi.json to a request.
            doc["servers"] = [{"url": root_path}]
        return _require_mapping(doc, "app.openapi()")
    return _asgi_spec(app, openapi_url)


def _asgi_spec(app: Any, openapi_url: str) -> dict[str, Any]:
    async def fetch() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            return await client.get(openapi_url)

    try:
        response = asyncio.run(fetch())
    except Exception as exc:
        raise SpecLoadError(
            f"ASGI app failed to serve {openapi_url}: {type(exc).__name__}: {exc}"
        ) from exc
    if response.status_code != 200:
        raise SpecLoadError(
            f"ASGI app answered {openapi_url} with HTTP {response.status_code}; "
            "it does not serve an OpenAPI document there"
        )
    return parse_body(response.text, openapi_url)


def fetch_spec_url(url: str, *, timeout: float = DEFAULT_TIMEOUT) -> dict[str, Any]:
    """GET ``url`` (following redirects) and parse the body as JSON or YAML."""
    try:
        response = httpx.get(url, timeout=timeout, follow_redirects=True)
    except httpx.TimeoutException:
        raise SpecLoadError(f"{url}: no answer within {timeout:g} s") from None
    except httpx.ConnectError as exc:
        raise SpecLoadError(f"{url}: cannot connect ({_reason(exc)})") from None
    except httpx.UnsupportedProtocol:
        raise SpecLoadError(f"{url}: unsupported URL scheme") from None
    except httpx.HTTPError as exc:
        raise SpecLoadError(f"{url}: request failed ({_reason(exc)})") from None
    if response.status_code >= 400:
        raise SpecLoadError(f"{url}: HTTP {response.status_code} {response.reason_phrase}".rstrip())
    return parse_body(response.text, url)


def parse_body(text: str, where: str) -> dict[str, Any]:
    """JSON first (what servers send), YAML second; neither gives a one-line error."""
    try:
        doc = json.loads(text)
    except ValueError:
        try:
            doc = yaml.safe_load(text)
        except yaml.YAMLError:
            snippet = text.strip()[:40].replace("\n", " ")
            raise SpecLoadError(
                f"{where}: body is neither JSON nor YAML (starts with {snippet!r})"
            ) from None
    return _require_mapping(doc, where)


def _require_mapping(doc: Any, where: str) -> dict[str, Any]:
    if not isinstance(doc, dict):
        raise SpecLoadError(f"{where}: expected an OpenAPI document, got {type(doc).__name__}")
    return doc


def _reason(exc: Exception) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__
