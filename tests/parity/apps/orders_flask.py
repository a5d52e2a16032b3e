"""A small legacy Flask service: create an order (201), read it back, list them.

Its FastAPI port (``orders_fastapi``) answers create with 200 instead of 201 (a regression) and
refuses an invalid body with 422 instead of 400 (what every Flask-to-FastAPI port does): two
drifts of one operation that must stay two findings.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, jsonify, request


def create_app() -> Flask:
    app = Flask(__name__)
    orders: dict[int, dict[str, Any]] = {}

    @app.post("/orders")
    def create_order() -> Any:
        data = request.get_json(silent=True)
        if not isinstance(data, dict):
            return jsonify(error="body must be a JSON object"), 400
        item, quantity = data.get("item"), data.get("quantity")
        if not isinstance(item, str) or not item:
            return jsonify(error="item is required"), 400
        if not isinstance(quantity, int) or isinstance(quantity, bool) or quantity < 1:
            return jsonify(error="quantity is invalid"), 400
        order = {"id": len(orders) + 1, "item": item, "quantity": quantity}
        orders[order["id"]] = order
        return jsonify(order), 201

    @app.get("/orders/<int:order_id>")
    def get_order(order_id: int) -> Any:
        order = orders.get(order_id)
        if order is None:
            return jsonify(error="not found"), 404
        return jsonify(order)

    @app.get("/orders")
    def list_orders() -> Any:
        return jsonify(items=list(orders.values()))

    return app
