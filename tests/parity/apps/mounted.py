"""The Flask bookshop mounted inside FastAPI through a2wsgi: the same behaviour, another stack."""

from __future__ import annotations

from a2wsgi import WSGIMiddleware
from fastapi import FastAPI

from tests.parity.apps.bookshop_flask import create_app as create_flask_app


def create_app() -> FastAPI:
    app = FastAPI()
    app.mount("/", WSGIMiddleware(create_flask_app()))  # type: ignore[arg-type]
    return app
