"""Small reproductions of the drafts' old defects (issue 8), one view each.

- A DELETE on ``/roles/<int:id>`` beside a GET on ``/roles/<int:rid>`` (pgAdmin 4's user
  management): the same values under another name, representable by renaming the variable.
- ``'connect' in request.args and request.args['connect'] == '1'``: a guarded read is optional.
- A blueprint's static route (``static_folder`` on a Blueprint): left out like the app's.
- Views that read ``request.args.items()`` or the raw query string: marked, not silent.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Blueprint, Flask, jsonify, request

STATIC = Path(__file__).resolve().parent / "static"


def create_app() -> Flask:
    app = Flask(__name__, static_folder=None)
    roles = Blueprint("roles", __name__, url_prefix="/roles", static_folder=str(STATIC))

    @roles.get("/<int:rid>")
    def get_role(rid: int) -> Any:
        return jsonify(id=rid)

    @roles.delete("/<int:id>")
    def delete_role(id: int) -> Any:
        return "", 204

    @app.get("/connect")
    def connect() -> Any:
        if "connect" in request.args and request.args["connect"] == "1":
            return jsonify(connected=True)
        return jsonify(connected=False)

    @app.get("/filters")
    def filters() -> Any:
        return jsonify({key: value for key, value in request.args.items()})

    @app.get("/raw-query")
    def raw_query() -> Any:
        return jsonify(query=request.query_string.decode())

    app.register_blueprint(roles)
    return app
