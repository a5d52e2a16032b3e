from __future__ import annotations

import asyncio
from typing import Any

import pytest
from flask import Flask, request

from contract_tools.parity.exchange import Request
from contract_tools.parity.targets import (
    ASGITarget,
    WSGITarget,
    build_environ,
    target_for_app,
    target_for_factory,
)


def _echo_flask() -> Flask:
    app = Flask(__name__)

    @app.route("/<path:rest>", methods=["GET", "POST"])
    def echo(rest: str) -> Any:
        return {
            "path": request.environ["PATH_INFO"],
            "raw": request.environ["RAW_URI"],
            "headers": sorted(k for k, _ in request.headers),
            "body": request.get_data(as_text=True),
        }

    @app.get("/boom")
    def boom() -> Any:
        raise ZeroDivisionError("boom")

    return app


def test_environ_is_built_from_the_raw_request() -> None:
    req = Request.build(
        "POST",
        "//items/%C3%A9",
        query=[("a", "1")],
        headers=[("Host", "h:81"), ("X-A", "1"), ("x-a", "2"), ("Content-Type", "text/plain")],
        body=b"hi",
    )
    environ = build_environ(req)
    assert environ["PATH_INFO"] == "//items/\xc3\xa9"
    assert environ["QUERY_STRING"] == "a=1"
    assert (environ["SERVER_NAME"], environ["SERVER_PORT"]) == ("h", "81")
    assert environ["HTTP_X_A"] == "1,2"
    assert environ["CONTENT_TYPE"] == "text/plain"
    assert environ["wsgi.input"].read() == b"hi"


def test_wsgi_target_sends_double_slash_path_and_no_extra_headers() -> None:
    target = target_for_app(_echo_flask())
    with target:
        response = target.send(Request.build("GET", "//x/y", headers=[("Host", "localhost")]))
    assert response.status == 200
    assert response.json()[1] == {"path": "//x/y", "raw": "//x/y", "headers": ["Host"], "body": ""}


def test_wsgi_exception_is_a_crash_outcome() -> None:
    target = target_for_app(_echo_flask())
    with target:
        response = target.send(Request.build("GET", "/boom"))
    assert response.status == 500
    assert response.crash is not None and "ZeroDivisionError: boom" in response.crash


def test_plain_wsgi_app_raising_is_a_crash() -> None:
    def app(environ: dict[str, Any], start_response: Any) -> Any:
        raise RuntimeError("bare")

    target = WSGITarget("bare", lambda: app)
    response = target.send(Request.build("GET", "/"))
    assert response.status == 500
    assert response.crash is not None and "RuntimeError: bare" in response.crash


class _LifespanApp:
    """Counts lifespan events and answers with the state the lifespan set up."""

    def __init__(self, log: list[str]) -> None:
        self.log = log

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                self.log.append(message["type"])
                if message["type"] == "lifespan.startup":
                    scope["state"]["db"] = "ready"
                    await send({"type": "lifespan.startup.complete"})
                else:
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        if scope["path"] == "/boom":
            raise ValueError("async boom")
        if scope["path"] == "/hang":
            await asyncio.sleep(60)
        body = f"{scope['state']['db']} {scope['raw_path'].decode()}".encode()
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [(b"content-type", b"text/plain")],
            }
        )
        await send({"type": "http.response.body", "body": body})


def test_asgi_target_runs_lifespan_in_one_loop() -> None:
    log: list[str] = []
    target = ASGITarget("lifespan", lambda: _LifespanApp(log))
    with target:
        first = target.send(Request.build("GET", "//a"))
        second = target.send(Request.build("GET", "/b"))
    assert (first.status, first.body, second.body) == (200, b"ready //a", b"ready /b")
    assert log == ["lifespan.startup", "lifespan.shutdown"]


def test_asgi_factory_target_builds_a_fresh_app_per_unsafe_request_and_probe() -> None:
    log: list[str] = []
    target = target_for_factory(lambda: _LifespanApp(log))
    with target:
        target.send(Request.build("GET", "/a"))
        target.send(Request.build("GET", "/b"))
        assert log == ["lifespan.startup"]  # both GETs: the one pristine instance
        target.send(Request.build("POST", "/a"))
        target.send_probe(Request.build("POST", "/a"))
        assert log == ["lifespan.startup"] + ["lifespan.startup", "lifespan.shutdown"] * 2
        # Safe probes: a second pristine instance, built once and kept until close.
        target.send_probe(Request.build("GET", "/a"))
        target.send_probe(Request.build("GET", "/b"))
        assert log == ["lifespan.startup"] * 2 + ["lifespan.shutdown", "lifespan.startup"] * 2
    assert target.fresh_per_case
    assert log[-2:] == ["lifespan.shutdown"] * 2  # both kept instances shut down


def test_wsgi_factory_target_isolates_state_changing_requests() -> None:
    built: list[Flask] = []

    def factory() -> Flask:
        app = _echo_flask()
        built.append(app)
        return app

    target = target_for_factory(factory)
    built.clear()
    with target:
        target.send(Request.build("GET", "/a"))
        target.send(Request.build("GET", "/b"))
        target.send(Request.build("POST", "/a"))
        target.send(Request.build("POST", "/a"))
        target.send_probe(Request.build("GET", "/a"))
        target.send_probe(Request.build("GET", "/b"))
        assert len(built) == 4  # shared, two POSTs, one kept instance for safe probes
        target.send_probe(Request.build("POST", "/a"))
    assert len(built) == 5  # a state-changing probe always gets its own app
    assert len({id(app) for app in built}) == 5


def test_asgi_exception_and_hang_are_crash_outcomes() -> None:
    target = ASGITarget("app", lambda: _LifespanApp([]), timeout=0.2)
    with target:
        crashed = target.send(Request.build("GET", "/boom"))
        hung = target.send(Request.build("GET", "/hang"))
    assert crashed.status == 500 and crashed.crash is not None
    assert "ValueError: async boom" in crashed.crash
    assert hung.status == 500 and hung.crash == "no complete answer within 0.2s"


def test_asgi_app_without_lifespan_support() -> None:
    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        assert scope["type"] == "http"
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    target = ASGITarget("nolifespan", lambda: app)
    with target:
        assert target.send(Request.build("GET", "/")).status == 204


def test_a_failing_lifespan_is_one_line() -> None:
    from contextlib import asynccontextmanager

    from fastapi import FastAPI

    from contract_tools.errors import AppLoadError

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> Any:
        raise RuntimeError("database unreachable")
        yield

    target = ASGITarget("failing", lambda: FastAPI(lifespan=lifespan))
    with pytest.raises(AppLoadError) as info:
        target.open()
    assert str(info.value) == "ASGI lifespan startup failed: RuntimeError: database unreachable"
    target.close()
