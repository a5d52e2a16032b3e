"""A live server at a URL, reached with httpx sending exactly the built request, nothing more."""

from __future__ import annotations

import socket
import time
from typing import Any
from urllib.parse import urlsplit

from contract_tools._parity.targets import MAX_BODY_BYTES, Target, encode_header_value, no_answer
from contract_tools.errors import AppLoadError, UsageError
from contract_tools.models import Request, Response
from contract_tools.settings import DEFAULT_TIMEOUT

# RFC 9110 9.2.2: sending one of these twice has the effect of sending it once.
IDEMPOTENT = frozenset({"GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE"})


class URLTarget(Target):
    """A live server, reached through httpx's transport: exactly the built request, nothing more.

    The transport, not a client: a client follows (or prepares to follow) redirects and keeps
    cookies, and httpx raised building the redirect of a 3xx whose Set-Cookie is not ASCII. A
    transport sends the request and returns the answer as it came.

    A kept-alive connection the server closes just as a request is written gives no answer
    through no fault of either app (RFC 9112 9.3.1). An idempotent request is sent once more
    on a new connection when that happens before any byte of an answer; any other request goes
    on a connection of its own, never a kept one, since sending it twice could act twice.
    """

    waits_on_network = True

    def __init__(self, base_url: str, *, timeout: float = DEFAULT_TIMEOUT) -> None:
        parts = urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise UsageError(f"{base_url!r} is not an http(s) URL")
        self.name = base_url
        self.reference = base_url  # a URL is all a worker process needs to reach the server
        self.base_url = base_url.rstrip("/")
        self._prefix = parts.path.rstrip("/")
        self.timeout = timeout
        self._transport: Any = None  # connections kept alive, for idempotent requests
        self._fresh: Any = None  # a new connection per request

    @property
    def host(self) -> str:
        return urlsplit(self.base_url).hostname or ""

    def open(self) -> None:
        if self._transport is None:
            import httpx

            self._reachable()
            self._transport = httpx.HTTPTransport(retries=0, trust_env=False)
            self._fresh = httpx.HTTPTransport(
                retries=0, trust_env=False, limits=httpx.Limits(max_keepalive_connections=0)
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
        for transport in (self._transport, self._fresh):
            if transport is not None:
                transport.close()
        self._transport = self._fresh = None

    def send(self, request: Request) -> Response:
        import httpx

        if self._transport is None:
            self.open()
        started = time.perf_counter()
        deadline = started + self.timeout
        try:
            # raw_path keeps '//' and '..' exactly; the request carries the generator's own
            # Host and Content-Length, and httpx adds nothing a header list already has.
            url = httpx.URL(self.base_url).copy_with(
                raw_path=(self._prefix + request.target).encode("utf-8")
            )
            headers = [
                (name.encode("latin-1", "replace"), encode_header_value(v))
                for name, v in request.headers
            ]
            req = httpx.Request(request.method, url, headers=headers, content=request.body or None)
            req.extensions["timeout"] = httpx.Timeout(self.timeout).as_dict()
            resp = self._exchange(req, request.method.upper() in IDEMPOTENT)
            try:
                body = self._read(resp, deadline)
            finally:
                resp.close()
        except httpx.ConnectError as exc:
            # The server went away during the run: nothing after this can be compared.
            raise AppLoadError(f"{self.base_url}: lost the connection ({exc})") from None
        except (httpx.HTTPError, httpx.InvalidURL, ValueError) as exc:
            # A timeout, a dropped answer, a request the client would not send: no answer.
            return no_answer(f"{type(exc).__name__}: {exc}".rstrip(": "), started)
        except _TooSlow:
            return no_answer(f"the answer did not complete within {self.timeout:g}s", started)
        return Response(
            status=resp.status_code,
            headers=tuple((k.decode("latin-1"), v.decode("latin-1")) for k, v in resp.headers.raw),
            body=body,
            elapsed=time.perf_counter() - started,
        )

    def _exchange(self, req: Any, idempotent: bool) -> Any:
        """The answer's head, from a kept connection and again from a new one if that one was
        closed under the request (idempotent requests); others from a new connection."""
        import httpx

        if not idempotent:
            return self._fresh.handle_request(req)
        try:
            return self._transport.handle_request(req)
        except (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError):
            # Nothing of an answer came: the connection, not the server's answer, failed.
            return self._fresh.handle_request(req)

    def _read(self, resp: Any, deadline: float) -> bytes:
        """The raw body (no decompression, as in-process targets see bodies), within one total
        deadline: a read timeout bounds each chunk, not a body trickling a byte a second."""
        chunks: list[bytes] = []
        size = 0
        for chunk in resp.stream:
            chunks.append(chunk)
            size += len(chunk)
            if size > MAX_BODY_BYTES:
                break  # an endless stream: what was read is the answer
            if time.perf_counter() > deadline:
                raise _TooSlow
        return b"".join(chunks)


class _TooSlow(Exception):
    """The body kept coming past the deadline."""
