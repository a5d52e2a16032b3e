"""Two id spaces: each side makes its own ids, and a value one side made has a counterpart.

A sequence runs on both sides; the baseline's ``POST /notes`` answers ``id: "4f…"``, the
candidate's ``id: "9a…"``, and each side's next step uses its own id. ``Counterparts`` keeps
that pairing, a bijection between baseline values and candidate values, learned at each step
from what both answers say in the same place (what links read, ``id``-like keys, the Location
path). Before a step is compared, every candidate value that has a counterpart is replaced by it,
anywhere in the answer: nested, inside lists, and inside strings (a Location ``/notes/9a…``, a
message quoting the id) for values long enough not to occur by chance. What is left differs for
a reason the ids do not explain.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from contract_tools._parity.links import Value
from contract_tools.models import Response

# A string value is replaced inside longer strings only from this length on: a UUID, a token,
# a slug; "7" or "ab" would be found by chance in unrelated text.
MIN_EMBEDDED = 8
_ID_KEY = re.compile(r"^(?:id|uuid|.+_id|.+Id|.+_uuid)$")

_Key = tuple[type, Value]


def _key(value: Value) -> _Key:
    # 1 and "1" are different values; True is no id (bool is an int subclass).
    return (type(value), value)


def _is_value(value: Any) -> bool:
    return isinstance(value, (str, int)) and not isinstance(value, bool) and value != ""


class Counterparts:
    """A bijection baseline value <-> candidate value, per sequence run."""

    def __init__(self) -> None:
        self._to_baseline: dict[_Key, Value] = {}
        self._to_candidate: dict[_Key, Value] = {}
        self._pattern: tuple[re.Pattern[str] | None, re.Pattern[str] | None] | None = None

    def __len__(self) -> int:
        return len(self._to_baseline)

    def pairs(self) -> list[tuple[Value, Value]]:
        """(baseline value, candidate value), in the order learned."""
        return [(base, cand[1]) for cand, base in self._to_baseline.items()]

    def learn(self, baseline: Any, candidate: Any) -> bool:
        """Pair two values both sides produced in the same place; False when they cannot be a
        pair (not both ids of one type) or one of them is already paired with another value: the
        first pairing stands, so a later drift cannot rewrite what is compared."""
        if not (_is_value(baseline) and _is_value(candidate)) or type(baseline) is not type(
            candidate
        ):
            return False
        base_key, cand_key = _key(baseline), _key(candidate)
        known = self._to_baseline.get(cand_key)
        if known is not None:
            return _key(known) == base_key
        if base_key in self._to_candidate:
            return False
        self._to_baseline[cand_key] = baseline
        self._to_candidate[base_key] = candidate
        self._pattern = None
        return True

    def learn_answers(self, baseline: Response, candidate: Response) -> None:
        """Pairs both answers show in the same place: ``id``-like keys of a JSON object (and of
        the objects under its top-level keys) and the differing segments of the Location path."""
        for base, cand in _id_fields(baseline, candidate):
            self.learn(base, cand)
        base_loc, cand_loc = baseline.header("location"), candidate.header("location")
        if base_loc and cand_loc:
            base_parts = urlsplit(base_loc).path.split("/")
            cand_parts = urlsplit(cand_loc).path.split("/")
            if len(base_parts) == len(cand_parts):
                for base_part, cand_part in zip(base_parts, cand_parts, strict=True):
                    if base_part != cand_part:
                        self.learn(unquote(base_part), unquote(cand_part))

    # -- substitution ------------------------------------------------------------------------

    def to_baseline(self, value: Any) -> Any:
        """``value`` (a parsed JSON value, or text) with every candidate value replaced by its
        baseline counterpart."""
        return self._map(value, self._to_baseline, 0)

    def to_candidate(self, value: Any) -> Any:
        """The inverse of ``to_baseline``: baseline values replaced by their counterparts."""
        return self._map(value, self._to_candidate, 1)

    def response_to_baseline(self, response: Response) -> Response:
        """The candidate's answer spelled with the baseline's values: header values and the
        JSON body (re-encoded only when a value changed), or a text body as text."""
        if not self._to_baseline:
            return response
        headers = tuple((name, self.to_baseline(value)) for name, value in response.headers)
        body = response.body
        ok, parsed = response.json()
        if ok:
            mapped = self.to_baseline(parsed)
            if mapped != parsed:
                body = json.dumps(mapped, ensure_ascii=False).encode("utf-8")
        else:
            with contextlib.suppress(UnicodeDecodeError):
                body = self.to_baseline(body.decode("utf-8")).encode("utf-8")
        if headers == response.headers and body == response.body:
            return response
        return replace(response, headers=headers, body=body, _json=[])

    def _map(self, value: Any, table: Mapping[_Key, Value], side: int, key: Any = None) -> Any:
        if isinstance(value, dict):
            return {k: self._map(v, table, side, k) for k, v in value.items()}
        if isinstance(value, list):
            return [self._map(v, table, side, key) for v in value]
        if not _is_value(value):
            return value
        if isinstance(value, int) and not (key is None or _ID_KEY.match(str(key))):
            # A number is replaced only where it is an id: 14 may be a count or a stock that
            # merely equals the candidate's id 14.
            return value
        whole = table.get(_key(value))
        if whole is not None:
            return whole
        if isinstance(value, str):
            return self._embedded(value, table, side)
        return value

    def _embedded(self, text: str, table: Mapping[_Key, Value], side: int) -> str:
        if self._pattern is None:
            self._pattern = (_alternation(self._to_baseline), _alternation(self._to_candidate))
        pattern = self._pattern[side]
        if pattern is None or len(text) < MIN_EMBEDDED:
            return text

        def swap(match: re.Match[str]) -> str:
            found = match.group(0)
            other = table.get((str, found))
            if other is None:  # the percent-encoded spelling of a value (in a Location path)
                other = table.get((str, unquote(found)))
                return quote(str(other), safe="") if other is not None else found
            return str(other)

        return pattern.sub(swap, text)


def _alternation(table: Mapping[_Key, Value]) -> re.Pattern[str] | None:
    words: set[str] = set()
    for kind, value in table:
        if kind is str and len(str(value)) >= MIN_EMBEDDED:
            words.add(str(value))
            words.add(quote(str(value), safe=""))
    if not words:
        return None
    # Longest first, one pass: a value that contains another is replaced whole.
    return re.compile("|".join(re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w))))


def _id_fields(baseline: Response, candidate: Response) -> Iterable[tuple[Any, Any]]:
    base_ok, base = baseline.json()
    cand_ok, cand = candidate.json()
    if not (base_ok and cand_ok):
        return []
    found: list[tuple[Any, Any]] = []

    def walk(a: Any, b: Any, depth: int) -> None:
        if isinstance(a, dict) and isinstance(b, dict):
            for key in a.keys() & b.keys():
                if _ID_KEY.match(str(key)):
                    found.append((a[key], b[key]))
                elif depth < 1:
                    walk(a[key], b[key], depth + 1)

    walk(base, cand, 0)
    return found
