"""What the stateful phase needs from Schemathesis: valid requests for one step of a sequence
(drawn, or a deterministic example) and Schemathesis's own link inference over a spec."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from hypothesis import strategies as st

from contract_tools._parity.generate import (
    BASELINE,
    CANDIDATE,
    MergedOperation,
    coverage_requests,
    is_request,
    render,
)
from contract_tools.models import Request


def _step_sides(operation: MergedOperation) -> list[str]:
    # A Flask draft may not know a request body's shape (``schema: {}`` when the view validates
    # it somewhere the draft cannot read): drawing from it would make creating steps a 400 on
    # both sides and the sequence a dead end. The side that says most about the body leads.
    sides = [side for side in (BASELINE, CANDIDATE) if side in operation.sources]
    scores = {side: _body_knowledge(operation.sources[side]) for side in sides}
    best = max(scores.values(), default=0)
    return [side for side in sides if scores[side] == best]


def step_strategy(operation: MergedOperation) -> st.SearchStrategy[Request]:
    """Valid requests for one step of a sequence, from every side that says what the body is."""
    chosen = _step_sides(operation)
    if not chosen:
        raise ValueError("no side declares a generatable schema")
    from schemathesis.generation import GenerationMode

    strategies = [
        operation.sources[side].as_strategy(generation_mode=GenerationMode.POSITIVE)
        for side in chosen
    ]
    rendered: Any = st.one_of(strategies).map(render).filter(is_request)
    return rendered


def step_example(operation: MergedOperation, *, fewest: bool = False) -> Request | None:
    """A deterministic valid request for a step (Schemathesis's positive boundary cases, from
    a side that says what the body is; its first, which is a declared example when there is
    one), or with ``fewest`` the one with the smallest body: an update that leaves fields out
    is where a port resets them. None when there is none."""
    narrowed = MergedOperation(operation.key, operation.method, operation.path)
    narrowed.sources = {side: operation.sources[side] for side in _step_sides(operation)}
    found = coverage_requests(narrowed, "positive", 8 if fewest else 1)
    if not found:
        return None
    return min(found, key=lambda request: len(request.body)) if fewest else found[0]


def _body_knowledge(api_operation: Any) -> int:
    """0: no body declared; 1: a body of unknown shape (an empty schema); 2: a body schema."""
    definition = getattr(getattr(api_operation, "definition", None), "raw", None)
    if not isinstance(definition, Mapping) or "requestBody" not in definition:
        return 0
    body = definition.get("requestBody")
    content = body.get("content") if isinstance(body, Mapping) else None
    if isinstance(body, Mapping) and "$ref" in body:
        return 2  # a shared body component: a shape somebody wrote down
    schemas = [m.get("schema") for m in (content or {}).values() if isinstance(m, Mapping)]
    return 2 if any(isinstance(s, Mapping) and s for s in schemas) else 1


InferredLink = tuple[str, str, str, str, str, str]


def inferred_links(document: Mapping[str, Any]) -> list[InferredLink]:
    """Schemathesis's own link inference over one spec, as rows of (producer method, producer
    path, target method, target path, path parameter, expression such as
    ``$response.body#/id``); empty when it cannot analyse the document."""
    import schemathesis

    rows: list[InferredLink] = []
    try:
        graph = schemathesis.openapi.from_dict(dict(document)).analysis.dependency_graph
        for response_links in graph.iter_links():
            producer = _operation_ref(str(response_links.producer_operation_ref))
            if producer is None:
                continue
            for link in response_links.to_openapi().values():
                target = _operation_ref(str(link.get("operationRef", "")))
                for name, expression in (link.get("parameters") or {}).items():
                    where, _, parameter = str(name).partition(".")
                    if target is not None and where == "path" and isinstance(expression, str):
                        rows.append((*producer, *target, parameter, expression))
    except Exception:  # a semi-internal analysis: a schema it cannot walk infers nothing
        return []
    return rows


def _operation_ref(ref: str) -> tuple[str, str] | None:
    """``#/paths/~1notes~1{id}/get`` -> ("GET", "/notes/{id}")."""
    if not ref.startswith("#/paths/"):
        return None
    pointer, _, method = ref[len("#/paths/") :].rpartition("/")
    path = pointer.replace("~1", "/").replace("~0", "~")
    return (method.upper(), path) if path.startswith("/") and method else None
