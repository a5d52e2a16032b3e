"""Books router, mirroring the legacy `books` blueprint under /books."""

from __future__ import annotations

import sqlite3
from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Path, Request
from fastapi.responses import RedirectResponse

from examples.legacy_flask.db import ISBN_REGEX, SQLITE_MAX_INT, clamp, fits

from .deps import Db, now_iso
from .errors import LegacyErrorRoute
from .models import (
    Attachment,
    Book,
    BookDetail,
    BookIn,
    BookItems,
    BookList,
    BookPage,
    BookSearch,
    SortedBooks,
    Stock,
)

router = APIRouter(prefix="/books", tags=["books"], route_class=LegacyErrorRoute)

PAGE_SIZE = 5
BOOK_COLUMNS = "id, title, author_id, isbn, price, year, stock, created_at"


def find_book(db: sqlite3.Connection, book_id: int) -> Book:
    row = (
        db.execute(f"SELECT {BOOK_COLUMNS} FROM books WHERE id = ?", (book_id,)).fetchone()
        if fits(book_id)
        else None
    )
    if row is None:
        raise HTTPException(status_code=404)
    return Book(**dict(row))


def check_references(db: sqlite3.Connection, book: BookIn, book_id: int | None = None) -> None:
    """Business rules after the shape is valid: a known author and an unused ISBN."""
    known = fits(book.author_id) and (
        db.execute("SELECT 1 FROM authors WHERE id = ?", (book.author_id,)).fetchone() is not None
    )
    if not known:
        raise HTTPException(status_code=400, detail="unknown author")
    clash = db.execute(
        "SELECT 1 FROM books WHERE isbn = ? AND id IS NOT ?", (book.isbn, book_id)
    ).fetchone()
    if clash is not None:
        raise HTTPException(status_code=409, detail="isbn already exists")


def select_books(db: sqlite3.Connection, where_and_order: str, *args: object) -> list[Book]:
    rows = db.execute(f"SELECT {BOOK_COLUMNS} FROM books {where_and_order}", args).fetchall()
    return [Book(**dict(row)) for row in rows]


# Fixed paths first: Starlette matches in declaration order, and `/books/{book_id}` would
# otherwise swallow `/books/search` and answer 422.


@router.get("/")
def list_books(db: Db, limit: int = 20, offset: int = 0) -> BookList:
    """List books (paged with limit and offset)."""
    limit = clamp(limit, 0, 100)
    offset = clamp(offset, 0, SQLITE_MAX_INT)
    items = select_books(db, "ORDER BY id LIMIT ? OFFSET ?", limit, offset)
    total = db.execute("SELECT COUNT(*) FROM books").fetchone()[0]
    return BookList(items=items, limit=limit, offset=offset, total=total)


@router.post("/", response_model=Book)
def create_book(book: BookIn, db: Db) -> Book:
    """Add a book to the catalogue."""
    check_references(db, book)
    cursor = db.execute(
        "INSERT INTO books (title, author_id, isbn, price, year, stock, created_at)"
        " VALUES (?, ?, ?, ?, ?, 0, ?)",
        (book.title, book.author_id, book.isbn, book.price, book.year, now_iso()),
    )
    db.commit()
    return find_book(db, cursor.lastrowid or 0)


