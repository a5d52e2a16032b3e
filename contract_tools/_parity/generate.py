"""Requests from specs: Schemathesis strategies per operation, rendered to one raw Request.

Both sides' specs are merged per operation (method + path, parameter names ignored); an
operation both declare draws from both schemas, so each side's clients are represented. A case
is rendered once, to bytes, and that one Request goes to both targets.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from hypothesis import strategies as st

from contract_tools._parity.contract import PathContract
from contract_tools._parity.harvest import Snapshot, ValuePool
from contract_tools._parity.slots import Slots, mix
from contract_tools.models import Request

BASELINE = "baseline"
CANDIDATE = "candidate"
MODES = ("positive", "negative", "all")
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")

# Schemathesis (through requests) adds these to every case; a real client of either app would
# not, and an app that echoes headers would show them as drift, so only the case's own stay.
_DEFAULT_HEADERS = frozenset(
    {"user-agent", "accept-encoding", "accept", "connection", "x-schemathesis-testcaseid"}
)
_BASE_URL = "http://localhost"
_BAD_HEADER_CHARS = re.compile(r"[\r\n\x00]")
_TOKEN = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")
# What every request carries: the same Host for both sides, whatever they are.
DEFAULT_REQUEST_HEADERS: tuple[tuple[str, str], ...] = (("Host", "localhost"),)


def operation_key(method: str, path: str) -> str:
    return f"{method.upper()} {path}"


def match_key(method: str, path: str) -> tuple[str, str]:
    """Operations match by method and path shape: ``/b/{id}`` is ``/b/{book_id}``."""
    return method.upper(), re.sub(r"\{[^}/]*\}", "{}", path)


@dataclass
class MergedOperation:
    """One operation of the union of both specs, with the sides that declare it."""

    key: str
    method: str
    path: str
    sources: dict[str, Any] = field(default_factory=dict)  # side -> schemathesis APIOperation
    errors: dict[str, str] = field(default_factory=dict)  # side -> why it is not generatable
    # The run's harvested values; generation mixes some into its requests (None: it does not).
    values: ValuePool | None = field(default=None, compare=False, repr=False)

    @property
    def declared_by(self) -> tuple[str, ...]:
        return tuple(
            side for side in (BASELINE, CANDIDATE) if side in self.sources or side in self.errors
        )


def merge_operations(specs: Mapping[str, dict[str, Any] | None]) -> list[MergedOperation]:
    """The union of the operations of the given specs (side -> OpenAPI document)."""
    import schemathesis

    merged: dict[tuple[str, str], MergedOperation] = {}
    for side in (BASELINE, CANDIDATE):
        document = specs.get(side)
        if not document:
            continue
        schema = schemathesis.openapi.from_dict(document)
        # Walk the document ourselves so that a broken operation names itself in 'skipped'.
        for path, item in (document.get("paths") or {}).items():
            if not isinstance(item, dict):
                continue
            for method in HTTP_METHODS:
                if method not in item:
                    continue
                key = match_key(method, path)
                op = merged.get(key)
                if op is None:
                    op = merged[key] = MergedOperation(
                        operation_key(method, path), method.upper(), path
                    )
                try:
                    op.sources[side] = schema[path][method.upper()]
                except Exception as exc:  # schemathesis raises several kinds for broken schemas
                    op.errors[side] = f"{type(exc).__name__}: {exc}"
    return sorted(merged.values(), key=lambda op: (op.path, op.method))


def build_strategy(operation: MergedOperation, mode: str) -> st.SearchStrategy[Request]:
    """Built once per operation; draws from every declaring side's schema."""
    from schemathesis.generation import GenerationMode

    if mode not in MODES:
        raise ValueError(f"unknown mode {mode!r}")
    modes = {
        "positive": [GenerationMode.POSITIVE],
        "negative": [GenerationMode.NEGATIVE],
        "all": [GenerationMode.POSITIVE, GenerationMode.NEGATIVE],
    }[mode]
    strategies = []
    for side in (BASELINE, CANDIDATE):
        api_operation = operation.sources.get(side)
        if api_operation is None:
            continue
        for generation_mode in modes:
            strategies.append(api_operation.as_strategy(generation_mode=generation_mode))
    if not strategies:
        raise ValueError("no side declares a generatable schema")
    cases = st.one_of(strategies)
    rendered: Any = cases.map(render).filter(is_request)
    if operation.values is not None:
        rendered = _with_values(rendered, operation.values, slots_of(operation))
    return rendered


