"""FastAPI port of the bookshop service: `examples.fastapi_port:create_app()`."""

from __future__ import annotations

from .app import create_app

__all__ = ["create_app"]
