"""Schema and seed rows of the bookshop database (stdlib sqlite3, no Flask import).

Every app instance gets its own in-memory database, so tests and parity runs that build a fresh app
per case never see each other's writes.
"""

from __future__ import annotations

import sqlite3
from decimal import Decimal

# Paths and bodies accept the same shape of ISBN-13; one definition keeps them in step.
ISBN_REGEX = r"97[89]\d{10}"

# SQLite stores 64-bit signed integers; binding anything larger raises OverflowError, which would
# turn an ordinary "no such row" into a 500.
SQLITE_MAX_INT = 2**63 - 1

SCHEMA = """
CREATE TABLE authors (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    country TEXT NOT NULL
);
CREATE TABLE books (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    title TEXT NOT NULL,
    author_id INTEGER NOT NULL REFERENCES authors (id),
    isbn TEXT NOT NULL UNIQUE,
    price REAL NOT NULL,
    year INTEGER NOT NULL,
    stock INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
);
CREATE TABLE attachments (
    book_id INTEGER NOT NULL REFERENCES books (id),
    name TEXT NOT NULL,
    size_bytes INTEGER NOT NULL,
    PRIMARY KEY (book_id, name)
);
CREATE TABLE shops (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    city TEXT NOT NULL
);
CREATE TABLE inventory (
    shop_id INTEGER NOT NULL REFERENCES shops (id),
    book_id INTEGER NOT NULL REFERENCES books (id),
    quantity INTEGER NOT NULL,
    PRIMARY KEY (shop_id, book_id)
);
CREATE TABLE orders (
    id TEXT PRIMARY KEY,
    customer TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE order_lines (
    order_id TEXT NOT NULL REFERENCES orders (id),
    book_id INTEGER NOT NULL REFERENCES books (id),
    quantity INTEGER NOT NULL,
    unit_price TEXT NOT NULL
);
"""

AUTHORS = [
    ("Ursula K. Le Guin", "US"),
    ("Gabriel García Márquez", "CO"),
    ("Chinua Achebe", "NG"),
    ("Tove Jansson", "FI"),
]

# (title, author_id, isbn, price, year, stock). Twelve rows: more than the default page size of
# ten, so a changed default `limit` is visible without any query string.
BOOKS = [
    ("A Wizard of Earthsea", 1, "9780547773742", 9.99, 1968, 7),
    ("The Left Hand of Darkness", 1, "9780441478125", 12.5, 1969, 3),
    ("The Dispossessed", 1, "9780061054884", 14.0, 1974, 0),
    ("The Lathe of Heaven", 1, "9781416556961", 11.25, 1971, 4),
    ("Cien años de soledad", 2, "9788497592208", 18.9, 1967, 5),
    ("El amor en los tiempos del cólera", 2, "9780307387264", 16.0, 1985, 2),
    ("Crónica de una muerte anunciada", 2, "9781400034956", 10.75, 1981, 6),
    ("Things Fall Apart", 3, "9780385474542", 8.5, 1958, 9),
    ("No Longer at Ease", 3, "9780385474559", 9.5, 1960, 1),
    ("Arrow of God", 3, "9780385014809", 13.0, 1964, 0),
    ("Comet in Moominland", 4, "9780312608897", 7.99, 1946, 8),
    ("The Summer Book", 4, "9781590170687", 15.95, 1972, 2),
]

ATTACHMENTS = [
    (1, "cover.jpg", 48213),
    (1, "preview/chapter-1.pdf", 190442),
    (5, "preview/capítulo-1.pdf", 201877),
    (8, "reviews/2019/guardian.html", 15320),
]

SHOPS = [("Riverside Books", "Leeds"), ("Librería del Puerto", "Cartagena")]

INVENTORY = [(1, 1, 4), (1, 2, 1), (1, 8, 6), (1, 11, 3), (2, 5, 5), (2, 6, 2), (2, 7, 4)]

# Fixed ids and timestamps: everything a seeded read returns is deterministic.
ORDERS = [
    ("0b6f1c1e-8a4f-4a8e-9d7b-2f0c5e6a1b01", "Ada Brown", "shipped", "2024-03-02T09:15:00+00:00"),
    ("5d2e7a90-3c1b-4f6d-8e2a-7b9c0d1e2f03", "Kofi Mensah", "paid", "2024-03-05T17:40:00+00:00"),
    ("c4a9e3f2-6b7d-4e1a-9f8c-0d2b3a4c5e07", "Lucía Pérez", "pending", "2024-03-09T11:05:00+00:00"),
]

ORDER_LINES = [
    ("0b6f1c1e-8a4f-4a8e-9d7b-2f0c5e6a1b01", 1, 2, "9.99"),
    ("0b6f1c1e-8a4f-4a8e-9d7b-2f0c5e6a1b01", 8, 1, "8.50"),
    ("5d2e7a90-3c1b-4f6d-8e2a-7b9c0d1e2f03", 5, 1, "18.90"),
    ("c4a9e3f2-6b7d-4e1a-9f8c-0d2b3a4c5e07", 11, 3, "7.99"),
    ("c4a9e3f2-6b7d-4e1a-9f8c-0d2b3a4c5e07", 12, 1, "15.95"),
]

SEED_CREATED_AT = "2024-01-15T08:00:00+00:00"


def connect() -> sqlite3.Connection:
    """Open a fresh in-memory database with the schema and seed rows."""
    # Flask may serve requests from worker threads and FastAPI runs sync endpoints in a thread
    # pool: the connection has to be usable from a thread other than the one that created it.
    conn = sqlite3.connect(":memory:", check_same_thread=False)
    conn.row_factory = sqlite3.Row
    conn.executescript(SCHEMA)
    conn.executemany("INSERT INTO authors (name, country) VALUES (?, ?)", AUTHORS)
    conn.executemany(
        "INSERT INTO books (title, author_id, isbn, price, year, stock, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        [(*row, SEED_CREATED_AT) for row in BOOKS],
    )
    conn.executemany("INSERT INTO attachments VALUES (?, ?, ?)", ATTACHMENTS)
    conn.executemany("INSERT INTO shops (name, city) VALUES (?, ?)", SHOPS)
    conn.executemany("INSERT INTO inventory VALUES (?, ?, ?)", INVENTORY)
    conn.executemany("INSERT INTO orders VALUES (?, ?, ?, ?)", ORDERS)
    conn.executemany("INSERT INTO order_lines VALUES (?, ?, ?, ?)", ORDER_LINES)
    conn.commit()
    return conn


def fits(value: int) -> bool:
    """Whether an id can be bound as an SQLite integer (larger ids simply do not exist)."""
    return -SQLITE_MAX_INT <= value <= SQLITE_MAX_INT


def clamp(value: int, low: int, high: int) -> int:
    """Keep a client-supplied paging value inside what SQLite and the service accept."""
    return max(low, min(value, high))


def order_total(conn: sqlite3.Connection, order_id: str) -> Decimal:
    """Sum of an order's lines, kept as Decimal: money never goes through float."""
    rows = conn.execute(
        "SELECT quantity, unit_price FROM order_lines WHERE order_id = ?", (order_id,)
    ).fetchall()
    total = sum((row["quantity"] * Decimal(row["unit_price"]) for row in rows), Decimal("0"))
    return total.quantize(Decimal("0.01"))
