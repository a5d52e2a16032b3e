"""Values from responses: strings and numbers the apps answered with, fed back into requests.

Random strings rarely hit what an app stores (a title to search for, an id to fetch), so a drift
that only shows on stored data (a search made case-sensitive) stays hidden. A run keeps a pool
of the values its responses held, plus the spec's examples, and generation puts some of them,
mutated (case, prefix, substring, number neighbours), into later requests' path, query, header,
cookie and body values.

Determinism: a value joins the pool when *both* sides have answered it (in any response of the
run). Generated ids and timestamps differ between the sides, so they never get in, and the
pool, filled in the order responses arrive, is the same for every run of a seed. Values that
hold a time of day are kept out too: two sides stamping the same second would still differ
between runs. Generation reads the pool through a ``Snapshot``, frozen at its first read, so an
operation's draws, and the shrinker's replay of them, see one fixed list.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from contract_tools.models import Response

Value = str | int | float
# choose(n) -> a number in 0..n-1; 0 is the simplest choice (what shrinking moves towards).
Choose = Callable[[int], int]

# A slot takes a harvested value with probability 1/ODDS: most draws stay as generated.
ODDS = 4
MAX_STRING = 200
POOL_LIMIT = 500  # values kept per run
SEEN_LIMIT = 20_000  # values remembered per side while waiting for the other side to show them
PER_RESPONSE = 500  # values read from one response (a long listing says the same thing twice)

_TIME_OF_DAY = re.compile(r"\d{1,2}:\d{2}:\d{2}")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_INTEGER = re.compile(r"-?\d+")
_NUMBER = re.compile(r"-?\d+\.\d+")


def _key(value: Value) -> tuple[str, Value]:
    # 1, 1.0 and True are equal in Python; in a request they are three different values.
    return (type(value).__name__, value)


def usable(value: Any) -> bool:
    """A value worth sending again: a short printable string or a finite number."""
    if isinstance(value, bool):
        return False
    if isinstance(value, str):
        return (
            0 < len(value) <= MAX_STRING
            and not _CONTROL.search(value)
            and not _TIME_OF_DAY.search(value)
        )
    if isinstance(value, float):
        return math.isfinite(value)
    return isinstance(value, int)


def leaves(document: Any, limit: int = PER_RESPONSE) -> list[Value]:
    """The usable scalar values of a JSON document, depth first in document order."""
    found: list[Value] = []
    stack = [document]
    while stack and len(found) < limit:
        item = stack.pop()
        if isinstance(item, Mapping):
            stack.extend(reversed(list(item.values())))
        elif isinstance(item, list):
            stack.extend(reversed(item))
        elif usable(item):
            found.append(item)
    return found


def response_values(response: Response) -> list[Value]:
    """What a response offers: the scalars of a JSON body (other bodies are not read)."""
    if not response.is_json:
        return []
    ok, document = response.json()
    return leaves(document) if ok else []


def example_values(document: Mapping[str, Any] | None) -> list[Value]:
    """Every ``example``/``examples`` value of an OpenAPI document, in document order."""
    found: list[Value] = []
    stack: list[Any] = [document or {}]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(reversed(item))
            continue
        if not isinstance(item, Mapping):
            continue
        later: list[Any] = []
        for key, value in item.items():
            if key == "example" or (key == "examples" and isinstance(value, list)):
                found.extend(leaves(value))
            elif key == "examples" and isinstance(value, Mapping):  # named Example objects
                for example in value.values():
                    if isinstance(example, Mapping) and "value" in example:
                        found.extend(leaves(example["value"]))
            elif key == "properties" and isinstance(value, Mapping):
                later.extend(value.values())  # property names are not keywords: 'example' too
            elif isinstance(value, (Mapping, list)):
                later.append(value)
        stack.extend(reversed(later))
    return found


class ValuePool:
    """The run's harvested values, in the order they qualified; no duplicates."""

    def __init__(self, limit: int = POOL_LIMIT) -> None:
        self.limit = limit
        self._values: list[Value] = []
        self._keys: set[tuple[str, Value]] = set()
        self._seen: tuple[set[tuple[str, Value]], set[tuple[str, Value]]] = (set(), set())

    def __len__(self) -> int:
        return len(self._values)

    def add(self, value: Value) -> None:
        key = _key(value)
        if key not in self._keys and len(self._values) < self.limit and usable(value):
            self._keys.add(key)
            self._values.append(value)

    def add_examples(self, document: Mapping[str, Any] | None) -> None:
        """A spec's examples: declared, so the same every run; they join at once."""
        for value in example_values(document):
            self.add(value)

    def take(self, baseline: Response, candidate: Response) -> None:
        """Read both answers to one request; values both sides have shown join the pool."""
        for side, response in enumerate((baseline, candidate)):
            mine, other = self._seen[side], self._seen[1 - side]
            for value in response_values(response):
                key = _key(value)
                if key in other:
                    self.add(value)
                if len(mine) < SEEN_LIMIT:
                    mine.add(key)

    def values(self) -> tuple[Value, ...]:
        return tuple(self._values)

    def copy(self) -> ValuePool:
        """An independent pool with the same values and sightings (a unit's own)."""
        pool = ValuePool(self.limit)
        pool._values = list(self._values)
        pool._keys = set(self._keys)
        pool._seen = (set(self._seen[0]), set(self._seen[1]))
        return pool


