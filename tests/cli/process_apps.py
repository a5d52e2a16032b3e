"""Apps that test the CLI as a process: they print, hang, and fail on the way out."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from flask import Flask

print("an app module that prints at import")  # must not reach a document on stdout


def create_flask() -> Flask:
    app = Flask(__name__)

    @app.get("/items")
    def items() -> dict[str, list[int]]:
        print("a view that prints")
        return {"items": [1, 2]}

    @app.get("/slow/<int:n>")
    def slow(n: int) -> dict[str, int]:
        time.sleep(0.3)
        return {"n": n}

    return app


def create_fastapi() -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        raise RuntimeError("could not flush the cache")

    app = FastAPI(lifespan=lifespan)

    @app.get("/items")
    def items() -> dict[str, list[int]]:
        return {"items": [1, 2]}

    @app.get("/slow/{n}")
    def slow(n: int) -> dict[str, int]:
        # A sync endpoint stuck in the thread pool: it must not keep the tool alive.
        time.sleep(3600)
        return {"n": n}

    return app
