"""What a view does with the request, as read from its source: the values it reads and the
checks on them (a ``constraints.Table``), the bodies it takes, the ways it answers, and what could
not be seen. ``walk.read_view`` fills a ``ViewReading``; ``parameters_of`` turns its query and
header reads into OpenAPI parameters.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from contract_tools.spec import constraints as c
from contract_tools.spec.constraints import Read


@dataclass(frozen=True)
class Idioms:
    """The framework's objects by identity: ``{id(flask.abort): "abort", ...}``."""

    names: Mapping[int, str]
    http_exception: type | None = None
    # Exception classes the app registered error handlers for (class -> handler function).
    handled: Mapping[type, Any] = field(default_factory=dict)

    def name_of(self, obj: Any) -> str | None:
        return self.names.get(id(obj))


@dataclass(frozen=True)
class Model:
    """A body validated by a model: pydantic class or marshmallow schema (class or instance)."""

    cls: Any
    read: Read
    library: str


@dataclass(frozen=True)
class Outcome:
    """One way the view answers: a status (None: the framework's 200), media, Location."""

    status: int | None
    media: str | None = None  # "" no body; None unknown
    location: bool = False
    aborted: bool = False  # abort(code)/raise NotFound(): the error handler writes the body
    exception: Any = None  # an exception class an app error handler answers
    source: str = "view"


@dataclass
class BodyUse:
    """How the view obtained the body: ``get_json()``, ``silent=True``, ``request.form`` ..."""

    location: str
    required: bool
    media: tuple[str, ...] = ()


@dataclass
class ViewReading:
    """Everything read from one view: values, checks, answers, and what could not be seen."""

    table: c.Table = field(default_factory=c.Table)
    bodies: dict[str, BodyUse] = field(default_factory=dict)
    models: list[Model] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)
    opaque_query: list[str] = field(default_factory=list)
    opaque_body: list[str] = field(default_factory=list)
    readable: bool = False  # the view's own source was found
    failure: str | None = None  # reading stopped on an error: nothing of this view is drafted

    def outcome(self, outcome: Outcome) -> None:
        if outcome not in self.outcomes:
            self.outcomes.append(outcome)


@dataclass(frozen=True)
class ReadParameter:
    """One query or header value a view reads, as an OpenAPI parameter."""

    location: str  # "query" or "header"
    name: str
    required: bool
    schema: dict[str, Any] = field(default_factory=dict)
    falls_back: bool = False

    def to_openapi(self) -> dict[str, Any]:
        parameter: dict[str, Any] = {
            "name": self.name,
            "in": self.location,
            "required": self.required,
            "schema": dict(self.schema),
            "x-contract-tools-source": "view",
        }
        if self.falls_back:
            parameter["x-contract-tools-fallback"] = (
                "a value the type rejects falls back to the default (no 400)"
            )
        return parameter


def parameters_of(reading: ViewReading) -> list[ReadParameter]:
    found: dict[tuple[str, str], ReadParameter] = {}
    for ref, facts in reading.table.facts.items():
        if ref.location not in ("query", "header") or len(ref.path) != 1:
            continue
        name = str(ref.path[0])
        key = (ref.location, name.lower() if ref.location == "header" else name)
        if key in found:
            continue
        item = c.schema_of(facts)
        schema = {"type": "array", "items": item} if facts.many else item
        if facts.many:
            item.pop("default", None)
        required = facts.required and not facts.many
        found[key] = ReadParameter(ref.location, name, required, schema, facts.falls_back)
    return list(found.values())
