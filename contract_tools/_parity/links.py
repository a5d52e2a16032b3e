"""Links: which value of one operation's answer fills a path parameter of a later step.

A sequence is only worth running when a step can reach what an earlier step created, so each
link says where a later step's path parameter comes from. Four sources, from either side's spec
(the legacy draft usually has no response schemas; the port's response models do):

- OpenAPI ``links`` declared on a response (``$response.body#/id``, ``$response.header.Location``);
- Schemathesis's own inference over each spec (``step_generation.inferred_links``);
- names and shapes: ``POST /notes`` answers an object whose ``id`` (or ``note_id``) fits the
  ``{note_id}`` of ``/notes/{note_id}``, ``GET /notes`` a list of them; with a response schema the
  property must exist and its type fit the parameter's, without one the names are tried as seen;
- the ``Location`` header of a creating operation, read against the target's path template.

A link holds every way of reading the value, in that order; at run time the first one that
yields a value on a side wins, separately on each side (each side feeds its own ids forward).
Parameters are named as the merged operation's template names them: the sides' templates may
name one parameter differently (``{id}`` vs ``{note_id}``), so links match them by position.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlsplit

from contract_tools._parity.generate import (
    BASELINE,
    CANDIDATE,
    HTTP_METHODS,
    MergedOperation,
    match_key,
)
from contract_tools._parity.step_generation import inferred_links
from contract_tools.models import Response

LOCATION = "header:location"
BODY = "body:"
_PARAM = re.compile(r"\{([^}/]*)\}")
# Operations that create what they answer with: their Location (if any) names the new resource.
_CREATING = frozenset({"POST", "PUT"})

Value = str | int


@dataclass(frozen=True, order=True)
class Link:
    """``target``'s path parameter ``parameter`` can take a value from ``source``'s answer."""

    source: str
    target: str
    template: str  # the target's path template (merged names)
    parameter: str
    extractors: tuple[str, ...]  # "body:/id", "body:/*/id", "header:location"; tried in order
    origins: tuple[str, ...] = ()  # openapi, schemathesis, name, location: why it exists


def parameters(template: str) -> list[str]:
    return _PARAM.findall(template)


def infer_links(
    operations: Iterable[MergedOperation], specs: Mapping[str, Mapping[str, Any] | None]
) -> list[Link]:
    """Every link between ``operations`` that either side's spec or the names support."""
    ops = list(operations)
    by_match = {match_key(op.method, op.path): op for op in ops}
    found: dict[tuple[str, str, str], tuple[list[str], list[str]]] = {}

    def add(
        source: MergedOperation, target: MergedOperation, index: int, how: str, why: str
    ) -> None:
        names = parameters(target.path)
        if not 0 <= index < len(names) or (source.key == target.key and how == LOCATION):
            return
        extractors, origins = found.setdefault((source.key, target.key, names[index]), ([], []))
        if how not in extractors:
            extractors.append(how)
        if why not in origins:
            origins.append(why)

    def lookup(method: str, path: str) -> MergedOperation | None:
        return by_match.get(match_key(method, path))

    for side in (BASELINE, CANDIDATE):
        document = specs.get(side) or {}
        for (
            source_method,
            source_path,
            target_method,
            target_path,
            name,
            expression,
        ) in _declared_links(document):
            source, target = lookup(source_method, source_path), lookup(target_method, target_path)
            how = _extractor(expression)
            if source is not None and target is not None and how is not None:
                add(source, target, _index(target_path, name), how, "openapi")
        for row in inferred_links(document) if document else ():
            source, target = lookup(row[0], row[1]), lookup(row[2], row[3])
            how = _extractor(row[5])
            if source is not None and target is not None and how is not None:
                add(source, target, _index(row[3], row[4]), how, "schemathesis")
    for target in ops:
        for index, name in enumerate(parameters(target.path)):
            prefix = target.path[: target.path.index("{" + name + "}")]
            for source in ops:
                if source is target or _collection(source.path) + "/" != prefix:
                    continue
                for how in _by_name(source, name, specs):
                    add(source, target, index, how, "name")
                if source.method in _CREATING and not parameters(source.path):
                    add(source, target, index, LOCATION, "location")
    return sorted(
        Link(source, target, _template(ops, target), name, tuple(hows), tuple(whys))
        for (source, target, name), (hows, whys) in found.items()
    )


