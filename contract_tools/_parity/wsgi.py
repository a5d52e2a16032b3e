"""A WSGI app called in process with an environ built here, as a WSGI server would build it."""

from __future__ import annotations

import contextlib
import io
import time
import traceback
from collections.abc import Iterator
from typing import Any
from urllib.parse import unquote_to_bytes

from contract_tools._parity.targets import (
    CLIENT,
    DEFAULT_HOST,
    AppLoader,
    Sender,
    _AppTarget,
    _crash,
    encode_header_value,
)
from contract_tools.models import Request, Response


class WSGITarget(_AppTarget):
    """Calls a WSGI app with an environ built here, as a WSGI server would."""

    def __init__(self, name: str, loader: AppLoader, *, fresh_per_case: bool = False) -> None:
        super().__init__(name, loader, fresh_per_case=fresh_per_case)
        self._exc_text: str | None = None
        self._probe_app: Any = None

    def open(self) -> None:
        if self._app is None:
            self._app = self._load()

    def close(self) -> None:
        self._app = None
        self._probe_app = None

    def _prepare(self, app: Any) -> None:
        config = getattr(app, "config", None)
        if isinstance(config, dict) and hasattr(app, "log_exception"):
            # Flask: let its own 500 handling answer (custom 500 handlers included) as in
            # production, but record the traceback instead of logging it to stderr.
            config["PROPAGATE_EXCEPTIONS"] = False

            def record(exc_info: Any) -> None:
                self._exc_text = "".join(traceback.format_exception(*exc_info))

            app.log_exception = record

    def send(self, request: Request) -> Response:
        return self._send(request, probe=False)

    def send_probe(self, request: Request) -> Response:
        return self._send(request, probe=True)

    def _send(self, request: Request, probe: bool) -> Response:
        which = self._instance_for(request, probe)
        if which == self._FRESH:
            app = self._load()
        elif which == self._PROBE:
            if self._probe_app is None:
                self._probe_app = self._load()
            app = self._probe_app
        else:
            if self._app is None:
                self.open()
            app = self._app
        return self._call(app, request)

    @contextlib.contextmanager
    def sequence_state(self) -> Iterator[Sender]:
        if not self.fresh_per_case:
            yield self.send
            return
        app = self._load()
        yield lambda request: self._call(app, request)

    def _call(self, app: Any, request: Request) -> Response:
        self._exc_text = None
        started = time.perf_counter()
        captured: dict[str, Any] = {}
        chunks: list[bytes] = []

        def start_response(
            status: str, headers: list[tuple[str, str]], exc_info: Any = None
        ) -> Any:
            captured["status"] = int(status.split(" ", 1)[0])
            captured["headers"] = [(str(k), str(v)) for k, v in headers]
            return chunks.append

        try:
            result = app(build_environ(request), start_response)
            try:
                chunks.extend(result)
            finally:
                close = getattr(result, "close", None)
                if close is not None:
                    close()
        except Exception:
            return _crash(500, started)
        if "status" not in captured:
            return Response(
                500,
                body=b"".join(chunks),
                elapsed=time.perf_counter() - started,
                crash="the app returned without calling start_response",
            )
        return Response(
            status=captured["status"],
            headers=tuple(captured["headers"]),
            body=b"".join(chunks),
            elapsed=time.perf_counter() - started,
            crash=self._exc_text,
        )


def build_environ(request: Request) -> dict[str, Any]:
    """A PEP 3333 environ for ``request``, as a WSGI server would build it."""
    host = request.header("host") or DEFAULT_HOST
    server_name, _, port = host.partition(":")
    environ: dict[str, Any] = {
        "REQUEST_METHOD": request.method,
        "SCRIPT_NAME": "",
        # WSGI strings are bytes decoded as latin-1 (PEP 3333), after percent-decoding.
        "PATH_INFO": unquote_to_bytes(request.path).decode("latin-1"),
        "QUERY_STRING": request.query_string,
        "RAW_URI": request.target,
        "REQUEST_URI": request.target,
        "SERVER_NAME": server_name,
        "SERVER_PORT": port or "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": CLIENT[0],
        "REMOTE_PORT": str(CLIENT[1]),
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(request.body),
        "wsgi.errors": io.StringIO(),
        "wsgi.multithread": False,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }
    for name, value in request.headers:
        text = encode_header_value(value).decode("latin-1")
        key = name.upper().replace("-", "_")
        if key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
            environ[key] = text
            continue
        key = "HTTP_" + key
        # Repeated headers are joined with a comma, as WSGI servers do.
        environ[key] = f"{environ[key]},{text}" if key in environ else text
    return environ
