"""The `orders` blueprint (read-only in this service), mounted under /orders."""

from __future__ import annotations

import uuid

from flask import Blueprint, Response, abort, jsonify

from .db import order_total
from .helpers import get_db

bp = Blueprint("orders", __name__, url_prefix="/orders")


@bp.get("/")
def list_orders() -> Response:
    """Order summaries, oldest first."""
    rows = (
        get_db()
        .execute("SELECT id, customer, status, created_at FROM orders ORDER BY created_at")
        .fetchall()
    )
    return jsonify(items=[dict(r) for r in rows])


@bp.get("/<uuid:order_id>")
def get_order(order_id: uuid.UUID) -> Response:
    """One order with its lines and total (a Decimal, which Flask writes as a string)."""
    conn = get_db()
    # The converter accepts upper-case hex; ids are stored in the canonical lower-case form.
    key = str(order_id)
    row = conn.execute(
        "SELECT id, customer, status, created_at FROM orders WHERE id = ?", (key,)
    ).fetchone()
    if row is None:
        abort(404)
    lines = conn.execute(
        "SELECT l.book_id, b.title, l.quantity FROM order_lines l"
        " JOIN books b ON b.id = l.book_id WHERE l.order_id = ? ORDER BY l.rowid",
        (key,),
    ).fetchall()
    return jsonify(
        {**dict(row), "lines": [dict(r) for r in lines], "total": order_total(conn, key)}
    )
