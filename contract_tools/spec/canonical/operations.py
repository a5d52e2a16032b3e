"""Operations in comparable form: one ``Operation`` per method and path template (parameter
names ignored: ``/items/{}``), with its parameters, body, responses and security.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from contract_tools.errors import SpecLoadError
from contract_tools.spec.canonical.schemas import Schemas
from contract_tools.spec.canonical.writers import (
    SOURCE,
    draft_unknown,
    observed,
    operation_unknown,
    validation_artefact,
)

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_TEMPLATE = re.compile(r"\{([^}/]*)\}")


@dataclass(frozen=True)
class Parameter:
    location: str
    name: str
    required: bool
    schema: dict[str, Any]
    deprecated: bool = False
    style: str | None = None
    explode: bool | None = None


@dataclass(frozen=True)
class RequestBody:
    required: bool
    content: dict[str, dict[str, Any]]


@dataclass(frozen=True)
class Response:
    status: str
    content: dict[str, dict[str, Any]]
    headers: dict[str, Parameter]
    # FastAPI adds a 422 HTTPValidationError response to every operation with inputs.
    validation_artefact: bool = False
    # flask-spec --learn: the status was only seen, not declared; media type -> cases seen.
    learned: bool = False
    observed: dict[str, int] = field(default_factory=dict)


# One alternative of a security requirement: {scheme name: scopes}; alternatives are OR-ed.
SecurityAlternative = frozenset[tuple[str, frozenset[str]]]


@dataclass
class Operation:
    method: str
    path: str
    path_params: tuple[str, ...]
    parameters: dict[tuple[str, str], Parameter]
    body: RequestBody | None
    responses: dict[str, Response]
    security: tuple[SecurityAlternative, ...]
    security_schemes: dict[str, dict[str, Any]]
    deprecated: bool = False
    operation_id: str | None = None
    # True where a draft (flask-spec) could not see whether the operation reads a body.
    body_unknown: bool = False

    @property
    def label(self) -> str:
        return f"{self.method.upper()} {self.path}"


@dataclass
class CanonicalSpec:
    version: str
    operations: dict[tuple[str, str], Operation] = field(default_factory=dict)


def path_key(template: str) -> str:
    """``/items/{item_id}`` -> ``/items/{}``: parameter names do not change the endpoint."""
    return _TEMPLATE.sub("{}", template)


def path_param_names(template: str) -> tuple[str, ...]:
    return tuple(_TEMPLATE.findall(template))


def canonicalize(doc: Mapping[str, Any]) -> CanonicalSpec:
    """Build the comparable form of ``doc``; SpecLoadError on an unresolvable ``$ref``."""
    return _Canonicalizer(doc).run()


class _Canonicalizer:
    def __init__(self, doc: Mapping[str, Any]) -> None:
        self.doc = doc
        self.version = str(doc.get("openapi", ""))
        self.schemas = Schemas(doc)
        self.schema = self.schemas.schema
        self.deref = self.schemas.deref
        self._draft_unknown = draft_unknown(doc)

    def run(self) -> CanonicalSpec:
        spec = CanonicalSpec(version=self.version)
        paths = self.doc.get("paths") or {}
        if not isinstance(paths, Mapping):
            raise SpecLoadError("'paths' must be a mapping")
        global_security = self.doc.get("security")
        schemes = self._security_schemes()
        for template, raw_item in paths.items():
            if str(template).startswith("x-"):
                continue  # an extension of the Paths Object, not a path
            item = self.deref(raw_item)
            if not isinstance(item, Mapping):
                continue
            shared = list(item.get("parameters") or [])
            for method in HTTP_METHODS:
                raw_op = item.get(method)
                if not isinstance(raw_op, Mapping):
                    continue
                op = self._operation(str(template), method, raw_op, shared, global_security)
                op.security_schemes = {
                    name: schemes.get(name, {}) for alt in op.security for name, _ in alt
                }
                spec.operations[(method.upper(), path_key(str(template)))] = op
        return spec

    def _security_schemes(self) -> dict[str, dict[str, Any]]:
        raw = (self.doc.get("components") or {}).get("securitySchemes") or {}
        result: dict[str, dict[str, Any]] = {}
        for name, scheme in raw.items():
            resolved = self.deref(scheme)
            if isinstance(resolved, Mapping):
                result[name] = {
                    k: v
                    for k, v in resolved.items()
                    if k in ("type", "in", "name", "scheme", "openIdConnectUrl")
                }
        return result

    def _operation(
        self,
        template: str,
        method: str,
        raw: Mapping[str, Any],
        shared: list[Any],
        global_security: Any,
    ) -> Operation:
        names = path_param_names(template)
        params: dict[tuple[str, str], Parameter] = {}
        # Operation-level parameters override path-item ones with the same name and location.
        for raw_param in [*shared, *(raw.get("parameters") or [])]:
            param = self._parameter(raw_param)
            if param.location == "path":
                index = names.index(param.name) if param.name in names else -1
                params[("path", str(index))] = param
            else:
                name = param.name.lower() if param.location == "header" else param.name
                params[(param.location, name)] = param
        body = None
        if raw.get("requestBody") is not None:
            raw_body = self.deref(raw["requestBody"])
            body = RequestBody(
                required=bool(raw_body.get("required", False)),
                content=self._content(raw_body.get("content")),
            )
        responses = {
            str(status): self._response(str(status), resp)
            for status, resp in (raw.get("responses") or {}).items()
            if not str(status).startswith("x-")
        }
        security = raw.get("security", global_security)
        return Operation(
            method=method,
            path=template,
            path_params=names,
            parameters=params,
            body=body,
            responses=responses,
            security=_security(security),
            security_schemes={},
            deprecated=bool(raw.get("deprecated", False)),
            operation_id=raw.get("operationId"),
            body_unknown=body is None
            and ("requestBody" in self._draft_unknown or "requestBody" in operation_unknown(raw)),
        )

    def _parameter(self, raw: Any) -> Parameter:
        param = self.deref(raw)
        if not isinstance(param, Mapping) or "name" not in param or "in" not in param:
            raise SpecLoadError(f"a parameter needs 'name' and 'in': {raw!r}"[:200])
        schema = param.get("schema")
        if schema is None and isinstance(param.get("content"), Mapping):
            media: Any = next(iter(param["content"].values()), {})
            schema = media.get("schema") if isinstance(media, Mapping) else None
        location = str(param["in"])
        return Parameter(
            location=location,
            name=str(param["name"]),
            required=bool(param.get("required", location == "path")),
            schema=self.schema(schema),
            deprecated=bool(param.get("deprecated", False)),
            style=param.get("style"),
            explode=param.get("explode"),
        )

    def _content(self, content: Any) -> dict[str, dict[str, Any]]:
        if not isinstance(content, Mapping):
            return {}
        return {
            str(media).lower(): self.schema((value or {}).get("schema"))
            for media, value in content.items()
        }

    def _response(self, status: str, raw: Any) -> Response:
        resp = self.deref(raw)
        if not isinstance(resp, Mapping):
            resp = {}
        content = resp.get("content")
        headers = {
            str(name).lower(): self._parameter({**self.deref(h), "name": name, "in": "header"})
            for name, h in (resp.get("headers") or {}).items()
            if isinstance(self.deref(h), Mapping)
        }
        return Response(
            status=status,
            content=self._content(content),
            headers=headers,
            validation_artefact=validation_artefact(status, content),
            learned=resp.get(SOURCE) == "learned",
            observed=observed(content),
        )


def _security(raw: Any) -> tuple[SecurityAlternative, ...]:
    if not isinstance(raw, list):
        return ()
    alternatives = []
    for alt in raw:
        if isinstance(alt, Mapping):
            alternatives.append(
                frozenset((str(name), frozenset(scopes or ())) for name, scopes in alt.items())
            )
    return tuple(alternatives)
