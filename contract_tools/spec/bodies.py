"""A view's request body, from what its code reads and checks, or from the model it validates.

The careful case is the one that looks optional and is not: ``get_json(silent=True)`` gives None
for a missing or malformed body, and a following ``if not isinstance(data, dict): abort(400)``
makes the body required after all. Constraints (constraints/) decide that, key by key.

When the body is read but its shape cannot be known (handed to a library, iterated, read as raw
bytes), no schema is guessed: the operation says ``unknown: [requestBody]`` and why.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from contract_tools.spec import constraints as c
from contract_tools.spec.models import ModelError, model_schema
from contract_tools.spec.view.reading import ViewReading

SOURCE = "x-contract-tools-source"
_FILE = {"type": "string", "format": "binary"}


@dataclass
class BodyDraft:
    """The requestBody, or why there is none although a body is read."""

    body: dict[str, Any] | None = None
    unknown: list[str] = field(default_factory=list)
    components: dict[str, Any] = field(default_factory=dict)


def request_body(reading: ViewReading) -> BodyDraft:
    if reading.models:
        return _from_model(reading)
    draft = BodyDraft()
    uses = reading.bodies
    if not uses:
        return draft
    if reading.opaque_body:
        draft.unknown = list(reading.opaque_body)
        return draft
    if "json" in uses:
        root = c.Ref("json")
        schema = _tree(reading.table, root)
        root_facts = reading.table.facts.get(root)
        required = uses["json"].required or bool(root_facts and root_facts.required)
        draft.body = _body({"application/json": {"schema": schema}}, required)
        return draft
    if "form" in uses or "files" in uses:
        return _form(reading)
    draft.unknown = ["the raw request body (request.data) is read; its format is not known"]
    return draft


def _body(content: dict[str, Any], required: bool) -> dict[str, Any]:
    return {"required": required, "content": content, SOURCE: "view"}


def _from_model(reading: ViewReading) -> BodyDraft:
    model = reading.models[0]
    draft = BodyDraft()
    try:
        schema, definitions = model_schema(model.cls, model.library)
    except ModelError as exc:
        draft.unknown = [f"body model {exc}"]
        return draft
    location = model.read.ref.location
    media = {
        "json": "application/json",
        "form": "application/x-www-form-urlencoded",
    }.get(location)
    if media is None or model.read.ref.path:
        draft.unknown = [f"body model {model.cls.__name__} applied to part of the request"]
        return draft
    use = reading.bodies.get(location)
    draft.body = _body({media: {"schema": schema}}, use.required if use else True)
    draft.components = definitions
    return draft


def _form(reading: ViewReading) -> BodyDraft:
    properties: dict[str, Any] = {}
    required: list[str] = []
    files = False
    for ref, facts in reading.table.facts.items():
        if ref.location not in ("form", "files") or len(ref.path) != 1:
            continue
        name = str(ref.path[0])
        if ref.location == "files":
            files = True
            schema: dict[str, Any] = dict(_FILE)
        else:
            schema = c.schema_of(facts)
        if facts.many:
            schema.pop("default", None)
            schema = {"type": "array", "items": schema}
        properties.setdefault(name, schema)
        if facts.required and not facts.many and name not in required:
            required.append(name)
    schema = {"type": "object", "properties": properties}
    if required:
        schema["required"] = required
    media = "multipart/form-data" if files else "application/x-www-form-urlencoded"
    return BodyDraft(_body({media: {"schema": schema}}, bool(required)))


def _tree(table: c.Table, root: c.Ref) -> dict[str, Any]:
    """The schema of ``root`` and every key read below it."""
    children: dict[c.Ref, list[c.Ref]] = {}
    for ref in list(table.facts):
        # Every ancestor is a node, read or not (``for line in data["lines"]`` reads no "*").
        while ref.location == root.location and len(ref.path) > len(root.path):
            parent = c.Ref(ref.location, ref.path[:-1])
            table.of(ref)
            siblings = children.setdefault(parent, [])
            if ref not in siblings:
                siblings.append(ref)
            ref = parent
    return _node(table, root, children)


def _node(table: c.Table, ref: c.Ref, children: dict[c.Ref, list[c.Ref]]) -> dict[str, Any]:
    facts = table.facts.get(ref) or c.Facts(ref)
    if facts.escaped:
        return {}  # handed to code the draft cannot read: any shape
    kids = children.get(ref, [])
    keys = [k for k in kids if isinstance(k.path[-1], str) and k.path[-1] != "*"]
    items = [k for k in kids if k.path[-1] == "*"]
    if keys:
        facts.restrict({"object"})
    elif items:
        facts.restrict({"array"})
    schema = c.schema_of(facts)
    if (keys or items) and not schema.get("type"):
        return {}  # read both as an object and as something else: no single shape
    if keys:
        properties = {}
        required = []
        for key in keys:
            name = str(key.path[-1])
            properties[name] = _node(table, key, children)
            kid = table.facts[key]
            if kid.required:
                required.append(name)
        schema["properties"] = properties
        if required:
            schema["required"] = required
    if items:
        schema["items"] = _node(table, items[0], children)
    return schema
