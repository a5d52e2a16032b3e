"""Where harvested values go in a request: path parameters, query values, declared headers and
cookies, JSON and form body fields (``Slots`` says which an operation has), one at a time.

``mix`` runs after a case is rendered, so Schemathesis's strategies stay as they are; every
decision is a ``choose`` call, which generation backs with Hypothesis draws, so a seed repeats
and shrinking drops a replacement the drift does not need.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import parse_qsl, quote, unquote, urlencode

from contract_tools._parity.harvest import ODDS, Choose, Values, harvested, text_shape, write_text
from contract_tools.models import Request

_TEMPLATE_PART = re.compile(r"\{([^}/]*)\}")
_JSON_MEDIA = re.compile(r"^application/([^;]*\+)?json\b")
_FORM_MEDIA = "application/x-www-form-urlencoded"


@dataclass(frozen=True)
class Slots:
    """What of an operation's requests may take harvested values: its path parameters, query
    keys, declared headers and cookies, JSON and form body fields; ``fixed`` names
    ``(location, name)`` pairs whose schema allows a closed set (enum, const, boolean)."""

    template: str
    headers: frozenset[str] = frozenset()  # declared header names, lower-case
    cookies: frozenset[str] = frozenset()
    fixed: frozenset[tuple[str, str]] = frozenset()
    # Whether a path fills the template with values its schemas accept: a harvested value that
    # breaks the path contract (a title as an integer id) is not put in.
    path_ok: Callable[[str], bool] | None = None

    def path_regex(self) -> tuple[re.Pattern[str], list[str]]:
        parts = _TEMPLATE_PART.split(self.template)
        pattern = "".join(
            re.escape(part) if index % 2 == 0 else "(.+?)" for index, part in enumerate(parts)
        )
        return re.compile(f"^{pattern}$", re.S), parts[1::2]


def mix(request: Request, slots: Slots, values: Values, choose: Choose) -> Request:
    """``request`` with one value replaced by a harvested one, one time in ``ODDS``.

    One value, not each with some probability: a body of five fields would otherwise rarely
    stay valid, and a drift behind a valid body (a create answering 200 for 201) would hide.
    ``choose`` makes every decision; 0 keeps the request as generated.
    """
    if not values or choose(ODDS) != ODDS - 1:
        return request
    places = _places(request, slots)
    if not places:
        return request
    mixed = places[choose(len(places))](values, choose)
    if mixed.path != request.path and slots.path_ok is not None and not slots.path_ok(mixed.path):
        return request
    return mixed


Place = Callable[[Values, Choose], Request]


def _places(request: Request, slots: Slots) -> list[Place]:
    """Every value of ``request`` that may take a harvested one, as a function that does it."""
    places: list[Place] = []
    regex, names = slots.path_regex()
    match = regex.match(request.path)
    for index, name in enumerate(names if match else (), start=1):
        if ("path", name) not in slots.fixed and match is not None:
            places.append(_path_place(request, match.span(index), match.group(index)))
    for index, (name, value) in enumerate(request.query):
        if ("query", name) not in slots.fixed:
            places.append(_pair_place(request, "query", index, value))
    for index, (name, value) in enumerate(request.headers):
        lowered = name.lower()
        if lowered in slots.headers and ("header", lowered) not in slots.fixed:
            places.append(_pair_place(request, "headers", index, value))
        elif lowered == "cookie" and slots.cookies:
            places.extend(_cookie_places(request, index, value, slots))
    places.extend(_body_places(request))
    return places


def _new_text(text: str, values: Values, choose: Choose) -> str:
    new = harvested(text_shape(text), values, choose)
    return text if new is None else write_text(new)


def _path_place(request: Request, span: tuple[int, int], raw: str) -> Place:
    def place(values: Values, choose: Choose) -> Request:
        new = _new_text(unquote(raw), values, choose)
        path = request.path[: span[0]] + quote(new, safe="") + request.path[span[1] :]
        return replace(request, path=path)

    return place


def _pair_place(request: Request, field: str, index: int, value: str) -> Place:
    def place(values: Values, choose: Choose) -> Request:
        pairs = list(request.query if field == "query" else request.headers)
        pairs[index] = (pairs[index][0], _new_text(value, values, choose))
        if field == "query":
            return replace(request, query=tuple(pairs))
        return replace(request, headers=tuple(pairs))

    return place


def _cookie_places(request: Request, index: int, header: str, slots: Slots) -> list[Place]:
    parts = header.split("; ")
    places: list[Place] = []
    for position, part in enumerate(parts):
        name, sep, _ = part.partition("=")
        if not sep or name not in slots.cookies or ("cookie", name) in slots.fixed:
            continue

        def place(values: Values, choose: Choose, position: int = position) -> Request:
            name, _, value = parts[position].partition("=")
            new = [*parts]
            new[position] = f"{name}={_new_text(value, values, choose)}"
            headers = list(request.headers)
            headers[index] = (headers[index][0], "; ".join(new))
            return replace(request, headers=tuple(headers))

        places.append(place)
    return places


def _body_places(request: Request) -> list[Place]:
    media = (request.header("content-type") or "").split(";", 1)[0].strip().lower()
    if not request.body:
        return []
    if _JSON_MEDIA.match(media):
        try:
            document = json.loads(request.body)
        except (ValueError, UnicodeDecodeError, RecursionError):
            return []
        # json.dumps with its defaults is how the request was written (requests' json=).

        def leaf(keys: tuple[Any, ...]) -> Callable[[Values, Choose], bytes]:
            def write(values: Values, choose: Choose) -> bytes:
                return json.dumps(_set(document, keys, values, choose)).encode("utf-8")

            return write

        return [_body_place(request, leaf(keys)) for keys in _json_leaves(document, ())]
    if media == _FORM_MEDIA:
        try:
            pairs = parse_qsl(request.body.decode("ascii"), keep_blank_values=True)
        except UnicodeDecodeError:
            return []

        def form(index: int) -> Callable[[Values, Choose], bytes]:
            def write(values: Values, choose: Choose) -> bytes:
                new = list(pairs)
                new[index] = (new[index][0], _new_text(new[index][1], values, choose))
                return urlencode(new).encode("ascii")

            return write

        return [_body_place(request, form(index)) for index in range(len(pairs))]
    return []


def _body_place(request: Request, write: Callable[[Values, Choose], bytes]) -> Place:
    def place(values: Values, choose: Choose) -> Request:
        body = write(values, choose)
        headers = tuple(
            (k, str(len(body)) if k.lower() == "content-length" else v) for k, v in request.headers
        )
        return replace(request, headers=headers, body=body)

    return place


def _json_leaves(document: Any, keys: tuple[Any, ...]) -> list[tuple[Any, ...]]:
    """Paths (keys and indexes) to the string and number leaves of a JSON document."""
    if isinstance(document, dict):
        return [p for k, v in document.items() for p in _json_leaves(v, (*keys, k))]
    if isinstance(document, list):
        return [p for i, v in enumerate(document) for p in _json_leaves(v, (*keys, i))]
    if isinstance(document, (str, int, float)) and not isinstance(document, bool):
        return [keys]
    return []


def _set(document: Any, keys: tuple[Any, ...], values: Values, choose: Choose) -> Any:
    """A copy of ``document`` with the leaf at ``keys`` replaced by a harvested value."""
    if not keys:
        new = harvested(document, values, choose)
        return document if new is None else new
    head, rest = keys[0], keys[1:]
    if isinstance(document, dict):
        return {k: _set(v, rest, values, choose) if k == head else v for k, v in document.items()}
    return [_set(v, rest, values, choose) if i == head else v for i, v in enumerate(document)]
