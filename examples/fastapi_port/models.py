"""Pydantic models of the port's bodies and responses."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, Field, StrictInt, StrictStr

from examples.legacy_flask.db import ISBN_REGEX

# Strict types: the legacy validator used isinstance checks, so "5" is not a year and true is not
# an id. Field order matters: it decides which error is reported first (see errors.py).


class BookIn(BaseModel):
    # The example a port's docs show (and a generator reaches): a valid book by a seeded author.
    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "title": "The Word for World Is Forest",
                    "author_id": 1,
                    "isbn": "9780765324641",
                    "price": 13.0,
                    "year": 1972,
                }
            ]
        }
    }

    title: Annotated[StrictStr, Field(min_length=1, max_length=200)]
    author_id: StrictInt
    isbn: Annotated[StrictStr, Field(pattern=f"^{ISBN_REGEX}$")]
    price: Annotated[float, Field(strict=True, ge=0, le=10_000, allow_inf_nan=False)]
    year: Annotated[StrictInt, Field(ge=1450, le=2100)]


class Book(BaseModel):
    id: int
    title: str
    author_id: int
    isbn: str
    price: float
    year: int
    stock: int
    created_at: str


class BookDetail(Book):
    author_name: str


class BookList(BaseModel):
    items: list[Book]
    limit: int
    offset: int
    total: int


class BookPage(BaseModel):
    page: int
    pages: int
    items: list[Book]


class BookSearch(BaseModel):
    items: list[Book]
    limit: int


class BookItems(BaseModel):
    items: list[Book]


class SortedBooks(BaseModel):
    sorted_by: str
    items: list[Book]


class Stock(BaseModel):
    id: int
    stock: int


class Attachment(BaseModel):
    book_id: int
    name: str
    size_bytes: int


class AuthorIn(BaseModel):
    name: Annotated[StrictStr, Field(min_length=1, max_length=120)]
    country: Annotated[StrictStr, Field(pattern=r"^[A-Za-z]{2}$")]


class Author(BaseModel):
    id: int
    name: str
    country: str


class AuthorDetail(Author):
    book_count: int


class AuthorList(BaseModel):
    items: list[Author]
    limit: int


class CountryAuthors(BaseModel):
    country: str
    items: list[Author]


class OrderSummary(BaseModel):
    id: str
    customer: str
    status: str
    created_at: str


class OrderList(BaseModel):
    items: list[OrderSummary]


class OrderLine(BaseModel):
    book_id: int
    title: str
    quantity: int


class OrderDetail(OrderSummary):
    lines: list[OrderLine]
    total: float


class Shop(BaseModel):
    id: int
    name: str
    city: str


class InventoryItem(BaseModel):
    isbn: str
    title: str
    quantity: int


class Inventory(BaseModel):
    shop_id: int
    items: list[InventoryItem]


class ServiceInfo(BaseModel):
    service: str
    version: str
    served_at: str