def _template(ops: list[MergedOperation], key: str) -> str:
    return next(op.path for op in ops if op.key == key)


def _index(template: str, name: str) -> int:
    names = parameters(template)
    return names.index(name) if name in names else -1


def _collection(path: str) -> str:
    """``/notes/{note_id}/archive`` -> ``/notes``: the collection an operation works on."""
    head = path.split("{", 1)[0]
    return head.rstrip("/") if "{" in path else path.rstrip("/")


def _extractor(expression: str) -> str | None:
    """``$response.body#/id`` -> ``body:/id``; ``$response.header.Location`` -> the Location."""
    text = expression.strip()
    if text.startswith("$response.body#"):
        return BODY + (text[len("$response.body#") :] or "/")
    if text.lower() == "$response.header.location":
        return LOCATION
    return None  # request values, other headers, templates: not a value a side produced


def _declared_links(document: Mapping[str, Any]) -> list[tuple[str, str, str, str, str, str]]:
    """OpenAPI ``links`` of every response, as (source method, path, target method, path,
    parameter, expression)."""
    by_id: dict[str, tuple[str, str]] = {}
    paths = document.get("paths") or {}
    for path, item in paths.items():
        for method in HTTP_METHODS:
            operation = item.get(method) if isinstance(item, Mapping) else None
            if isinstance(operation, Mapping) and operation.get("operationId"):
                by_id[str(operation["operationId"])] = (method.upper(), str(path))
    rows = []
    for path, item in paths.items():
        for method in HTTP_METHODS:
            operation = item.get(method) if isinstance(item, Mapping) else None
            if not isinstance(operation, Mapping):
                continue
            for response in (operation.get("responses") or {}).values():
                links = response.get("links") if isinstance(response, Mapping) else None
                for link in (links or {}).values() if isinstance(links, Mapping) else ():
                    target = _link_target(link, by_id)
                    for name, expression in (link.get("parameters") or {}).items():
                        name = str(name).removeprefix("path.")
                        if target is not None and isinstance(expression, str):
                            rows.append((method.upper(), str(path), *target, name, expression))
    return rows


def _link_target(link: Any, by_id: Mapping[str, tuple[str, str]]) -> tuple[str, str] | None:
    if not isinstance(link, Mapping):
        return None
    if link.get("operationId") in by_id:
        return by_id[str(link["operationId"])]
    ref = str(link.get("operationRef", ""))
    if ref.startswith("#/paths/"):
        pointer, _, method = ref[len("#/paths/") :].rpartition("/")
        return method.upper(), pointer.replace("~1", "/").replace("~0", "~")
    return None


def _by_name(
    source: MergedOperation, name: str, specs: Mapping[str, Mapping[str, Any] | None]
) -> list[str]:
    """Pointers into ``source``'s answer that may hold ``{name}``: its own name or ``id``, in
    an object or in the items of a list. A response schema narrows them to what it declares."""
    names = [name] if name == "id" else [name, "id"]
    shapes = [_answer_shape(specs.get(side), source) for side in (BASELINE, CANDIDATE)]
    known = [shape for shape in shapes if shape is not None]
    if not known:  # a draft: no response schema; try the names as the answers show them
        return [f"{BODY}/{n}" for n in names] + [f"{BODY}/*/{n}" for n in names]
    found = []
    for is_list, properties in known:
        for n in names:
            if n in properties and properties[n] in ("string", "integer", None):
                found.append(f"{BODY}/*/{n}" if is_list else f"{BODY}/{n}")
    return list(dict.fromkeys(found))


