"""Where two answers differ: a ``ResponsePath`` names the status, one header, or a place in the
body as a JSON path kept as a tuple of keys and indexes, rendered ``$.a[*].b`` only at output.
Stdlib only.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable
from dataclasses import dataclass, field


class _Every:
    """The ``[*]`` of a JSON path: any index. The same drift in item 0 and item 7 is one drift."""

    _instance: _Every | None = None

    def __new__(cls) -> _Every:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "EVERY"

    def __reduce__(self) -> str:
        return "EVERY"


EVERY = _Every()
Key = str | int | _Every

_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")
_TOKEN = re.compile(
    r"\.([A-Za-z_][A-Za-z0-9_-]*)"  # .name
    r"|\[('(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\")\]"  # ['odd key'] or ["odd key"]
    r"|\[(\d+)\]"  # [3]
    r"|(\[\*\])"  # [*]
)

STATUS = "status"
HEADER = "header"
BODY = "body"


@dataclass(frozen=True)
class ResponsePath:
    """A place in a response: its status, one header (by lowercase name), or a body JSON path.

    ``keys`` of a body path are object keys (str), list indexes (int) or ``EVERY``; ``()`` is the
    whole body (``$``, also what a non-JSON body difference is reported at).
    """

    part: str
    keys: tuple[Key, ...] = ()
    text: str = field(default="", compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.part not in (STATUS, HEADER, BODY):
            raise ValueError(f"unknown response part {self.part!r}")
        if self.part == HEADER:
            object.__setattr__(self, "keys", (str(self.keys[0]).lower(),))
        # Rendered once: paths are compared, sorted and matched by their text many times a run.
        object.__setattr__(self, "text", self._render())

    @classmethod
    def status(cls) -> ResponsePath:
        return cls(STATUS)

    @classmethod
    def header(cls, name: str) -> ResponsePath:
        return cls(HEADER, (name,))

    @classmethod
    def body(cls, keys: Iterable[Key] = ()) -> ResponsePath:
        return cls(BODY, tuple(keys))

    def generalised(self) -> ResponsePath:
        """List indexes become ``[*]``: a drift in any item is the same drift."""
        if self.part != BODY or not any(isinstance(k, int) for k in self.keys):
            return self
        return ResponsePath(BODY, tuple(EVERY if isinstance(k, int) else k for k in self.keys))

    def _render(self) -> str:
        if self.part == STATUS:
            return STATUS
        if self.part == HEADER:
            return f"header:{self.keys[0]}"
        out = "$"
        for key in self.keys:
            if key is EVERY:
                out += "[*]"
            elif isinstance(key, int):
                out += f"[{key}]"
            elif _IDENT.match(str(key)):
                out += f".{key}"
            else:
                out += "[" + repr(str(key)) + "]"
        return out

    def __str__(self) -> str:
        return self.text

    @classmethod
    def parse(cls, text: str) -> ResponsePath:
        """The inverse of ``str()``: ``status``, ``header:etag``, ``$.items[*]['odd key']``."""
        text = text.strip()
        if text == STATUS:
            return cls.status()
        if text.startswith("header:"):
            return cls.header(text.removeprefix("header:"))
        if not text.startswith("$"):
            raise ValueError(f"not a response path {text!r} (expected status, header:NAME or $...)")
        keys: list[Key] = []
        position = 1
        while position < len(text):
            match = _TOKEN.match(text, position)
            if match is None:
                raise ValueError(f"not a JSON path {text!r} (at character {position})")
            if match.group(1) is not None:
                keys.append(match.group(1))
            elif match.group(2) is not None:
                keys.append(str(ast.literal_eval(match.group(2))))
            elif match.group(3) is not None:
                keys.append(int(match.group(3)))
            else:
                keys.append(EVERY)
            position = match.end()
        return cls.body(keys)
