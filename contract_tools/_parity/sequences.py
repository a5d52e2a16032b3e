"""Sequences: a Hypothesis strategy over steps, and one side playing a sequence.

A plan is a tuple of steps, each an operation, the request the generator drew for it and the
links that fill its path parameters from earlier answers. The first step is an operation that
needs no id (create, list); each later one is any operation whose path parameters some earlier
step can fill. A plan is a plain value, so one plan is played on the baseline, on the candidate
and on a second baseline (the noise probe), each side resolving its links against its own
answers: the baseline's step 3 uses the id the baseline's step 1 made, the candidate's the one
the candidate made. Values the generator drew (titles, bodies) are the same on both sides.

Why our own strategy rather than Schemathesis's state machine (``schema.as_state_machine()``)
subclassed for two targets: the state machine's step is a call that has already happened, so
sending one sequence to two apps, or again to a fresh baseline for noise, means re-driving the
machine, and its bundles hold one side's values only. A plan as a value is played as often as
needed, cached by value while shrinking, written into a report and replayed by a test. Shrinking
stays Hypothesis's: each step is one span of choices behind a "continue" draw, so the shrinker
deletes whole steps (the middle ones too: links resolve to the latest earlier step of their
source operation, so a plan without a step still runs) and then shrinks each step's request.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import quote

from hypothesis import strategies as st

from contract_tools._parity.exploration import Choices, hypothesis_run, reraise_ours
from contract_tools._parity.generate import MergedOperation
from contract_tools._parity.links import Link, Value, extract, parameters
from contract_tools._parity.step_generation import step_example, step_strategy
from contract_tools.models import Request, Response

# Odds that a plan goes on after each step (4 in 5): plans of every length up to the maximum.
_GO_ON = 4


@dataclass(frozen=True)
class Step:
    """One step of a plan: the operation, the drawn request, and the links filling its path."""

    operation: str
    request: Request
    links: tuple[Link, ...] = ()  # every link into its path parameters


Plan = tuple[Step, ...]


@dataclass(frozen=True)
class Binding:
    """Where one side's value for a path parameter came from: step (1-based) and extractor."""

    parameter: str
    step: int
    extractor: str
    value: Value


@dataclass
class Played:
    """One side's run of a plan: its own requests, its answers, where each id came from."""

    requests: list[Request] = field(default_factory=list)
    responses: list[Response] = field(default_factory=list)
    bindings: list[tuple[Binding, ...]] = field(default_factory=list)


def play(plan: Plan, send: Callable[[Request], Response]) -> Played:
    """Send the steps of ``plan`` in order, each filled from this side's
    earlier answers; a link that finds no value keeps the drawn value (the step then meets a
    random id, as a single request would)."""
    played = Played()
    for step in plan:
        request, bindings = resolve(step, plan, played)
        played.requests.append(request)
        played.bindings.append(bindings)
        played.responses.append(send(request))
    return played


def resolve(step: Step, plan: Plan, played: Played) -> tuple[Request, tuple[Binding, ...]]:
    """``step``'s request with every linked path parameter filled from the latest earlier
    answer, of any of the parameter's link sources, that holds a value."""
    request, bindings = step.request, []
    by_parameter: dict[str, list[Link]] = {}
    for link in step.links:
        by_parameter.setdefault(link.parameter, []).append(link)
    for parameter, links in by_parameter.items():
        found = _latest(links, plan, played)
        if found is None:
            continue
        binding = Binding(parameter, *found[1:])
        path = fill(request.path, found[0].template, parameter, binding.value)
        if path is not None:
            request = replace(request, path=path)
            bindings.append(binding)
    return request, tuple(bindings)


def _latest(links: list[Link], plan: Plan, played: Played) -> tuple[Link, int, str, Value] | None:
    for index in range(len(played.responses) - 1, -1, -1):
        for link in links:
            if plan[index].operation != link.source:
                continue
            for extractor in link.extractors:
                answer = played.responses[index]
                value = extract(answer, extractor, link.template, link.parameter)
                if value is not None:
                    return link, index + 1, extractor, value
    return None


def fill(path: str, template: str, parameter: str, value: Value) -> str | None:
    """``path`` (rendered from ``template``) with ``{parameter}``'s segment set to ``value``,
    percent-encoded; None when the path does not have the template's shape."""
    names = parameters(template)
    if parameter not in names:
        return None
    pattern = "".join(_pieces(template))
    match = re.fullmatch(pattern, path, re.S)
    if match is None:
        return None
    group = names.index(parameter) + 1
    start, end = match.span(group)
    return path[:start] + quote(str(value), safe="") + path[end:]


def _pieces(template: str) -> Iterable[str]:
    position = 0
    for match in re.finditer(r"\{[^}/]*\}", template):
        yield re.escape(template[position : match.start()])
        yield "([^/]*)"
        position = match.end()
    yield re.escape(template[position:])


# --- the strategy -------------------------------------------------------------------------------


