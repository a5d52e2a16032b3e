"""The `shops` blueprint: per-shop resources under a prefix that carries the shop id."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, g, jsonify, request

from .db import clamp, fits
from .helpers import get_db

bp = Blueprint("shops", __name__, url_prefix="/shops/<int:shop_id>")


@bp.url_value_preprocessor
def load_shop(endpoint: str | None, values: dict[str, Any] | None) -> None:
    # A classic legacy pattern: the prefix variable is consumed here, so the views below take no
    # `shop_id` argument even though every rule of the blueprint has it in its path.
    shop_id = values.pop("shop_id") if values else None
    row = (
        get_db().execute("SELECT id, name, city FROM shops WHERE id = ?", (shop_id,)).fetchone()
        if isinstance(shop_id, int) and fits(shop_id)
        else None
    )
    if row is None:
        abort(404)
    g.shop = dict(row)


@bp.get("/")
def shop() -> Response:
    """A shop's name and city."""
    return jsonify(g.shop)


@bp.get("/inventory")
def inventory() -> Response:
    """Books a shop holds, by book id."""
    limit = clamp(request.args.get("limit", type=int, default=10), 0, 100)
    rows = (
        get_db()
        .execute(
            "SELECT b.isbn, b.title, i.quantity FROM inventory i JOIN books b ON b.id = i.book_id"
            " WHERE i.shop_id = ? ORDER BY b.id LIMIT ?",
            (g.shop["id"], limit),
        )
        .fetchall()
    )
    return jsonify(shop_id=g.shop["id"], items=[dict(r) for r in rows])
