"""The `authors` blueprint, mounted under /authors."""

from __future__ import annotations

import sqlite3
from typing import Any

from flask import Blueprint, Response, abort, jsonify, request

from .db import clamp, fits
from .helpers import field, get_db, json_object

bp = Blueprint("authors", __name__, url_prefix="/authors")


def author_json(row: sqlite3.Row) -> dict[str, Any]:
    return {"id": row["id"], "name": row["name"], "country": row["country"]}


@bp.get("/")
def list_authors() -> Response:
    """List authors in the order they were added."""
    limit = clamp(request.args.get("limit", type=int, default=10), 0, 100)
    rows = get_db().execute("SELECT * FROM authors ORDER BY id LIMIT ?", (limit,)).fetchall()
    return jsonify(items=[author_json(r) for r in rows], limit=limit)


@bp.post("/")
def create_author() -> tuple[Response, int]:
    """Add an author; `country` is an ISO 3166 alpha-2 code, stored upper-case."""
    data = json_object()
    name = field(data, "name", lambda v: isinstance(v, str) and 1 <= len(v) <= 120)
    country = field(
        data,
        "country",
        lambda v: isinstance(v, str) and len(v) == 2 and v.isascii() and v.isalpha(),
    )
    conn = get_db()
    cursor = conn.execute(
        "INSERT INTO authors (name, country) VALUES (?, ?)", (name, country.upper())
    )
    conn.commit()
    row = conn.execute("SELECT * FROM authors WHERE id = ?", (cursor.lastrowid,)).fetchone()
    return jsonify(author_json(row)), 201


@bp.get("/<int:author_id>")
def get_author(author_id: int) -> Response:
    """One author with the number of their books in the catalogue."""
    conn = get_db()
    row = (
        conn.execute("SELECT * FROM authors WHERE id = ?", (author_id,)).fetchone()
        if fits(author_id)
        else None
    )
    if row is None:
        abort(404)
    count = conn.execute("SELECT COUNT(*) FROM books WHERE author_id = ?", (author_id,))
    return jsonify({**author_json(row), "book_count": count.fetchone()[0]})


@bp.get("/country/<string(length=2):code>")
def by_country(code: str) -> Response:
    """Authors from one country (the two-letter code is matched case-insensitively)."""
    rows = (
        get_db()
        .execute("SELECT * FROM authors WHERE country = ? ORDER BY id", (code.upper(),))
        .fetchall()
    )
    return jsonify(country=code.upper(), items=[author_json(r) for r in rows])
