"""The probe phase of one operation, before its random generation: every selected framework
probe (``probes.py``) sent through the Judge, each drift filed with the probe that found it.

- The base request is a positive boundary case (Schemathesis's coverage phase: deterministic),
  preferring one with a body where a body is declared, then one whose path values the run has
  harvested (an id that exists says more than a 404).
- The base request is sent once. A difference it shows too (same kind, same paths, same two
  statuses) is the operation's own drift, which generation reports: only what the probe
  changed is the probe's, so a renamed field is not reported again per Accept header.
- Levels: a probe sends what the legacy contract does not declare (a method, a body, a
  header). When the legacy app refused it (4xx), a difference is a warning whatever the port
  answered short of crashing; when the legacy app accepted it, real clients may rely on it,
  and the Judge's level stands.
- An operation one side lacks is a missing-operation finding already; its probes would only
  restate it, so none are sent.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from urllib.parse import unquote

from contract_tools._parity.case import MISSING, Outcome
from contract_tools._parity.compare import BODY, CRASH, HEADER, Difference, is_crash
from contract_tools._parity.generate import (
    MergedOperation,
    body_media_types,
    coverage_requests,
    operation_key,
    parameters,
)
from contract_tools._parity.noise import erase_param_names
from contract_tools._parity.probes import PATH, Probe, Subject
from contract_tools._parity.slots import Slots
from contract_tools.models import EVERY, Level, Request, Response, ResponsePath

# Boundary cases read to choose the base request from.
BASE_CANDIDATES = 8

Send = Callable[[MergedOperation, Request], Outcome]
# (operation, difference, request, outcome, probe name): what Signatures.record takes.
Record = Callable[[str, Difference, Request, Outcome, str], object]


class PathIndex:
    """Which methods either spec declares per path, and which selected operation of a path
    sends the path's probes (the first, so a path is probed once, whatever the shard)."""

    def __init__(
        self, operations: Iterable[MergedOperation], selected: Iterable[MergedOperation]
    ) -> None:
        self._methods: dict[str, set[str]] = {}
        for op in operations:
            self._methods.setdefault(erase_param_names(op.path), set()).add(op.method)
        self._owners: dict[str, str] = {}
        for op in selected:
            self._owners.setdefault(erase_param_names(op.path), op.key)

    def methods(self, op: MergedOperation) -> frozenset[str]:
        return frozenset(self._methods.get(erase_param_names(op.path), {op.method}))

    def owns(self, op: MergedOperation) -> bool:
        return self._owners.get(erase_param_names(op.path)) == op.key


def subject_for(
    op: MergedOperation, index: PathIndex, harvested: Iterable[object] = ()
) -> Subject | None:
    """The operation as probes see it, or None when no valid request can be built."""
    candidates = coverage_requests(op, "positive", BASE_CANDIDATES)
    if not candidates:
        return None
    body_types = body_media_types(op)
    # Where each value was first harvested: the earliest come from the first listings, the
    # data an app holds, where later ones may be limits and counts of generated requests.
    known: dict[str, int] = {}
    for position, value in enumerate(harvested):
        known.setdefault(str(value), position)
    regex, _ = Slots(op.path).path_regex()

    def preference(request: Request) -> tuple[bool, int, int]:
        match = regex.match(request.path)
        found = [known[v] for v in map(unquote, match.groups()) if v in known] if match else []
        return (bool(body_types) and bool(request.body), len(found), -sum(found))

    base = max(candidates, key=preference)  # the first of the best: coverage order breaks ties
    declared = parameters(op)
    query = tuple(
        (p.name, tuple(dict.fromkeys(v for r in candidates for k, v in r.query if k == p.name)))
        for p in declared
        if p.location == "query"
    )
    headers = tuple(p.name for p in declared if p.location == "header")
    return Subject(
        op.method,
        op.path,
        base,
        index.methods(op),
        query,
        headers,
        body_types,
        generated=frozenset(candidates),
    )


def shown_by_base(diff: Difference, outcome: Outcome, base: Outcome) -> bool:
    """The base request shows this difference too, with the same statuses: not the probe's."""
    return probes_own(diff, outcome, base) is None