def _with_values(
    strategy: st.SearchStrategy[Request], pool: ValuePool, slots: Slots
) -> st.SearchStrategy[Request]:
    """Rendered requests with some values replaced by harvested ones (harvest.mix).

    After rendering, so Schemathesis's strategies stay as they are; every choice is a
    Hypothesis draw, so a seed repeats and shrinking drops replacements a drift does not need.
    """
    snapshot = Snapshot(pool)

    @st.composite
    def mixed(draw: st.DrawFn) -> Request:
        request = draw(strategy)
        values = snapshot.values()
        if not values:
            return request
        return mix(request, slots, values, lambda n: draw(st.integers(0, n - 1)))

    result: st.SearchStrategy[Request] = mixed()
    return result


@dataclass(frozen=True)
class Parameter:
    """A declared parameter of either side: where, its name, its schema."""

    location: str
    name: str
    schema: Mapping[str, Any]

    @property
    def closed(self) -> bool:
        """A schema that allows a fixed set of values (enum, const, boolean)."""
        return (
            "enum" in self.schema
            or "const" in self.schema
            or self.schema.get("type")
            in (
                "boolean",
                ["boolean"],
            )
        )


def parameters(operation: MergedOperation) -> list[Parameter]:
    """Every parameter either side declares, baseline's first, once per (location, name);
    header names compare case-insensitively."""
    found: dict[tuple[str, str], Parameter] = {}
    for side in (BASELINE, CANDIDATE):
        api_operation = operation.sources.get(side)
        if api_operation is None:
            continue
        for group in ("path_parameters", "query", "headers", "cookies"):
            for parameter in getattr(api_operation, group, ()) or ():
                definition = getattr(parameter, "definition", None) or {}
                location = str(definition.get("in", ""))
                name = str(definition.get("name", getattr(parameter, "name", "")))
                key = (location, name.lower() if location == "header" else name)
                schema = definition.get("schema")
                found.setdefault(
                    key, Parameter(location, name, schema if isinstance(schema, Mapping) else {})
                )
    return list(found.values())


def body_media_types(operation: MergedOperation) -> tuple[str, ...]:
    """The request media types either side declares, in order, once each."""
    found: list[str] = []
    for side in (BASELINE, CANDIDATE):
        api_operation = operation.sources.get(side)
        for alternative in getattr(api_operation, "body", None) or ():
            media = str(getattr(alternative, "media_type", "")).lower()
            if media and media not in found:
                found.append(media)
    return tuple(found)


def slots_of(operation: MergedOperation) -> Slots:
    """Where harvested values may go in ``operation``'s requests; path values only where
    the declared path schemas (the baseline's first) accept them."""
    declared = parameters(operation)
    in_path = [
        {"in": "path", "name": p.name, "schema": dict(p.schema)}
        for p in declared
        if p.location == "path"
    ]
    contract = PathContract.from_operation(operation.path, {}, {"parameters": in_path})
    return Slots(
        path_ok=contract.accepts,
        template=operation.path,
        headers=frozenset(p.name.lower() for p in declared if p.location == "header"),
        cookies=frozenset(p.name for p in declared if p.location == "cookie"),
        fixed=frozenset(
            (p.location, p.name.lower() if p.location == "header" else p.name)
            for p in declared
            if p.closed
        ),
    )


