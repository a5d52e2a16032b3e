"""Get the OpenAPI document a FastAPI (or any ASGI) app serves, or fetch one from a URL."""

from __future__ import annotations

import asyncio
import concurrent.futures
import copy
from collections.abc import Coroutine
from typing import Any, TypeVar

import httpx

from contract_tools.documents import DocumentError, load_json, load_yaml
from contract_tools.errors import SpecLoadError

DEFAULT_TIMEOUT = 10.0
# A spec read over HTTP is held in memory whole: an endless body must end as an error, not as
# gigabytes (the 10,000-rule draft of benchmarks/ is 23 MB).
MAX_SPEC_BYTES = 64 * 1024 * 1024
_T = TypeVar("_T")


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
        response = _run(fetch())
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


def fetch_spec_url(
    url: str, *, timeout: float = DEFAULT_TIMEOUT, max_bytes: int = MAX_SPEC_BYTES
) -> dict[str, Any]:
    """GET ``url`` (following redirects) and parse the body as JSON or YAML.

    ``timeout`` is one deadline for the whole read, redirects and body included: a read
    timeout alone bounds each chunk, and a body trickling a byte a second never ends. A body
    larger than ``max_bytes`` (decompressed) is refused as soon as it is.
    """
    state = _Read()
    try:
        text = _run(asyncio.wait_for(_read(url, timeout, max_bytes, state), timeout))
    except (asyncio.TimeoutError, httpx.TimeoutException):
        if state.answered:
            raise SpecLoadError(
                f"{url}: the answer did not complete within {timeout:g} s"
            ) from None
        raise SpecLoadError(f"{url}: no answer within {timeout:g} s") from None
    except httpx.ConnectError as exc:
        raise SpecLoadError(f"{url}: cannot connect ({_reason(exc)})") from None
    except httpx.UnsupportedProtocol:
        raise SpecLoadError(f"{url}: unsupported URL scheme") from None
    except httpx.HTTPError as exc:
        raise SpecLoadError(f"{url}: request failed ({_reason(exc)})") from None
    except _TooLarge:
        raise SpecLoadError(
            f"{url}: the document is larger than {_megabytes(max_bytes)}, the limit on a spec "
            "read over HTTP"
        ) from None
    return parse_body(text, url)


class _Read:
    """How far a fetch got: an answer that started, then stalled, is not "no answer"."""

    answered = False


class _TooLarge(Exception):
    pass


async def _read(url: str, timeout: float, max_bytes: int, state: _Read) -> str:
    async with (
        httpx.AsyncClient(timeout=timeout, follow_redirects=True) as client,
        client.stream("GET", url) as response,
    ):
        state.answered = True
        if response.status_code >= 400:
            raise SpecLoadError(
                f"{url}: HTTP {response.status_code} {response.reason_phrase}".rstrip()
            )
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > max_bytes:
            raise _TooLarge
        chunks: list[bytes] = []
        size = 0
        async for chunk in response.aiter_bytes():
            size += len(chunk)
            if size > max_bytes:
                raise _TooLarge
            chunks.append(chunk)
        return b"".join(chunks).decode(response.encoding or "utf-8", errors="replace")


def _run(coroutine: Coroutine[Any, Any, _T]) -> _T:
    """Run ``coroutine`` to its end from synchronous code, also where an event loop already
    runs in this thread (a notebook): then in a thread of its own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):g} MB"


def parse_body(text: str, where: str) -> dict[str, Any]:
    """JSON first (what servers send), YAML second; neither gives a one-line error."""
    try:
        doc = load_json(text)
    except DocumentError as exc:
        if not exc.syntax:
            raise SpecLoadError(f"{exc.where(where)}: {exc.problem}") from None
        try:
            doc = load_yaml(text, as_json=True)
        except DocumentError as yaml_exc:
            if not yaml_exc.syntax:
                raise SpecLoadError(f"{yaml_exc.where(where)}: {yaml_exc.problem}") from None
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