class Planner:
    """What plans can be made of ``operations`` and ``links``: their strategy, and the
    deterministic skeleton plans that go first."""

    def __init__(self, operations: Iterable[MergedOperation], links: Iterable[Link]) -> None:
        self.strategies: dict[str, st.SearchStrategy[Request]] = {}
        self.ops: dict[str, MergedOperation] = {}
        self.shapes: dict[str, list[str]] = {}
        for op in operations:
            try:
                self.strategies[op.key] = step_strategy(op)
            except Exception:  # an operation no side can generate for: not a step
                continue
            self.ops[op.key] = op
            self.shapes[op.key] = parameters(op.path)
        self.by_parameter: dict[tuple[str, str], list[Link]] = {}
        for link in links:
            if link.source in self.ops and link.target in self.ops:
                self.by_parameter.setdefault((link.target, link.parameter), []).append(link)
        self.keys = sorted(
            key
            for key, names in self.shapes.items()
            if all((key, name) in self.by_parameter for name in names)
        )
        roots = [key for key in self.keys if not self.shapes[key]]
        # A plan starts by making something (POST/PUT without an id) when the API can: a list
        # or a read of a fresh app has nothing to hand on.
        self.first_steps = [k for k in roots if self.ops[k].method in ("POST", "PUT")] or roots

    def eligible(self, seen: Iterable[str]) -> list[str]:
        """Operations whose every path parameter a step in ``seen`` can fill."""
        sources = set(seen)
        return [
            key
            for key in self.keys
            if all(
                any(link.source in sources for link in self.by_parameter[(key, name)])
                for name in self.shapes[key]
            )
        ]

    def links_into(self, key: str) -> tuple[Link, ...]:
        # Every link of each parameter, not one drawn: the value is the latest any of them
        # finds, so deleting an earlier step while shrinking leaves the later ones as drawn.
        return tuple(link for name in self.shapes[key] for link in self.by_parameter[(key, name)])

    def strategy(self, max_steps: int) -> st.SearchStrategy[Plan] | None:
        """Plans of 1..``max_steps`` steps, or None when no plan can start."""
        if not self.first_steps:
            return None

        @st.composite
        def next_step(draw: Any, seen: frozenset[str], first: bool) -> Step | None:
            if not first and draw(st.integers(0, _GO_ON)) == 0:
                return None
            key = draw(st.sampled_from(self.first_steps if first else self.eligible(seen)))
            return Step(key, draw(self.strategies[key]), self.links_into(key))

        @st.composite
        def plans(draw: Any) -> Plan:
            steps: list[Step] = []
            while len(steps) < max_steps:
                step = draw(next_step(frozenset(s.operation for s in steps), not steps))
                if step is None:
                    break
                steps.append(step)
            return tuple(steps)

        result: st.SearchStrategy[Plan] = plans()
        return result

    def reads(self) -> list[Plan]:
        """One-step plans of every list (a GET that needs no id): on a shared state, what the
        two sides hold before any sequence, compared first."""
        plans: list[Plan] = []
        for key in self.keys:
            request = step_example(self.ops[key]) if self.ops[key].method == "GET" else None
            if request is not None and not self.shapes[key]:
                plans.append((Step(key, request),))
        return plans

    def skeletons(self, limit: int) -> list[Plan]:
        """Short plans in a fixed order, each step a valid boundary request of Schemathesis's:
        every creating operation followed by each operation it feeds, then by each of those
        that changes state followed by each read. Random plans reach a given order of three
        operations only by luck; these are the orders state bugs live in (archive then read,
        delete then read, update then list)."""
        # The creating step as declared (its example, or its first boundary case), every
        # later one with the fewest fields: a PATCH of {} shows a port that resets fields.
        examples = {
            key: step_example(self.ops[key], fewest=key not in self.first_steps)
            for key in self.keys
        }
        plans: list[Plan] = []
        for first in self.first_steps:
            fed = [k for k in self.eligible([first]) if k != first and self.shapes[k]]
            reads = [k for k in self.eligible([first]) if self.ops[k].method == "GET"]
            orders = [[first, k] for k in fed]
            orders += [[first, k, r] for k in fed if self.ops[k].method != "GET" for r in reads]
            for order in orders:
                requests = [examples[key] for key in order]
                if all(r is not None for r in requests):
                    plans.append(
                        tuple(
                            Step(key, request, self.links_into(key))
                            for key, request in zip(order, requests, strict=True)
                            if request is not None
                        )
                    )
        return plans[:limit]


def run_plans(
    strategy: st.SearchStrategy[Plan],
    body: Callable[[Plan], None],
    n: int,
    seed: int,
    *,
    shrink: bool,
    start: Choices | None = None,
) -> None:
    """``body`` over ``n`` plans drawn with a fixed seed (``hypothesis_run``, as exploration
    draws requests); shrinking when asked, from ``start`` (a drawn plan's choices) when given.
    Our own errors leave as themselves."""
    try:
        hypothesis_run(strategy, body, n, seed, shrink=shrink, start=start)
    except BaseException as exc:
        reraise_ours(exc)
        raise


def size(plan: Plan) -> tuple[int, int]:
    """How big a reproduction reads: steps first, then the bytes of the requests."""
    return len(plan), sum(len(s.request.target) + len(s.request.body) for s in plan)
