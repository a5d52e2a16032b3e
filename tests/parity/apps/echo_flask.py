"""An httpbin-like echo service in Flask, with CORS headers on every answer (as httpbin and
Flask-CORS-style ``after_request`` hooks add them, ``Origin`` or not), and an ETag on /etag."""

from __future__ import annotations

import hashlib
from typing import Any

from flask import Flask, Response, jsonify, request


def create_app() -> Flask:
    app = Flask(__name__)

    @app.after_request
    def cors(response: Response) -> Response:
        response.headers["Access-Control-Allow-Origin"] = request.headers.get("Origin", "*")
        response.headers["Access-Control-Allow-Credentials"] = "true"
        return response

    @app.get("/get")
    def get() -> Any:
        return jsonify(args=request.args.to_dict())

    @app.post("/post")
    def post() -> Any:
        body = request.get_data()
        return jsonify(length=len(body), sha256=hashlib.sha256(body).hexdigest())

    @app.put("/put")
    def put() -> Any:
        body = request.get_data()
        return jsonify(length=len(body), sha256=hashlib.sha256(body).hexdigest())

    @app.get("/status/<int:code>")
    def status(code: int) -> Any:
        return jsonify(status=code), code if 200 <= code < 300 else 200

    @app.get("/etag")
    def etag() -> Any:
        response = jsonify(tag="a1")
        response.headers["ETag"] = '"a1"'
        return response

    return app
