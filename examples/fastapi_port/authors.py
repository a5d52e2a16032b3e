"""Authors router, mirroring the legacy `authors` blueprint under /authors."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Path

from examples.legacy_flask.db import clamp, fits

from .deps import Db
from .models import Author, AuthorDetail, AuthorIn, AuthorList, CountryAuthors

# Ported after the books router, without LegacyErrorRoute: invalid bodies get FastAPI's 422.
router = APIRouter(prefix="/authors", tags=["authors"])


@router.get("/")
def list_authors(db: Db, limit: int = 10) -> AuthorList:
    """List authors in the order they were added."""
    limit = clamp(limit, 0, 100)
    rows = db.execute("SELECT * FROM authors ORDER BY id LIMIT ?", (limit,)).fetchall()
    return AuthorList(items=[Author(**dict(r)) for r in rows], limit=limit)


@router.post("/", status_code=201)
def create_author(author: AuthorIn, db: Db) -> Author:
    """Add an author; `country` is an ISO 3166 alpha-2 code, stored upper-case."""
    cursor = db.execute(
        "INSERT INTO authors (name, country) VALUES (?, ?)", (author.name, author.country.upper())
    )
    db.commit()
    row = db.execute("SELECT * FROM authors WHERE id = ?", (cursor.lastrowid,)).fetchone()
    return Author(**dict(row))


@router.get("/{author_id}")
def get_author(db: Db, author_id: int) -> AuthorDetail:
    """One author with the number of their books in the catalogue."""
    row = (
        db.execute("SELECT * FROM authors WHERE id = ?", (author_id,)).fetchone()
        if fits(author_id)
        else None
    )
    if row is None:
        raise HTTPException(status_code=404)
    count = db.execute("SELECT COUNT(*) FROM books WHERE author_id = ?", (author_id,))
    return AuthorDetail(**dict(row), book_count=count.fetchone()[0])


@router.get("/country/{code}")
def by_country(db: Db, code: Annotated[str, Path(min_length=2, max_length=2)]) -> CountryAuthors:
    """Authors from one country (the two-letter code is matched case-insensitively)."""
    rows = db.execute(
        "SELECT * FROM authors WHERE country = ? ORDER BY id", (code.upper(),)
    ).fetchall()
    return CountryAuthors(country=code.upper(), items=[Author(**dict(r)) for r in rows])
