"""One case: the same request to both sides, the answers compared, noise cancelled, levelled.

A disagreement asks the baseline a second time (``noise.probe``): paths that differ between two
baseline answers are noise for the operation, never drift. Levels say who breaks: a request
outside the legacy contract that the legacy app refused is a warning whatever the port answers
short of crashing (the port widened, or refuses differently; no client keeping to the legacy
contract sends it). A crash of the baseline alone, where the port refuses the request with a
4xx, is info: the port handles what crashed the legacy app, and no client depended on a 500.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from contract_tools._parity.compare import (
    CRASH,
    STATUS,
    STATUS_PATH,
    Difference,
    compare,
    is_crash,
)
from contract_tools._parity.contract import PathContract
from contract_tools._parity.generate import BASELINE, CANDIDATE, MergedOperation, match_key
from contract_tools._parity.noise import NoiseBook, probe, request_shape
from contract_tools._parity.normalize import Normalizer
from contract_tools._parity.overlap import send_both
from contract_tools._parity.targets import Target
from contract_tools.models import Level, Request, Response

MISSING = "missing"
_NO_ROUTE = (404, 405)


@dataclass
class Outcome:
    """Both answers to one request and how they differ (empty: they agree)."""

    baseline: Response
    candidate: Response
    differences: list[Difference] = field(default_factory=list)


@dataclass(frozen=True)
class Sent:
    """One request as sent to both sides (the run's headers added) and their two answers."""

    request: Request
    baseline: Response
    candidate: Response


class Judge:
    """Sends one request to both targets and decides what differs, at which level.

    ``send`` only waits on the targets and may run on any thread; ``judge`` learns noise, so
    cases are judged one at a time, in the order they were drawn (``window.py``).
    """

    def __init__(
        self,
        baseline: Target,
        candidate: Target,
        specs: Mapping[str, dict[str, Any] | None],
        normalizer: Normalizer,
        noise: NoiseBook,
        headers: tuple[tuple[str, str], ...] = (),
    ) -> None:
        self.baseline = baseline
        self.candidate = candidate
        self.specs = specs
        self.normalizer = normalizer
        self.noise = noise
        self.headers = headers
        self._contracts: dict[str, PathContract | None] = {}

    def __call__(self, op: MergedOperation, request: Request) -> Outcome:
        return self.judge(op, self.send(request))

    def send(self, request: Request) -> Sent:
        if self.headers:
            request = request.with_headers(self.headers)
        return Sent(request, *send_both(self.baseline, self.candidate, request))

    def judge(self, op: MergedOperation, sent: Sent) -> Outcome:
        request, base, cand = sent.request, sent.baseline, sent.candidate
        outcome = Outcome(base, cand)
        differences = self.differences(op, base, cand, request)
        if not differences:
            return outcome
        # Only a disagreement needs the second baseline answer: it tells noise from drift.
        learned = probe(self.baseline, request, base, self.normalizer)
        if learned:
            self.noise.learn(op.key, learned, request_shape(request, base))
            if STATUS_PATH in learned:
                return outcome  # the baseline disagrees with itself: nothing to compare against
            differences = self.differences(op, base, cand, request)
        outcome.differences = differences
        return outcome

    def differences(
        self, op: MergedOperation, base: Response, cand: Response, request: Request
    ) -> list[Difference]:
        noise = self.noise.filter(op.key, request_shape(request, base))
        differences = compare(base, cand, self.normalizer, noise)
        missing = self._missing(op, base, cand) if differences else None
        if missing is not None:
            differences = [missing]
        return [self._level(op, base, cand, request, d) for d in differences]

    def _level(
        self,
        op: MergedOperation,
        base: Response,
        cand: Response,
        request: Request,
        diff: Difference,
    ) -> Difference:
        if diff.kind == CRASH and is_crash(base) and 400 <= cand.status < 500:
            return replace(
                diff,
                level=Level.INFO,
                message=f"{diff.message}; the candidate answered {cand.status}: the port handles "
                "what crashed the legacy app",
            )
        return self._widening(op, base, cand, request, diff)

    def _widening(
        self,
        op: MergedOperation,
        base: Response,
        cand: Response,
        request: Request,
        diff: Difference,
    ) -> Difference:
        if (
            diff.kind in (STATUS, MISSING)
            and diff.level is Level.ERROR
            and 400 <= base.status < 500
            and cand.status < 500
            and not self._baseline_allows(op, request)
        ):
            what = (
                "the candidate accepts a request outside the baseline's contract (a widening)"
                if cand.status < 400
                else "both refuse a request outside the baseline's contract, with other statuses"
            )
            return replace(diff, level=Level.WARNING, message=f"{diff.message}: {what}")
        return diff

    def _baseline_allows(self, op: MergedOperation, request: Request) -> bool:
        if op.key not in self._contracts:
            self._contracts[op.key] = path_contract(self.specs.get(BASELINE), op)
        contract = self._contracts[op.key]
        return contract is not None and contract.accepts(request.path)

    def _missing(self, op: MergedOperation, base: Response, cand: Response) -> Difference | None:
        """A side whose spec lacks the operation answers 404/405 and the answers differ.

        Also when both answer 404: the other side's 404 is its own (a resource not found), this
        side's is a routing miss, and the two frameworks' 404 bodies differ; the drift is the
        route not ported, not a body mismatch.
        """
        declared = op.declared_by
        for side, mine in ((CANDIDATE, cand), (BASELINE, base)):
            if side not in declared and self.specs.get(side) and mine.status in _NO_ROUTE:
                other = BASELINE if side == CANDIDATE else CANDIDATE
                return Difference(
                    MISSING,
                    Level.ERROR,
                    (STATUS_PATH,),
                    f"only the {other} has {op.key}: the {side} answered {mine.status}",
                    f"missing on {side}",
                )
        return None


def path_contract(document: Mapping[str, Any] | None, op: MergedOperation) -> PathContract | None:
    """The baseline's path contract for ``op`` (matched with parameter names ignored)."""
    for template, item in ((document or {}).get("paths") or {}).items():
        if not isinstance(item, Mapping) or match_key(op.method, template) != match_key(
            op.method, op.path
        ):
            continue
        operation = item.get(op.method.lower())
        if isinstance(operation, Mapping):
            return PathContract.from_operation(template, item, operation)
    return None