def book_page(db: sqlite3.Connection, page: int) -> BookPage:
    items = select_books(db, "ORDER BY id LIMIT ? OFFSET ?", PAGE_SIZE, (page - 1) * PAGE_SIZE)
    total = db.execute("SELECT COUNT(*) FROM books").fetchone()[0]
    return BookPage(page=page, pages=-(-total // PAGE_SIZE), items=items)


@router.get("/page/")
def first_page(db: Db) -> BookPage:
    """Browse the catalogue five books at a time: the first page."""
    return book_page(db, 1)


@router.get("/page/{page}", response_model=BookPage)
def other_page(
    request: Request, db: Db, page: Annotated[int, Path(ge=1, le=100)]
) -> BookPage | RedirectResponse:
    """Browse the catalogue five books at a time (`/books/page/1` redirects to `/books/page/`)."""
    if page == 1:
        # Werkzeug redirects a URL that spells out a rule default to the rule without it; the
        # legacy clients have seen that 308 (query string kept) for years.
        query = f"?{request.url.query}" if request.url.query else ""
        return RedirectResponse(f"/books/page/{query}", status_code=308)
    return book_page(db, page)


@router.get("/search")
def search(db: Db, q: str = "", limit: int = 10) -> BookSearch:
    """Books whose title contains `q` (case-insensitive for ASCII letters)."""
    limit = clamp(limit, 0, 100)
    items = select_books(
        db, "WHERE instr(lower(title), lower(?)) > 0 ORDER BY id LIMIT ?", q, limit
    )
    return BookSearch(items=items, limit=limit)


@router.get("/isbn/{isbn}")
def by_isbn(db: Db, isbn: Annotated[str, Path(pattern=f"^{ISBN_REGEX}$")]) -> Book:
    """Look a book up by its ISBN-13."""
    items = select_books(db, "WHERE isbn = ?", isbn)
    if not items:
        raise HTTPException(status_code=404)
    return items[0]


@router.get("/cheaper-than/{price}")
def cheaper_than(db: Db, price: float) -> BookItems:
    """Books at or below a price, cheapest first."""
    return BookItems(items=select_books(db, "WHERE price <= ? ORDER BY price, id", price))


@router.get("/sorted/{field}")
def sorted_by(db: Db, field: Literal["title", "price", "year"]) -> SortedBooks:
    """The whole catalogue ordered by title, price or year."""
    # `field` is one of three column names, checked by the Literal before we get here.
    return SortedBooks(sorted_by=field, items=select_books(db, f"ORDER BY {field}, id"))


@router.get("/{book_id}")
def get_book(db: Db, book_id: int) -> BookDetail:
    """Fetch one book with its author's name."""
    book = find_book(db, book_id)
    author = db.execute("SELECT name FROM authors WHERE id = ?", (book.author_id,)).fetchone()
    return BookDetail(**book.model_dump(), author_name=author["name"])


@router.put("/{book_id}")
def replace_book(book: BookIn, db: Db, book_id: int) -> Book:
    """Replace a book's details (stock is managed through the stock endpoint)."""
    find_book(db, book_id)
    check_references(db, book, book_id)
    db.execute(
        "UPDATE books SET title = ?, author_id = ?, isbn = ?, price = ?, year = ? WHERE id = ?",
        (book.title, book.author_id, book.isbn, book.price, book.year, book_id),
    )
    db.commit()
    return find_book(db, book_id)


@router.post("/{book_id}/stock/{delta}")
def adjust_stock(db: Db, book_id: int, delta: int) -> Stock:
    """Receive (positive delta) or sell (negative delta) copies of a book."""
    book = find_book(db, book_id)
    if not -1000 <= delta <= 1000:
        raise HTTPException(status_code=400, detail="delta is invalid")
    stock = book.stock + delta
    if stock < 0:
        raise HTTPException(status_code=409, detail="insufficient stock")
    db.execute("UPDATE books SET stock = ? WHERE id = ?", (stock, book_id))
    db.commit()
    return Stock(id=book_id, stock=stock)


@router.get("/{book_id}/attachments/{name:path}")
def attachment(db: Db, book_id: int, name: str) -> Attachment:
    """Metadata of a file attached to a book; names may contain slashes."""
    find_book(db, book_id)
    row = db.execute(
        "SELECT book_id, name, size_bytes FROM attachments WHERE book_id = ? AND name = ?",
        (book_id, name),
    ).fetchone()
    if row is None:
        raise HTTPException(status_code=404)
    return Attachment(**dict(row))