def coverage_requests(operation: MergedOperation, mode: str, limit: int) -> list[Request]:
    """Schemathesis's deterministic boundary cases (its coverage phase), from every declaring side.

    Boundaries (0, empty and longest strings, each enum value, missing optional parts) are where
    two implementations of one contract part ways; random draws reach them only by luck.
    """
    from schemathesis.generation import GenerationMode

    modes = {
        "positive": [GenerationMode.POSITIVE],
        "negative": [GenerationMode.NEGATIVE],
        "all": [GenerationMode.POSITIVE, GenerationMode.NEGATIVE],
    }[mode]
    found: list[Request] = []
    seen: set[Request] = set()
    for side in (BASELINE, CANDIDATE):
        api_operation = operation.sources.get(side)
        if api_operation is None:
            continue
        schema = api_operation.schema
        try:
            config = schema.config.generation_for(operation=api_operation)
            cases = schema.iter_coverage_cases(
                api_operation, generation_modes=modes, generation_config=config
            )
            # Several cases render to one request (dropped headers, say): read a few more.
            for case in itertools.islice(cases, limit * 4):
                # Only the modes asked for: a positive run sends no invalid input.
                generation = getattr(getattr(case, "meta", None), "generation", None)
                if getattr(generation, "mode", None) not in modes:
                    continue
                request = render(case)
                # Negative coverage also tries other methods on the path; a report filed under
                # 'DELETE /books/{id}' must not hold a PATCH request, so only this method stays.
                if request is None or request.method != operation.method:
                    continue
                if request not in seen:
                    seen.add(request)
                    found.append(request)
                    if len(found) >= limit:
                        return found
        except Exception:
            continue  # a schema the coverage phase cannot walk still gets random cases
    return found


def is_request(value: Request | None) -> bool:
    return value is not None


def render(case: Any) -> Request | None:
    """A Schemathesis case -> the raw request both sides receive (None if not sendable)."""
    import requests

    try:
        kwargs = case.as_transport_kwargs(base_url=_BASE_URL)
        own = {k.lower() for k in (case.headers or {})}
        headers = [
            (str(k), str(v))
            for k, v in (kwargs.get("headers") or {}).items()
            if k.lower() not in _DEFAULT_HEADERS or k.lower() in own
        ]
        body_kwargs = {k: kwargs[k] for k in ("json", "data", "files") if k in kwargs}
        prepared = requests.Request(
            method=kwargs["method"], url=kwargs["url"], params=kwargs.get("params"), **body_kwargs
        ).prepare()
    except Exception:
        # Unserialisable draws (e.g. a body no encoder accepts) are not requests anyone sends.
        return None
    raw: Any = prepared.body or b""
    body: bytes = raw.encode("utf-8") if isinstance(raw, str) else bytes(raw)
    parts = urlsplit(prepared.url or "")
    names = {k.lower() for k, _ in headers}
    content_type = str(prepared.headers.get("Content-Type") or "")
    if content_type and "content-type" not in names:
        headers.append(("Content-Type", content_type))
    cookies = kwargs.get("cookies") or {}
    if cookies:
        headers.append(("Cookie", "; ".join(f"{k}={v}" for k, v in cookies.items())))
    headers = [(k, v) for k, v in headers if k.lower() not in ("host", "content-length")]
    if body or kwargs["method"].upper() in ("POST", "PUT", "PATCH"):
        # Every HTTP client sends a length with a body (httpx even for an empty POST).
        headers.append(("Content-Length", str(len(body))))
    headers = [*DEFAULT_REQUEST_HEADERS, *headers]
    if not all(_sendable(k, v) for k, v in headers):
        return None
    return Request.build(
        kwargs["method"],
        parts.path or "/",
        query=parse_qsl(parts.query, keep_blank_values=True),
        headers=[(k, v.strip()) for k, v in headers],
        body=body,
    )


def _sendable(name: str, value: str) -> bool:
    """What an HTTP/1.1 server would accept on the wire: a token name, no CR/LF/NUL in values."""
    return bool(_TOKEN.match(name)) and not _BAD_HEADER_CHARS.search(value)
