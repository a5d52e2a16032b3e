"""Legacy Flask bookshop service: `examples.legacy_flask:create_app()`."""

from __future__ import annotations

from .app import create_app

__all__ = ["create_app"]
