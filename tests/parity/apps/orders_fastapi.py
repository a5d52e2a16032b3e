"""The FastAPI port of ``orders_flask``: create answers 200 (the port forgot ``status_code=201``),
an invalid body 422 (pydantic's validation), everything else as the legacy service."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field, StrictInt, StrictStr


class NewOrder(BaseModel):
    item: StrictStr = Field(min_length=1)
    quantity: StrictInt = Field(ge=1)


def create_app() -> FastAPI:
    app = FastAPI()
    orders: dict[int, dict[str, Any]] = {}

    @app.post("/orders")
    def create_order(body: NewOrder) -> dict[str, Any]:
        order = {"id": len(orders) + 1, "item": body.item, "quantity": body.quantity}
        orders[order["id"]] = order
        return order

    @app.get("/orders/{order_id}")
    def get_order(order_id: int) -> Any:
        order = orders.get(order_id)
        if order is None:
            return JSONResponse({"error": "not found"}, status_code=404)
        return order

    @app.get("/orders")
    def list_orders() -> dict[str, Any]:
        return {"items": list(orders.values())}

    return app