@dataclass
class Snapshot:
    """The pool as one operation's generation sees it: frozen at the first read, so the
    draws of an exploration and the shrinker's replay of them see the same values."""

    pool: ValuePool
    _frozen: Values | None = None

    def values(self) -> Values:
        if self._frozen is None:
            self._frozen = Values.of(self.pool.values())
        return self._frozen


@dataclass(frozen=True)
class Values:
    """Pool values split by the kind of slot that can take them."""

    strings: tuple[str, ...] = ()
    integers: tuple[int, ...] = ()
    numbers: tuple[float, ...] = ()

    @classmethod
    def of(cls, values: tuple[Value, ...]) -> Values:
        return cls(
            tuple(v for v in values if isinstance(v, str)),
            tuple(v for v in values if isinstance(v, int)),
            tuple(float(v) for v in values if isinstance(v, (int, float))),
        )

    def __bool__(self) -> bool:
        return bool(self.strings or self.numbers)


# --- mutations: index 0 is the value as seen, the one shrinking moves towards --------------------


def _middle(text: str) -> str:
    words = text.split()
    if len(words) > 1:
        return words[len(words) // 2]
    return text[1:-1] or text


STRING_MUTATIONS: tuple[Callable[[str], str], ...] = (
    lambda s: s,
    str.upper,
    str.lower,
    str.swapcase,
    lambda s: s[: max(1, len(s) // 2)],  # a prefix
    lambda s: s[len(s) // 2 :],  # a suffix
    _middle,  # a word, or the inside of a single word
    lambda s: s + s[-1:],  # a neighbour: one character more
)
INTEGER_MUTATIONS: tuple[Callable[[int], int], ...] = (
    lambda n: n,
    lambda n: n + 1,
    lambda n: n - 1,
    lambda n: -n,
)
NUMBER_MUTATIONS: tuple[Callable[[float], float], ...] = (
    lambda x: x,
    lambda x: x + 1,
    lambda x: x - 1,
    lambda x: -x,
)


def harvested(shape: Value, values: Values, choose: Choose) -> Value | None:
    """A pool value (mutated) of the same kind as ``shape``, or None when the pool has none."""
    if isinstance(shape, bool):
        return None
    if isinstance(shape, int):
        if not values.integers:
            return None
        integer = values.integers[choose(len(values.integers))]
        return INTEGER_MUTATIONS[choose(len(INTEGER_MUTATIONS))](integer)
    if isinstance(shape, float):
        if not values.numbers:
            return None
        number = values.numbers[choose(len(values.numbers))]
        return NUMBER_MUTATIONS[choose(len(NUMBER_MUTATIONS))](number)
    if not values.strings:
        return None
    text = values.strings[choose(len(values.strings))]
    return STRING_MUTATIONS[choose(len(STRING_MUTATIONS))](text)


def text_shape(text: str) -> Value:
    """What a text slot (path, query, header, form) holds: an integer, a number or a string."""
    if _INTEGER.fullmatch(text):
        return int(text)
    if _NUMBER.fullmatch(text):
        return float(text)
    return text


def write_text(value: Value) -> str:
    """A value as a path, query, header or form value holds it."""
    return repr(value) if isinstance(value, float) else str(value)
