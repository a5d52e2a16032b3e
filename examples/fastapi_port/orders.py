"""Orders router (read-only), mirroring the legacy `orders` blueprint under /orders."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, HTTPException, Path

from examples.legacy_flask.db import order_total

from .deps import Db
from .errors import LegacyErrorRoute
from .models import OrderDetail, OrderLine, OrderList, OrderSummary

router = APIRouter(prefix="/orders", tags=["orders"], route_class=LegacyErrorRoute)


@router.get("/")
def list_orders(db: Db) -> OrderList:
    """Order summaries, oldest first."""
    rows = db.execute(
        "SELECT id, customer, status, created_at FROM orders ORDER BY created_at"
    ).fetchall()
    return OrderList(items=[OrderSummary(**dict(r)) for r in rows])


@router.get("/{order_id}")
def get_order(
    db: Db,
    # An id that exists: generated UUIDs never hit one, so the contract names one.
    order_id: Annotated[uuid.UUID, Path(examples=["0b6f1c1e-8a4f-4a8e-9d7b-2f0c5e6a1b01"])],
) -> OrderDetail:
    """One order with its lines and total."""
    key = str(order_id)
    row = db.execute(
        "SELECT id, customer, status, created_at FROM orders WHERE id = ?", (key,)
    ).fetchone()
    if row is None:
        raise HTTPException(status_code=404)
    lines = db.execute(
        "SELECT l.book_id, b.title, l.quantity FROM order_lines l"
        " JOIN books b ON b.id = l.book_id WHERE l.order_id = ? ORDER BY l.rowid",
        (key,),
    ).fetchall()
    return OrderDetail(
        **dict(row),
        lines=[OrderLine(**dict(r)) for r in lines],
        # The model declares a float: the Decimal becomes a JSON number.
        total=float(order_total(db, key)),
    )
