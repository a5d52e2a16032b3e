"""Views that validate bodies with models the app itself uses: pydantic and marshmallow."""

from __future__ import annotations

from typing import Any

from flask import Flask, jsonify, request
from marshmallow import Schema, ValidationError, fields, validate
from pydantic import BaseModel, Field


class Address(BaseModel):
    city: str


class Customer(BaseModel):
    name: str = Field(min_length=1)
    age: int = Field(ge=0)
    address: Address | None = None


class OrderSchema(Schema):
    sku = fields.Str(required=True, validate=validate.Length(min=3, max=12))
    quantity = fields.Int(required=True, validate=validate.Range(min=1))
    note = fields.Str(allow_none=True)


def create_app() -> Flask:
    app = Flask(__name__)

    @app.errorhandler(ValidationError)
    def invalid(error: ValidationError) -> Any:
        return jsonify(errors=error.messages), 422

    @app.post("/customers")
    def customers() -> Any:
        customer = Customer.model_validate(request.get_json())
        return jsonify(name=customer.name), 201

    @app.post("/customers/splat")
    def splat() -> Any:
        customer = Customer(**request.json)
        return jsonify(name=customer.name), 201

    @app.post("/orders")
    def orders() -> Any:
        order = OrderSchema().load(request.get_json())
        return jsonify(order), 201

    return app
