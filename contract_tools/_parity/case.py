"""One case: the same request to both sides, the answers compared, noise cancelled, levelled.

A disagreement asks the baseline a second time (``noise.probe``): paths that differ between two
baseline answers are noise for the operation, never drift. Levels say who breaks: a request
outside the legacy contract that the legacy app refused is a warning whatever the port answers
short of crashing (the port widened, or refuses differently; no client keeping to the legacy
contract sends it).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from contract_tools._parity.compare import STATUS, STATUS_PATH, Difference, compare
from contract_tools._parity.contract import PathContract
from contract_tools._parity.generate import BASELINE, CANDIDATE, MergedOperation, match_key
from contract_tools._parity.noise import NoiseBook, probe
from contract_tools._parity.normalize import Normalizer
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


class Judge:
    """Sends one request to both targets and decides what differs, at which level."""

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
        if self.headers:
            request = request.with_headers(self.headers)
        base = self.baseline.send(request)
        cand = self.candidate.send(request)
        outcome = Outcome(base, cand)
        differences = self.differences(op, base, cand, request)
        if not differences:
            return outcome
        # Only a disagreement needs the second baseline answer: it tells noise from drift.
        learned = probe(self.baseline, request, base, self.normalizer)
        if learned:
            self.noise.learn(op.key, learned)
            if STATUS_PATH in learned:
                return outcome  # the baseline disagrees with itself: nothing to compare against
            differences = self.differences(op, base, cand, request)
        outcome.differences = differences
        return outcome

    def differences(
        self, op: MergedOperation, base: Response, cand: Response, request: Request
    ) -> list[Difference]:
        missing = self._missing(op, base, cand)
        differences = (
            [missing]
            if missing is not None
            else compare(base, cand, self.normalizer, self.noise.filter(op.key))
        )
        return [self._widening(op, base, cand, request, d) for d in differences]

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
        """A side whose spec lacks the operation answers 404/405 where the other does not."""
        declared = op.declared_by
        for side, mine, other in ((CANDIDATE, cand, base), (BASELINE, base, cand)):
            if (
                side not in declared
                and self.specs.get(side)
                and mine.status in _NO_ROUTE
                and other.status != mine.status
            ):
                return Difference(
                    MISSING,
                    Level.ERROR,
                    (STATUS_PATH,),
                    f"only the {BASELINE if side == CANDIDATE else CANDIDATE} has {op.key}: "
                    f"the {side} answered {mine.status}",
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
