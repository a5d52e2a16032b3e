"""The in-process ASGI target: one event loop, the lifespan run, crashes and hangs as outcomes."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from contract_tools._parity.asgi import ASGITarget
from contract_tools._parity.session import target_for_factory
from contract_tools.models import Request


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
