"""The in-process ASGI target: one event loop, the lifespan run, crashes and hangs as outcomes."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from contract_tools._parity.asgi import ASGITarget
from contract_tools._parity.session import target_for_factory
from contract_tools.models import Request

ROOT = Path(__file__).resolve().parents[2]


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
    assert hung.status == 0 and hung.no_answer == "no complete answer within 0.2s"


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


def _blocking_fastapi() -> Any:
    import sys
    import time
    from contextlib import asynccontextmanager

    from fastapi import FastAPI

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> Any:
        yield
        raise RuntimeError("could not flush the cache")

    app = FastAPI(lifespan=lifespan)

    @app.get("/block")
    async def block() -> dict[str, str]:
        time.sleep(1.5)  # blocks the event loop: wait_for inside the loop cannot fire
        return {"late": "yes"}

    @app.get("/exit")
    async def leave() -> None:
        sys.exit(0)

    @app.get("/ok")
    async def ok() -> dict[str, str]:
        return {"ok": "yes"}

    return app


def test_an_app_that_blocks_its_loop_is_no_answer_and_the_next_call_works() -> None:
    # In its own process: CPython 3.11's AST recursion counter is shared by threads
    # (python/cpython#106905), and a loop thread left behind upsets pytest's assertion
    # rewriting later in the session. The tool itself parses nothing after a run.
    script = (
        "import json\n"
        "from contract_tools._parity.asgi import ASGITarget\n"
        "from contract_tools.models import Request\n"
        "from tests.parity.test_asgi import _blocking_fastapi\n"
        "target = ASGITarget('blocking', _blocking_fastapi, timeout=0.2)\n"
        "with target:\n"
        "    blocked = target.send(Request.build('GET', '/block'))\n"
        "    after = target.send(Request.build('GET', '/ok'))\n"
        "print(json.dumps([blocked.status, blocked.no_answer, after.status,\n"
        "                  after.body.decode()]))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, cwd=ROOT
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [
        0,
        "the app blocked its event loop for over 0.2s",
        200,
        '{"ok":"yes"}',
    ]
    assert result.stderr == ""  # nothing from asyncio about tasks left behind


def test_sys_exit_in_an_endpoint_is_a_crash() -> None:
    with ASGITarget("fastapi", _blocking_fastapi) as target:
        response = target.send(Request.build("GET", "/exit"))
    assert response.status == 500 and response.crash is not None
    assert "SystemExit" in response.crash


def test_a_failing_lifespan_shutdown_is_said_not_raised() -> None:
    target = ASGITarget("fastapi", _blocking_fastapi)
    target.open()
    target.close()  # does not raise: the run's findings must still be written
    assert target.close_problems == [
        "fastapi: ASGI lifespan shutdown failed: RuntimeError: could not flush the cache"
    ]
