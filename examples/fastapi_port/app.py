"""The FastAPI port of the bookshop service: app factory and app-wide routes."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.responses import PlainTextResponse, RedirectResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from examples.legacy_flask.db import connect

from . import authors, books, orders, shops
from .deps import now_iso
from .errors import http_error
from .models import ServiceInfo

SERVICE_VERSION = "1.4.2"


def create_app() -> FastAPI:
    """Build a port instance with its own freshly seeded in-memory database."""
    app = FastAPI(title="bookshop", version=SERVICE_VERSION)
    # Created here rather than in a lifespan: runners that skip the lifespan (httpx's
    # ASGITransport) still get a working app. The port reuses the legacy schema and seed rows
    # until cutover, so both services start from identical data.
    app.state.db = connect()
    # Registered for Starlette's exception class so routing misses get the JSON 404 too.
    app.add_exception_handler(StarletteHTTPException, http_error)

    @app.get("/")
    def index() -> ServiceInfo:
        """Service name, version and the server's clock."""
        return ServiceInfo(service="bookshop", version=SERVICE_VERSION, served_at=now_iso())

    @app.get("/health", response_class=PlainTextResponse)
    def health() -> str:
        """Liveness probe for the load balancer: plain text `ok`."""
        return "ok"

    @app.get("/catalogue", response_class=RedirectResponse, status_code=308)
    def catalogue() -> str:
        """The old name of the catalogue; bookmarks and partner links still use it."""
        return "/books/"

    for module in (books, authors, orders, shops):
        app.include_router(module.router)
    return app