def _answer_shape(
    document: Mapping[str, Any] | None, op: MergedOperation
) -> tuple[bool, dict[str, str | None]] | None:
    """(is a list, property -> JSON type) of the first 2xx JSON answer ``op`` declares."""
    if not document:
        return None
    for path, item in (document.get("paths") or {}).items():
        if not isinstance(item, Mapping) or match_key(op.method, str(path)) != match_key(
            op.method, op.path
        ):
            continue
        operation = item.get(op.method.lower())
        responses = operation.get("responses") if isinstance(operation, Mapping) else None
        for status, response in sorted((responses or {}).items()):
            if not str(status).startswith("2") or not isinstance(response, Mapping):
                continue
            content = response.get("content") or {}
            schema = (content.get("application/json") or {}).get("schema")
            schema = _resolve(document, schema)
            is_list = isinstance(schema, Mapping) and schema.get("type") == "array"
            if is_list:
                schema = _resolve(document, schema.get("items"))
            properties = schema.get("properties") if isinstance(schema, Mapping) else None
            if isinstance(properties, Mapping) and properties:
                return is_list, {
                    str(k): _type(_resolve(document, v)) for k, v in properties.items()
                }
    return None


def _resolve(document: Mapping[str, Any], schema: Any) -> Any:
    for _ in range(8):  # a $ref to a $ref; cycles are cut
        if not isinstance(schema, Mapping) or "$ref" not in schema:
            return schema
        ref = str(schema["$ref"])
        if not ref.startswith("#/"):
            return None
        node: Any = document
        for part in ref[2:].split("/"):
            node = node.get(part.replace("~1", "/").replace("~0", "~")) if node else None
        schema = node
    return None


def _type(schema: Any) -> str | None:
    kind = schema.get("type") if isinstance(schema, Mapping) else None
    return kind if isinstance(kind, str) else None


# --- reading a value from an answer ---------------------------------------------------------------


def extract(
    response: Response, extractor: str, template: str = "", parameter: str = ""
) -> Value | None:
    """The value ``extractor`` reads from ``response``, or None. A ``*`` in a body pointer takes
    the last item of a list (the newest, in a list of what was created); the Location header is
    read against ``template`` and gives the segment of ``{parameter}``."""
    if response.status >= 400:
        return None  # an error answer produced nothing
    if extractor == LOCATION:
        return _from_location(response.header("location"), template, parameter)
    if extractor.startswith(LOCATION + "#"):
        # A recorded sequence names the segment itself (a replay has no template at hand).
        segments = urlsplit(response.header("location") or "").path.split("/")
        index = extractor[len(LOCATION) + 1 :]
        if not index.isdigit() or int(index) >= len(segments) or not segments[int(index)]:
            return None
        return unquote(segments[int(index)])
    if not extractor.startswith(BODY):
        return None
    ok, node = response.json()
    if not ok:
        return None
    for part in [p for p in extractor[len(BODY) :].split("/") if p]:
        key = part.replace("~1", "/").replace("~0", "~")
        if isinstance(node, list):
            if key == "*":
                node = node[-1] if node else None
            elif key.isdigit() and int(key) < len(node):
                node = node[int(key)]
            else:
                return None
        elif isinstance(node, dict) and key in node:
            node = node[key]
        else:
            return None
    if isinstance(node, bool) or not isinstance(node, (str, int)) or node == "":
        return None
    return node


def _from_location(location: str | None, template: str, parameter: str) -> str | None:
    if not location or "{" + parameter + "}" not in template:
        return None
    head = template[: template.index("{" + parameter + "}") + len(parameter) + 2]
    pattern = "".join(
        re.escape(part) if i % 2 == 0 else ("(?P<value>[^/]+)" if part == parameter else "[^/]+")
        for i, part in enumerate(_PARAM.split(head))
    )
    match = re.match(pattern + "(?:/|$)", urlsplit(location).path)
    return unquote(match.group("value")) if match else None
