"""The `books` blueprint: the catalogue, mounted under /books."""

from __future__ import annotations

import re
import sqlite3
from typing import Any

from flask import Blueprint, Response, abort, jsonify, request
from flask.views import MethodView

from .db import ISBN_REGEX, SQLITE_MAX_INT, clamp, fits
from .helpers import field, get_db, is_int, is_number, json_error, json_object, now_iso

bp = Blueprint("books", __name__, url_prefix="/books")

PAGE_SIZE = 5
BOOK_COLUMNS = "id, title, author_id, isbn, price, year, stock, created_at"


def book_json(row: sqlite3.Row) -> dict[str, Any]:
    return {
        "id": row["id"],
        "title": row["title"],
        "author_id": row["author_id"],
        "isbn": row["isbn"],
        "price": row["price"],
        "year": row["year"],
        "stock": row["stock"],
        "created_at": row["created_at"],
    }


def find_book(book_id: int) -> sqlite3.Row | None:
    if not fits(book_id):
        return None
    row: sqlite3.Row | None = (
        get_db().execute(f"SELECT {BOOK_COLUMNS} FROM books WHERE id = ?", (book_id,)).fetchone()
    )
    return row


def book_or_404(book_id: int) -> sqlite3.Row:
    row = find_book(book_id)
    if row is None:
        abort(404)
    return row


def validated_book() -> dict[str, Any]:
    """The body of POST and PUT, checked field by field in declaration order."""
    data = json_object()
    return {
        "title": field(data, "title", lambda v: isinstance(v, str) and 1 <= len(v) <= 200),
        "author_id": field(data, "author_id", is_int),
        "isbn": field(
            data, "isbn", lambda v: isinstance(v, str) and re.fullmatch(ISBN_REGEX, v) is not None
        ),
        "price": field(data, "price", lambda v: is_number(v) and 0 <= v <= 10_000),
        "year": field(data, "year", lambda v: is_int(v) and 1450 <= v <= 2100),
    }


def check_references(book: dict[str, Any], book_id: int | None = None) -> None:
    """Business rules after the shape is valid: a known author and an unused ISBN."""
    conn = get_db()
    author_id = book["author_id"]
    if (
        not fits(author_id)
        or conn.execute("SELECT 1 FROM authors WHERE id = ?", (author_id,)).fetchone() is None
    ):
        abort(400, description="unknown author")
    clash = conn.execute(
        "SELECT 1 FROM books WHERE isbn = ? AND id IS NOT ?", (book["isbn"], book_id)
    ).fetchone()
    if clash is not None:
        json_error(409, "isbn already exists")


class BookAPI(MethodView):
    """The book collection (`/books/`) and single books (`/books/<id>`)."""

    def get(self, book_id: int | None = None) -> Response:
        """List books (paged with limit and offset) or fetch one book with its author's name."""
        conn = get_db()
        if book_id is None:
            limit = clamp(request.args.get("limit", type=int, default=10), 0, 100)
            offset = clamp(request.args.get("offset", type=int, default=0), 0, SQLITE_MAX_INT)
            rows = conn.execute(
                f"SELECT {BOOK_COLUMNS} FROM books ORDER BY id LIMIT ? OFFSET ?", (limit, offset)
            ).fetchall()
            total = conn.execute("SELECT COUNT(*) FROM books").fetchone()[0]
            return jsonify(
                items=[book_json(r) for r in rows], limit=limit, offset=offset, total=total
            )
        row = book_or_404(book_id)
        author = conn.execute("SELECT name FROM authors WHERE id = ?", (row["author_id"],))
        return jsonify({**book_json(row), "author": author.fetchone()["name"]})

    def post(self) -> tuple[Response, int]:
        """Add a book to the catalogue."""
        book = validated_book()
        check_references(book)
        conn = get_db()
        cursor = conn.execute(
            "INSERT INTO books (title, author_id, isbn, price, year, stock, created_at)"
            " VALUES (?, ?, ?, ?, ?, 0, ?)",
            (
                book["title"],
                book["author_id"],
                book["isbn"],
                float(book["price"]),
                book["year"],
                now_iso(),
            ),
        )
        conn.commit()
        return jsonify(book_json(book_or_404(cursor.lastrowid or 0))), 201

    def put(self, book_id: int) -> Response:
        """Replace a book's details (stock is managed through the stock endpoint)."""
        # The body is checked before the id is looked up: a port with a body model validates in
        # that order too, so both answer 400 for a bad body on a missing book.
        book = validated_book()
        book_or_404(book_id)
        check_references(book, book_id)
        conn = get_db()
        conn.execute(
            "UPDATE books SET title = ?, author_id = ?, isbn = ?, price = ?, year = ? WHERE id = ?",
            (
                book["title"],
                book["author_id"],
                book["isbn"],
                float(book["price"]),
                book["year"],
                book_id,
            ),
        )
        conn.commit()
        return jsonify(book_json(book_or_404(book_id)))

    def delete(self, book_id: int) -> tuple[str, int]:
        """Remove a book together with its attachments and shop inventory."""
        book_or_404(book_id)
        conn = get_db()
        for table, column in (
            ("attachments", "book_id"),
            ("inventory", "book_id"),
            ("books", "id"),
        ):
            conn.execute(f"DELETE FROM {table} WHERE {column} = ?", (book_id,))
        conn.commit()
        return "", 204


