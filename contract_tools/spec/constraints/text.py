"""Conditions on text: ``str`` predicates (``isdigit`` ...) as ASCII character classes, and
``re.fullmatch/match/search`` patterns as JSON Schema patterns.
"""

from __future__ import annotations

import re

_ASCII = frozenset(chr(c) for c in range(128))
_DIGITS = frozenset("0123456789")
_LETTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
# str methods -> (ASCII characters they accept, needs at least one character). Unicode letters
# and digits also pass isalpha/isdigit; the draft keeps to ASCII, which is stricter, never looser.
STRING_PREDICATES: dict[str, tuple[frozenset[str], bool]] = {
    "isascii": (_ASCII, False),
    "isdigit": (_DIGITS, True),
    "isdecimal": (_DIGITS, True),
    "isnumeric": (_DIGITS, True),
    "isalpha": (_LETTERS, True),
    "isalnum": (_LETTERS | _DIGITS, True),
}


def regex_for(pattern: str, how: str) -> str | None:
    """``re.fullmatch/match/search(pattern, x)`` as a JSON Schema pattern."""
    try:
        re.compile(pattern)
    except re.error:
        return None
    if how == "fullmatch":
        return f"^(?:{pattern})$(?!\\n)" if not _atomic(pattern) else f"^{pattern}$(?!\\n)"
    if how == "match":
        return f"^(?:{pattern})" if not _atomic(pattern) else f"^{pattern}"
    return pattern


def _atomic(regex: str) -> bool:
    """True when no top-level ``|`` would bind differently once anchors are added."""
    depth, escaped, in_class = 0, False, False
    for char in regex:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            return False
    return not regex.startswith("^")
