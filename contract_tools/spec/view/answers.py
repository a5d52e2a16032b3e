"""What an answer is: a returned value (``jsonify(book), 201``, ``make_response(...)``,
``Response(mimetype=...)``, a redirect, a string) as an ``Outcome`` (status, media type,
``Location``), and the statuses ``abort(code)`` and raised exceptions lead to.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from contract_tools.spec.view.frame import Frame, WalkerBase
from contract_tools.spec.view.reading import Outcome
from contract_tools.spec.view.values import UNKNOWN, Alts, Const, Kind, Resp, Stop, Tup


class Answers(WalkerBase):
    """Outcomes of returned values, idioms and exceptions."""

    def _exception_status(self, cls: Any, frame: Frame | None) -> int | None:
        if not isinstance(cls, type):
            return None
        http = self.idioms.http_exception
        code = getattr(cls, "code", None)
        if http is not None and issubclass(cls, http) and isinstance(code, int):
            self.reading.outcome(Outcome(code, aborted=True))
            return code
        for handled in cls.__mro__:
            if handled in self.idioms.handled:
                self.reading.outcome(Outcome(None, exception=handled, source="handler"))
                return None
        return None

    def _idiom(self, idiom: str, args: list[Any], kwargs: dict[str, Any], frame: Frame) -> Any:
        if idiom == "abort":
            first = args[0] if args else kwargs.get("status")
            if isinstance(first, Const) and isinstance(first.value, int):
                self.reading.outcome(Outcome(first.value, aborted=True))
                return Stop(first.value)
            if isinstance(first, Resp):
                outcome = Outcome(first.status or 200, first.media, first.location)
                self.reading.outcome(outcome)
                return Stop(outcome.status)
            return Stop(None)
        if idiom == "jsonify":
            return Resp(None, "application/json")
        if idiom == "make_response":
            return _make_response(args)
        if idiom == "response":
            return _response_class(args, kwargs)
        if idiom == "redirect":
            code = kwargs.get("code", args[1] if len(args) > 1 else Const(302))
            status = code.value if isinstance(code, Const) and isinstance(code.value, int) else None
            return Resp(status, "", True)
        if idiom == "render_template":
            return Kind("str")
        if idiom == "send_file":
            return Resp(None, None)
        if idiom == "request":
            return UNKNOWN
        return UNKNOWN

    def _answers(self, value: Any) -> Iterator[Outcome]:
        for item in value.values if isinstance(value, Alts) else (value,):
            outcome = answer(item)
            if outcome is not None:
                yield outcome


def status_of(value: Any) -> int | None:
    outcome = answer(value)
    return outcome.status if outcome is not None else None


def answer(value: Any) -> Outcome | None:
    """What a returned value answers: status (200 unless said), media type, Location."""
    if isinstance(value, Alts):
        return None
    if isinstance(value, Tup) and value.items:
        body = answer(value.items[0]) or Outcome(None, None)
        status, location = body.status, body.location
        for item in value.items[1:]:
            if isinstance(item, Const) and isinstance(item.value, int):
                status = item.value
            elif isinstance(item, Kind) and item.name == "dict":
                location = location or any(is_location(k) for k in item.keys)
        media = body.media
        if status == 204 or (isinstance(value.items[0], Const) and value.items[0].value == ""):
            media = ""
        return Outcome(status or 200, media, location)
    if isinstance(value, Resp):
        media = "" if value.status == 204 else value.media
        return Outcome(value.status or 200, media, value.location)
    if isinstance(value, Const):
        if isinstance(value.value, str):
            return Outcome(200, "text/html" if value.value else "")
        if isinstance(value.value, bytes):
            return Outcome(200, "text/html" if value.value else "")
        return None
    if isinstance(value, Kind):
        if value.name == "str":
            return Outcome(200, "text/html")
        if value.name in ("dict", "list"):
            return Outcome(200, "application/json")
    return None


def _make_response(args: list[Any]) -> Any:
    if not args:
        return Resp(None, "")
    body = args[0]
    if isinstance(body, Tup):
        args = list(body.items) + args[1:]
        body = args[0]
    outcome = answer(body)
    status = outcome.status if outcome else None
    media = outcome.media if outcome else None
    location = outcome.location if outcome else False
    if outcome is not None and outcome.status == 200 and not isinstance(body, Resp):
        status = None
    if isinstance(body, Resp):
        status = body.status
    for item in args[1:]:
        if isinstance(item, Const) and isinstance(item.value, int):
            status = item.value
        elif isinstance(item, Kind) and item.name == "dict":
            location = location or any(is_location(k) for k in item.keys)
    return Resp(status, media, location)


def _response_class(args: list[Any], kwargs: dict[str, Any]) -> Any:
    status = kwargs.get("status", args[1] if len(args) > 1 else None)
    code = status.value if isinstance(status, Const) and isinstance(status.value, int) else None
    mimetype = kwargs.get("mimetype", args[3] if len(args) > 3 else None)
    content_type = kwargs.get("content_type", args[4] if len(args) > 4 else None)
    media: str | None = "text/html"
    for given in (content_type, mimetype):
        if given is None:
            continue
        if isinstance(given, Const) and isinstance(given.value, str):
            media = given.value.split(";")[0].strip().lower()
        else:
            media = None
    body = args[0] if args else kwargs.get("response")
    if body is None or (isinstance(body, Const) and body.value in ("", b"", None)):
        media = ""
    headers = kwargs.get("headers", args[2] if len(args) > 2 else None)
    location = isinstance(headers, Kind) and any(is_location(k) for k in headers.keys)
    return Resp(code, media, location)


def response_attribute(base: Resp, attr: str, value: Any) -> Resp:
    if attr == "status_code":
        if isinstance(value, Const) and isinstance(value.value, int):
            return Resp(value.value, base.media, base.location)
        return Resp(-1, base.media, base.location)
    if attr in ("location",):
        return Resp(base.status, base.media, True)
    if attr in ("mimetype", "content_type"):
        if isinstance(value, Const) and isinstance(value.value, str):
            return Resp(base.status, value.value.split(";")[0].strip().lower(), base.location)
        return Resp(base.status, None, base.location)
    return base


def is_location(key: Any) -> bool:
    return isinstance(key, str) and key.lower() == "location"