def probes_own(diff: Difference, outcome: Outcome, base: Outcome) -> Difference | None:
    """What of ``diff`` the probe caused: the paths the base request (answered with the same
    statuses) does not show too, or None. An app that echoes request headers differs from its
    port on every header it echoes; each header probe then adds only its own header."""
    statuses = (outcome.baseline.status, outcome.candidate.status)
    if statuses != (base.baseline.status, base.candidate.status):
        return diff
    shown = {p for d in base.differences if d.kind == diff.kind for p in d.paths}
    # Shown by the base only with the same values on both sides: ``$.json`` null vs "" there
    # and an object vs its text here are two differences at one path.
    own = tuple(
        p
        for p in diff.paths
        if p not in shown
        or (value_at(outcome.baseline, p), value_at(outcome.candidate, p))
        != (value_at(base.baseline, p), value_at(base.candidate, p))
    )
    if not own:
        return None
    if len(own) == len(diff.paths) or diff.kind not in (BODY, HEADER):
        return diff
    return replace(diff, paths=own, message=_message(diff.kind, own, outcome))


def value_at(response: Response, path: ResponsePath) -> object:
    """The value a response holds at ``path`` (a list where the path says ``[*]``)."""
    if path.part == "header":
        return response.header(str(path.keys[0])) if path.keys else None
    if path.part != "body":
        return response.status
    ok, value = response.json()
    if not ok:
        return response.body
    for key in path.keys:
        if key is EVERY or not isinstance(value, (dict, list)):
            break
        value = value.get(key) if isinstance(value, dict) else None
    return value


def _message(kind: str, paths: tuple[ResponsePath, ...], outcome: Outcome) -> str:
    if kind == BODY:
        listed = ", ".join(str(p) for p in paths[:5])
        return (
            "body differs at " + listed + (f" (+{len(paths) - 5} more)" if len(paths) > 5 else "")
        )
    names = [str(p.keys[0]) for p in paths]
    return "headers differ: " + ", ".join(
        f"{n}: {outcome.baseline.header(n)!r} vs {outcome.candidate.header(n)!r}" for n in names
    )


def outside_contract(diff: Difference, outcome: Outcome) -> Difference:
    """A probe request the legacy app refused: a warning unless the port crashed."""
    base, cand = outcome.baseline, outcome.candidate
    if (
        diff.level is not Level.ERROR
        or diff.kind == CRASH
        or not 400 <= base.status < 500
        or is_crash(cand)
    ):
        return diff
    what = (
        "the candidate accepts a request outside the baseline's contract (a widening)"
        if cand.status < 400
        else "both refuse a request outside the baseline's contract"
    )
    return replace(diff, level=Level.WARNING, message=f"{diff.message}: {what}")


@dataclass
class ProbePhase:
    """Sends the probes of each operation; ``seen`` gets every outcome (harvesting)."""

    probes: list[Probe]
    index: PathIndex
    send: Send
    record: Record
    seen: Callable[[Outcome], None]

    def run(self, op: MergedOperation, harvested: Iterable[object] = ()) -> int:
        """Probe ``op``; returns how many requests were sent."""
        subject = subject_for(op, self.index, harvested)
        if subject is None:
            return 0
        base = self.send(op, subject.base)
        self.seen(base)
        sent = 1
        if any(d.kind == MISSING for d in base.differences):
            return sent
        owner = self.index.owns(op)
        for probe in self.probes:
            if probe.scope == PATH and not owner:
                continue
            for item in probe.build(subject):
                if item.request in subject.generated:
                    continue  # a boundary case: generation sends it and reports what it shows
                filed = op
                if probe.scope == PATH:
                    method = item.request.method
                    filed = replace(op, key=operation_key(method, op.path), method=method)
                outcome = self.send(filed, item.request)
                self.seen(outcome)
                sent += 1
                for each in outcome.differences:
                    own = probes_own(each, outcome, base)
                    if own is None:
                        continue
                    diff = outside_contract(own, outcome)
                    diff = replace(diff, message=f"{item.label}: {diff.message}")
                    self.record(filed.key, diff, item.request, outcome, probe.name)
        return sent
