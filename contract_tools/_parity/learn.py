"""``flask-spec --learn``: exercise the app in process and add the responses it was seen to give.

Requests come from the draft itself (Schemathesis's boundary cases, then random draws), then
from values harvested from the answers: ids listed by ``GET /books/`` reach ``GET
/books/{book_id}``, ``author_id`` values seen anywhere fill the bodies that need one. Every
answer is grouped by operation, status and media type, and JSON bodies are merged into one
schema (spec/learned.py), marked ``x-contract-tools-source: learned`` with the number of cases.

Only in process, never a live server: a URL is refused. With a factory reference
(``module:create_app()``) every state-changing request gets a fresh app, as in parity; with a
plain ``module:attr`` only GET, HEAD and OPTIONS are sent, since the one instance (and whatever
database it talks to) would keep what a POST or DELETE did. Deterministic for a seed.
"""

from __future__ import annotations

import contextlib
import copy
import json
import random
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any
from urllib.parse import quote

from contract_tools._parity.generate import (
    BASELINE,
    DEFAULT_REQUEST_HEADERS,
    MergedOperation,
    build_strategy,
    coverage_requests,
    merge_operations,
)
from contract_tools._parity.session import make_target
from contract_tools._parity.targets import SAFE_METHODS, Target
from contract_tools.errors import UsageError
from contract_tools.models import Request, Response
from contract_tools.spec.learned import SOURCE, learned_media

_TEMPLATE = re.compile(r"\{([^}/]+)\}")
# Values kept per harvested key, and requests built from them per operation: enough to reach
# existing resources, not a crawl.
_KEEP = 8
_HARVESTED_REQUESTS = 6


@dataclass
class _Seen:
    """Answers of one operation: by (status, media type), JSON bodies kept for merging."""

    cases: dict[tuple[int, str], int] = field(default_factory=dict)
    bodies: dict[tuple[int, str], list[Any]] = field(default_factory=dict)


def learn_responses(
    app_ref: str,
    document: Mapping[str, Any],
    *,
    app_dir: str | None = None,
    max_examples: int = 25,
    seed: int = 0,
) -> dict[str, Any]:
    """A copy of ``document`` with the response schemas observed from the app added.

    ``app_ref`` is ``module:attr`` or ``module:factory()`` (a URL is a UsageError: a live server
    is never exercised); ``max_examples`` random draws per operation after the boundary cases.
    """
    if app_ref.startswith(("http://", "https://")):
        raise UsageError("--learn exercises the app in process; it never sends to a server")
    target = make_target(app_ref, app_dir=app_dir)
    learned = copy.deepcopy(dict(document))
    with target:
        seen = _Exerciser(target, max_examples, seed).run(learned)
    _merge(learned, seen)
    return learned


