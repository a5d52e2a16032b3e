"""URL converters the bookshop registers on its url_map."""

from __future__ import annotations

from werkzeug.routing import BaseConverter

from .db import ISBN_REGEX


class IsbnConverter(BaseConverter):
    """An ISBN-13 path segment: `978` or `979` followed by ten digits, kept as a string.

    A converter rather than a plain string rule so that `/books/isbn/abc` is a routing 404 and never
    reaches the database.
    """

    regex = ISBN_REGEX

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value
