"""Shops router: per-shop resources under /shops/{shop_id}."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException

from examples.legacy_flask.db import clamp, fits

from .deps import Db
from .errors import LegacyErrorRoute
from .models import Inventory, InventoryItem, Shop

router = APIRouter(prefix="/shops/{shop_id}", tags=["shops"], route_class=LegacyErrorRoute)


def load_shop(db: Db, shop_id: int) -> Shop:
    """The shop named by the prefix, or 404 (the legacy url_value_preprocessor's job)."""
    row = (
        db.execute("SELECT id, name, city FROM shops WHERE id = ?", (shop_id,)).fetchone()
        if fits(shop_id)
        else None
    )
    if row is None:
        raise HTTPException(status_code=404)
    return Shop(**dict(row))


CurrentShop = Annotated[Shop, Depends(load_shop)]


@router.get("/")
def shop(current: CurrentShop) -> Shop:
    """A shop's name and city."""
    return current


@router.get("/inventory")
def inventory(db: Db, current: CurrentShop, limit: int = 10) -> Inventory:
    """Books a shop holds, by book id."""
    rows = db.execute(
        "SELECT b.isbn, b.title, i.quantity FROM inventory i JOIN books b ON b.id = i.book_id"
        " WHERE i.shop_id = ? ORDER BY b.id LIMIT ?",
        (current.id, clamp(limit, 0, 100)),
    ).fetchall()
    return Inventory(shop_id=current.id, items=[InventoryItem(**dict(r)) for r in rows])