book_view = BookAPI.as_view("book_api")
# One view on two rules, each listing only the methods that make sense there.
bp.add_url_rule("/", view_func=book_view, methods=["GET", "POST"])
bp.add_url_rule("/<int:book_id>", view_func=book_view, methods=["GET", "PUT", "DELETE"])


@bp.get("/page/", defaults={"page": 1})
@bp.get("/page/<int(min=1, max=100):page>")
def page(page: int) -> Response:
    """Browse the catalogue five books at a time (`/books/page/1` redirects to `/books/page/`)."""
    conn = get_db()
    rows = conn.execute(
        f"SELECT {BOOK_COLUMNS} FROM books ORDER BY id LIMIT ? OFFSET ?",
        (PAGE_SIZE, (page - 1) * PAGE_SIZE),
    ).fetchall()
    total = conn.execute("SELECT COUNT(*) FROM books").fetchone()[0]
    pages = -(-total // PAGE_SIZE)
    return jsonify(page=page, pages=pages, items=[book_json(r) for r in rows])


@bp.get("/search")
def search() -> Response:
    """Books whose title contains `q` (case-insensitive for ASCII letters)."""
    q = request.args.get("q", default="")
    limit = clamp(request.args.get("limit", type=int, default=10), 0, 100)
    rows = (
        get_db()
        .execute(
            f"SELECT {BOOK_COLUMNS} FROM books WHERE instr(lower(title), lower(?)) > 0"
            " ORDER BY id LIMIT ?",
            (q, limit),
        )
        .fetchall()
    )
    return jsonify(items=[book_json(r) for r in rows], limit=limit)


@bp.get("/isbn/<isbn:isbn>")
def by_isbn(isbn: str) -> Response:
    """Look a book up by its ISBN-13."""
    row = get_db().execute(f"SELECT {BOOK_COLUMNS} FROM books WHERE isbn = ?", (isbn,)).fetchone()
    if row is None:
        abort(404)
    return jsonify(book_json(row))


@bp.get("/cheaper-than/<float:price>")
def cheaper_than(price: float) -> Response:
    """Books at or below a price, cheapest first (the price needs a decimal point: `10.0`)."""
    rows = (
        get_db()
        .execute(f"SELECT {BOOK_COLUMNS} FROM books WHERE price <= ? ORDER BY price, id", (price,))
        .fetchall()
    )
    return jsonify(items=[book_json(r) for r in rows])


@bp.get("/sorted/<any(title, price, year):field>")
def sorted_by(field: str) -> Response:
    """The whole catalogue ordered by title, price or year."""
    # `field` can only be one of the three column names the converter allows.
    rows = get_db().execute(f"SELECT {BOOK_COLUMNS} FROM books ORDER BY {field}, id").fetchall()
    return jsonify(sorted_by=field, items=[book_json(r) for r in rows])


@bp.post("/<int:book_id>/stock/<int(signed=True):delta>")
def adjust_stock(book_id: int, delta: int) -> Response:
    """Receive (positive delta) or sell (negative delta) copies of a book."""
    row = book_or_404(book_id)
    if not -1000 <= delta <= 1000:
        abort(400, description="delta is invalid")
    stock = row["stock"] + delta
    if stock < 0:
        json_error(409, "insufficient stock")
    conn = get_db()
    conn.execute("UPDATE books SET stock = ? WHERE id = ?", (stock, book_id))
    conn.commit()
    return jsonify(id=book_id, stock=stock)


@bp.get("/<int:book_id>/attachments/<path:name>")
def attachment(book_id: int, name: str) -> Response:
    """Metadata of a file attached to a book; names may contain slashes."""
    book_or_404(book_id)
    row = (
        get_db()
        .execute(
            "SELECT book_id, name, size_bytes FROM attachments WHERE book_id = ? AND name = ?",
            (book_id, name),
        )
        .fetchone()
    )
    if row is None:
        abort(404)
    return jsonify(book_id=row["book_id"], name=row["name"], size_bytes=row["size_bytes"])
