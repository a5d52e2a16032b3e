"""Request helpers shared by the blueprints: database access, timestamps and body validation."""

from __future__ import annotations

import math
import sqlite3
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any, NoReturn

from flask import abort, current_app, jsonify, make_response, request

DB_KEY = "bookshop_db"


def get_db() -> sqlite3.Connection:
    """The connection of the current app instance (each instance owns its own database)."""
    conn: sqlite3.Connection = current_app.extensions[DB_KEY]
    return conn


def now_iso() -> str:
    # A fixed `timespec` keeps the format stable: plain isoformat() drops the fraction whenever
    # the microseconds happen to be zero.
    return datetime.now(timezone.utc).isoformat(timespec="microseconds")


def json_object() -> dict[str, Any]:
    """The request body as a JSON object, or a 400 JSON error.

    `silent=True` so that a missing or wrong Content-Type and malformed JSON all give the same
    400 JSON error instead of Werkzeug's HTML 400/415 pages.
    """
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        abort(400, description="body must be a JSON object")
    return data


def field(data: dict[str, Any], name: str, check: Callable[[Any], bool]) -> Any:
    """One validated field; the first failing field decides the error message."""
    if name not in data:
        abort(400, description=f"{name} is required")
    value = data[name]
    if not check(value):
        abort(400, description=f"{name} is invalid")
    return value


def is_int(value: Any) -> bool:
    # bool is a subclass of int in Python, but `true` is not an id or a year.
    return isinstance(value, int) and not isinstance(value, bool)


def is_number(value: Any) -> bool:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    # json.loads turns 1e999 into inf, which jsonify would write back as invalid JSON.
    return math.isfinite(value)


def json_error(status: int, message: str) -> NoReturn:
    """Stop with `{"error": message}`; for codes that have no error handler of their own (409)."""
    abort(make_response(jsonify(error=message), status))
