"""The FastAPI port of ``echo_flask``: Starlette's CORSMiddleware, which adds CORS headers only
when the request has an ``Origin``, and no ETag on /etag (a real drift beside the CORS one)."""

from __future__ import annotations

import hashlib
from typing import Any

from fastapi import FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse


def create_app() -> FastAPI:
    app = FastAPI()
    app.add_middleware(
        CORSMiddleware, allow_origins=["*"], allow_credentials=True, allow_methods=["*"]
    )

    @app.get("/get")
    def get(request: Request) -> dict[str, Any]:
        return {"args": dict(request.query_params)}

    @app.post("/post")
    async def post(request: Request) -> dict[str, Any]:
        body = await request.body()
        return {"length": len(body), "sha256": hashlib.sha256(body).hexdigest()}

    @app.put("/put")
    async def put(request: Request) -> dict[str, Any]:
        body = await request.body()
        return {"length": len(body), "sha256": hashlib.sha256(body).hexdigest()}

    @app.get("/status/{code}")
    def status(code: int) -> JSONResponse:
        return JSONResponse({"status": code}, status_code=code if 200 <= code < 300 else 200)

    @app.get("/etag")
    def etag() -> dict[str, Any]:
        return {"tag": "a1"}

    return app
