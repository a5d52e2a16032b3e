"""A live server at a URL, reached with httpx sending exactly the built request, nothing more."""

from __future__ import annotations

import socket
import time
from typing import Any
from urllib.parse import urlsplit

from contract_tools._parity.targets import Target, _crash, encode_header_value
from contract_tools.errors import AppLoadError, UsageError
from contract_tools.models import Request, Response
from contract_tools.settings import DEFAULT_TIMEOUT


class URLTarget(Target):
    """A live server, reached with httpx sending exactly the built request and nothing more."""

    def __init__(self, base_url: str, *, timeout: float = DEFAULT_TIMEOUT) -> None:
        parts = urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise UsageError(f"{base_url!r} is not an http(s) URL")
        self.name = base_url
        self.base_url = base_url.rstrip("/")
        self._prefix = parts.path.rstrip("/")
        self.timeout = timeout
        self._client: Any = None

    def open(self) -> None:
        if self._client is None:
            import httpx

            self._reachable()
            self._client = httpx.Client(
                timeout=self.timeout, follow_redirects=False, trust_env=False
            )

    def _reachable(self) -> None:
        """A server that is not there is a target that did not load (exit 3), not a crash of
        every case: check once, before the first request."""
        parts = urlsplit(self.base_url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
        try:
            with socket.create_connection((parts.hostname or "", port), timeout=self.timeout):
                pass
        except OSError as exc:
            reason = exc.strerror or type(exc).__name__
            raise AppLoadError(f"{self.base_url}: cannot connect ({reason})") from None

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    def send(self, request: Request) -> Response:
        import httpx

        if self._client is None:
            self.open()
        started = time.perf_counter()
        # raw_path keeps '//' and '..' exactly; httpx.Request adds only Host and, for
        # POST/PUT/PATCH, Content-Length, both of which the generator already sets.
        url = httpx.URL(self.base_url).copy_with(
            raw_path=(self._prefix + request.target).encode("utf-8")
        )
        headers = [
            (name.encode("latin-1", "replace"), encode_header_value(v))
            for name, v in request.headers
        ]
        req = httpx.Request(request.method, url, headers=headers, content=request.body or None)
        try:
            resp = self._client.send(req, stream=True)
            try:
                # iter_raw: no decompression, exactly as the in-process targets see bodies.
                body = b"".join(resp.iter_raw())
            finally:
                resp.close()
        except httpx.ConnectError as exc:
            # The server went away during the run: nothing after this can be compared.
            raise AppLoadError(f"{self.base_url}: lost the connection ({exc})") from None
        except httpx.HTTPError:
            # A timeout or a dropped answer is what this server did with this request.
            return _crash(0, started)
        return Response(
            status=resp.status_code,
            headers=tuple((k.decode("latin-1"), v.decode("latin-1")) for k, v in resp.headers.raw),
            body=body,
            elapsed=time.perf_counter() - started,
        )