class _Exerciser:
    def __init__(self, target: Target, max_examples: int, seed: int) -> None:
        self.target = target
        self.max_examples = max_examples
        self.seed = seed
        self.rng = random.Random(seed)
        self.harvest: dict[str, list[Any]] = {}
        self.ids_under: dict[str, list[Any]] = {}  # path prefix -> "id" values listed there
        self.seen: dict[tuple[str, str], _Seen] = {}
        self.sent: dict[str, list[Request]] = {}

    def run(self, document: dict[str, Any]) -> dict[tuple[str, str], _Seen]:
        operations = merge_operations({BASELINE: document})
        allowed = [op for op in operations if self._may_send(op.method)]
        # Reads first: what they list is what the other requests can then reach.
        ordered = sorted(allowed, key=lambda op: (op.method != "GET", "{" in op.path, op.path))
        for op in ordered:
            for request in self._generated(op):
                self._send(op, request)
        for op in ordered:
            for request in self._harvested(op, document):
                self._send(op, request)
        return self.seen

    def _may_send(self, method: str) -> bool:
        return self.target.fresh_per_case or method in SAFE_METHODS

    # -- requests ---------------------------------------------------------------------------

    def _generated(self, op: MergedOperation) -> list[Request]:
        if op.sources.get(BASELINE) is None:
            return []
        found = coverage_requests(op, "positive", self.max_examples)
        # A schema Schemathesis cannot draw from still had its boundary cases.
        with contextlib.suppress(Exception):
            found.extend(_draw(build_strategy(op, "positive"), self.max_examples, self._seed(op)))
        return list(dict.fromkeys(found))

    def _seed(self, op: MergedOperation) -> int:
        return random.Random(f"{self.seed}:{op.key}").randrange(2**32)

    def _harvested(self, op: MergedOperation, document: dict[str, Any]) -> list[Request]:
        """Requests that reach what exists: harvested ids in the path, known keys in the body."""
        names = _TEMPLATE.findall(op.path)
        bodies = self._generated_bodies(op)
        if not names and not bodies:
            return []
        requests: list[Request] = []
        for attempt in range(_HARVESTED_REQUESTS):
            path = self._fill(op.path, names, attempt)
            if path is None:
                break
            body = self._fill_body(bodies[attempt % len(bodies)]) if bodies else None
            headers = list(DEFAULT_REQUEST_HEADERS)
            payload = b""
            if body is not None:
                payload = json.dumps(body).encode()
                headers += [
                    ("Content-Type", "application/json"),
                    ("Content-Length", str(len(payload))),
                ]
            requests.append(Request.build(op.method, path, headers=headers, body=payload))
        return list(dict.fromkeys(requests))

    def _generated_bodies(self, op: MergedOperation) -> list[Any]:
        bodies = []
        for request in self.sent.get(op.key, []):
            if request.header("content-type") == "application/json" and request.body:
                try:
                    value = json.loads(request.body)
                except ValueError:
                    continue
                if isinstance(value, dict):
                    bodies.append(value)
        return bodies[:_KEEP]

    def _fill(self, template: str, names: list[str], attempt: int) -> str | None:
        path = template
        for name in names:
            prefix = template[: template.index("{" + name + "}")]
            candidates = self.harvest.get(name, []) + self.ids_under.get(prefix, [])
            if not candidates:
                return None
            value = candidates[attempt % len(candidates)]
            path = path.replace("{" + name + "}", quote(str(value), safe=""), 1)
        return path

    def _fill_body(self, body: dict[str, Any]) -> dict[str, Any]:
        """References (``author_id``) take values seen; other fields keep their draw, since a
        seen ISBN or name would only meet a uniqueness check."""
        filled = dict(body)
        for key in body:
            if not _is_reference(key):
                continue
            values = [v for v in self.harvest.get(key, []) if type(v) is type(body[key])]
            if values:
                filled[key] = self.rng.choice(values)
        return filled

    # -- answers ----------------------------------------------------------------------------

    def _send(self, op: MergedOperation, request: Request) -> None:
        self.sent.setdefault(op.key, []).append(request)
        response = self.target.send(request)
        if response.crash is not None or not 100 <= response.status <= 599:
            return
        media = _media(response)
        seen = self.seen.setdefault((op.method, op.path), _Seen())
        key = (response.status, media)
        seen.cases[key] = seen.cases.get(key, 0) + 1
        if media.endswith("json") and response.body:
            try:
                value = json.loads(response.body)
            except ValueError:
                return
            seen.bodies.setdefault(key, []).append(value)
            if 200 <= response.status < 300:
                self._collect(value, op.path)

    def _collect(self, value: Any, path: str) -> None:
        """Scalar values by key, and ``id`` values listed under a collection path."""
        stack = [value]
        while stack:
            current = stack.pop()
            if isinstance(current, dict):
                for key, item in current.items():
                    if isinstance(item, (int, str)) and not isinstance(item, bool):
                        _keep(self.harvest.setdefault(key, []), item)
                        if key == "id":
                            _keep(self.ids_under.setdefault(path, []), item)
                    else:
                        stack.append(item)
            elif isinstance(current, list):
                stack.extend(current)


def _is_reference(key: str) -> bool:
    return key.endswith(("_id", "Id")) and key not in ("id",)


def _keep(values: list[Any], value: Any) -> None:
    if value not in values and len(values) < _KEEP:
        values.append(value)


def _draw(strategy: Any, count: int, seed: int) -> list[Request]:
    """``count`` requests from a Hypothesis strategy, the same ones for the same seed."""
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import seed as fixed_seed

    drawn: list[Request] = []

    @fixed_seed(seed)
    @settings(
        max_examples=count,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def collect(request: Request) -> None:
        drawn.append(request)

    collect()
    return drawn


def _media(response: Response) -> str:
    for name, value in response.headers:
        if name.lower() == "content-type":
            return value.split(";")[0].strip().lower() or "application/octet-stream"
    return "" if not response.body else "application/octet-stream"


def _merge(document: dict[str, Any], seen: Mapping[tuple[str, str], _Seen]) -> None:
    """Learned statuses and media types into the operations' responses (declared ones kept)."""
    for (method, path), answers in seen.items():
        operation = document["paths"][path][method.lower()]
        responses = operation.setdefault("responses", {})
        for (status, media), cases in sorted(answers.cases.items()):
            response = responses.get(str(status))
            if response is None:
                response = responses[str(status)] = {
                    "description": _phrase(status),
                    SOURCE: "learned",
                }
            if not media or status == 204 or 300 <= status < 400:
                continue
            content = response.setdefault("content", {})
            declared = content.get(media) or {}
            if declared.get("schema"):
                continue  # a model or the view declared it: keep what was declared
            content[media] = {
                **declared,
                **learned_media(answers.bodies.get((status, media)), cases),
            }
        operation["responses"] = _ordered(responses)


def _ordered(responses: dict[str, Any]) -> dict[str, Any]:
    def rank(status: str) -> tuple[int, str]:
        return (1, status) if not status.isdigit() else (0, status)

    return {status: responses[status] for status in sorted(responses, key=rank)}


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return f"Status {status}"
