"""Drift identity: which differences are the same drift, and the finding each drift becomes.

Every difference a case shows is recorded under its ``DriftKey`` (operation, finding id, what
differs: the status pair, the side that crashed or lacks the route, the header, the set of body
paths). The first case keeps the example; a later case of the same drift at a higher level
(inside the legacy contract, where the first was outside) takes over, so an error never hides
behind its out-of-contract cousin. At the end, keys are re-filtered with the noise learned by
then (each with the noise of its example's request shape) and turned into Findings with their
evidence and reproductions.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from contract_tools._parity.case import MISSING, Outcome
from contract_tools._parity.compare import BODY, CRASH, HEADER, NO_ANSWER, STATUS, Difference
from contract_tools._parity.noise import request_shape
from contract_tools.models import (
    DriftKey,
    Exchange,
    Finding,
    Level,
    Reproduction,
    Request,
    Response,
    ResponsePath,
)

FINDING_IDS = {
    STATUS: "status-mismatch",
    BODY: "body-mismatch",
    HEADER: "header-mismatch",
    MISSING: "missing-operation",
    CRASH: "crash",
    NO_ANSWER: "no-answer",
}
# Kinds whose paths say what differs without being a place that noise can cover.
_WHOLE_ANSWER = (CRASH, MISSING, NO_ANSWER)


def drift_key(operation: str, diff: Difference, probe: str | None = None) -> DriftKey:
    """What ``Finding.key`` will say: a probe's drift is not a generated request's."""
    return DriftKey(operation, FINDING_IDS[diff.kind], _subject(diff.subject, probe))


def _subject(subject: tuple[str, ...], probe: str | None) -> tuple[str, ...]:
    return subject + ((f"probe={probe}",) if probe else ())


@dataclass
class Signature:
    """One drift seen during a run: its example (smallest request so far) and how often."""

    key: DriftKey
    kind: str
    level: Level
    paths: tuple[ResponsePath, ...]
    message: str
    request: Request
    baseline: Response
    candidate: Response
    about: str = ""
    count: int = 0
    probe: str | None = None  # the framework probe that sent the request, if one did

    @property
    def shape(self) -> str:
        """The example's request shape: whose noise re-filters this drift at the end."""
        return request_shape(self.request, self.baseline)

    def take(self, diff: Difference, request: Request, outcome: Outcome) -> None:
        """Make this case the example."""
        self.level, self.message = diff.level, diff.message
        self.request, self.baseline, self.candidate = request, outcome.baseline, outcome.candidate


class Signatures:
    """Every drift of a run by key, in first-seen order."""

    def __init__(self) -> None:
        self.by_key: dict[DriftKey, Signature] = {}

    def __len__(self) -> int:
        return len(self.by_key)

    def __getitem__(self, key: DriftKey) -> Signature:
        return self.by_key[key]

    def record(
        self,
        operation: str,
        diff: Difference,
        request: Request,
        outcome: Outcome,
        probe: str | None = None,
    ) -> Signature:
        key = drift_key(operation, diff, probe)
        sig = self.by_key.get(key)
        if sig is None:
            sig = self.by_key[key] = Signature(
                key,
                diff.kind,
                diff.level,
                tuple(sorted(diff.paths, key=str)),
                diff.message,
                request,
                outcome.baseline,
                outcome.candidate,
                diff.about,
                probe=probe,
            )
        elif diff.level > sig.level:
            # The same difference inside the legacy contract outranks its out-of-contract cousin:
            # the finding takes that level and that example, or a real error would pass the gate.
            sig.take(diff, request, outcome)
        sig.count += 1
        return sig

    def findings(
        self,
        ignored: Callable[[str, str], Callable[[ResponsePath], bool]],
        reproduce: Callable[[Signature, Request], Reproduction],
        redact: Callable[[Request], Request],
    ) -> list[Finding]:
        """Signatures -> findings, re-filtered with the noise learned by the end of the run.

        ``ignored(operation, shape)`` is the noise filter of the operation and request shape,
        ``redact`` hides credentials in the recorded request, ``reproduce`` writes the curl
        lines and the pytest test.
        """
        merged: dict[DriftKey, Finding] = {}
        for key, sig in self.by_key.items():
            noise = ignored(key.operation, sig.shape)
            kept = (
                sig.paths
                if sig.kind in _WHOLE_ANSWER
                else tuple(p for p in sig.paths if not noise(p))
            )
            if not kept:
                continue
            subject = (sig.about,) if sig.about else tuple(str(p) for p in kept)
            final = DriftKey(key.operation, key.id, _subject(subject, sig.probe))
            previous = merged.get(final)
            if previous is not None:
                merged[final] = Finding(
                    previous.id,
                    max(previous.level, sig.level),
                    previous.operation,
                    previous.message,
                    previous.count + sig.count,
                    previous.paths,
                    previous.exchange,
                    reproduction=previous.reproduction,
                    about=previous.about,
                    probe=previous.probe,
                )
                continue
            request = redact(sig.request)
            merged[final] = Finding(
                id=key.id,
                level=sig.level,
                operation=key.operation,
                message=sig.message,
                count=sig.count,
                paths=kept,
                exchange=Exchange(request, sig.baseline, sig.candidate),
                reproduction=reproduce(sig, request),
                about=sig.about or None,
                probe=sig.probe,
            )
        return list(merged.values())
