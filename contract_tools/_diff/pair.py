"""One operation in base and revision, with the schema changes rules read from it."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from contract_tools._diff.schemas import Change, compare_schemas
from contract_tools.spec.canonical import Operation, Parameter

# Scopes of schema changes; a rule id is usually ``<scope>-<change kind>``.
PATH_PARAMETER = "path-parameter"
REQUEST_PARAMETER = "request-parameter"
REQUEST_BODY = "request-body"
RESPONSE_BODY = "response-body"


@dataclass(frozen=True)
class ScopedChange:
    """A schema change plus where in the operation it happened (for messages and details)."""

    scope: str
    change: Change
    where: Mapping[str, str]

    @property
    def subject(self) -> str:
        w = self.where
        if self.scope in (PATH_PARAMETER, REQUEST_PARAMETER):
            head = f"{w['in']} parameter {w['name']!r}"
        elif self.scope == REQUEST_BODY:
            head = f"request body ({w['media_type']})"
        else:
            head = f"response {w['status']} ({w['media_type']})"
        return head if self.change.location == "$" else f"{head} at {self.change.location}"

    def details(self) -> dict[str, Any]:
        return {
            **self.where,
            "location": self.change.location,
            "base": self.change.base,
            "revision": self.change.revision,
        }


@dataclass
class OperationPair:
    base: Operation | None
    revision: Operation | None
    _changes: dict[tuple[str, str], list[ScopedChange]] = field(default_factory=dict)

    @classmethod
    def build(cls, base: Operation | None, revision: Operation | None) -> OperationPair:
        pair = cls(base, revision)
        if base is not None and revision is not None:
            grouped: dict[tuple[str, str], list[ScopedChange]] = defaultdict(list)
            for scoped in _schema_changes(base, revision):
                grouped[(scoped.scope, scoped.change.kind)].append(scoped)
            pair._changes = dict(grouped)
        return pair

    @property
    def label(self) -> str:
        """``METHOD /path/{param}`` with the base's parameter names when there is a base."""
        op = self.base or self.revision
        assert op is not None
        return op.label

    @property
    def both(self) -> tuple[Operation, Operation] | None:
        if self.base is None or self.revision is None:
            return None
        return self.base, self.revision

    def changes(self, scope: str, kind: str) -> list[ScopedChange]:
        return self._changes.get((scope, kind), [])

    def common_parameters(self) -> Iterator[tuple[Parameter, Parameter]]:
        if self.base is None or self.revision is None:
            return
        for key, param in self.base.parameters.items():
            other = self.revision.parameters.get(key)
            if other is not None:
                yield param, other


def _param_where(param: Parameter) -> dict[str, str]:
    return {"in": param.location, "name": param.name}


def _schema_changes(base: Operation, revision: Operation) -> Iterator[ScopedChange]:
    for key, param in base.parameters.items():
        other = revision.parameters.get(key)
        if other is None:
            continue
        scope = PATH_PARAMETER if param.location == "path" else REQUEST_PARAMETER
        for change in compare_schemas(param.schema, other.schema, request=True, textual=True):
            yield ScopedChange(scope, change, _param_where(param))
    if base.body is not None and revision.body is not None:
        for media, schema in base.body.content.items():
            other_schema = revision.body.content.get(media)
            if other_schema is None:
                continue
            for change in compare_schemas(schema, other_schema, request=True):
                yield ScopedChange(REQUEST_BODY, change, {"media_type": media})
    for status, response in base.responses.items():
        other_response = revision.responses.get(status)
        if other_response is None:
            continue
        for media, schema in response.content.items():
            other_schema = other_response.content.get(media)
            if other_schema is None:
                continue
            for change in compare_schemas(schema, other_schema, request=False):
                yield ScopedChange(RESPONSE_BODY, change, {"status": status, "media_type": media})
