"""What a sequence run showed: both sides' runs of a plan, the drifts they hold, their keys.

A sequence drift's identity is (operation of the differing step, finding id, what differs +
"sequence"): ``Finding.subject`` says "sequence" for a finding that carries a sequence, so the
accepted-drift file and replay tell it from the same difference a single request shows.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from contract_tools._parity.compare import CRASH, NO_ANSWER, Difference
from contract_tools._parity.identity import FINDING_IDS
from contract_tools._parity.sequences import Plan, Played, size
from contract_tools._parity.targets import SAFE_METHODS
from contract_tools.models import BODY as BODY_KIND
from contract_tools.models import DriftKey, Level, Request, Response, ResponsePath

SEQUENCE = "sequence"
WHOLE_ANSWER = (CRASH, "missing", NO_ANSWER)


@dataclass
class SequenceRun:
    """A plan played on both sides: each side's run and every (step, difference) compared."""

    plan: Plan
    baseline: Played
    candidate: Played
    shown: list[tuple[int, Difference]] = field(default_factory=list)  # 1-based steps

    def drifts(self) -> list[tuple[int, DriftKey, Difference]]:
        return [(n, sequence_key(self.plan[n - 1].operation, d), d) for n, d in self.shown]


def sequence_key(operation: str, diff: Difference) -> DriftKey:
    """The drift's identity as ``Finding.key`` will say it: what differs (the status pair, the
    side, the paths), and that only a sequence shows it."""
    return DriftKey(operation, FINDING_IDS[diff.kind], (*diff.subject, SEQUENCE))


@dataclass
class SequenceDrift:
    """One sequence drift of a run: the shortest run that shows it, and how often it showed."""

    key: DriftKey
    kind: str
    level: Level
    paths: tuple[ResponsePath, ...]
    message: str
    run: SequenceRun
    step: int  # 1-based: the step of ``run`` that shows it
    count: int = 0
    about: str = ""  # what differs when the paths do not say it (a status pair, a side)

    def take(self, diff: Difference, run: SequenceRun, step: int) -> None:
        self.level, self.message, self.run, self.step = diff.level, diff.message, run, step

    @property
    def size(self) -> tuple[int, int]:
        return size(self.run.plan[: self.step])


@dataclass
class Budget:
    """How much the phase may do: plans explored, steps per plan, plans per shrink."""

    max_sequences: int
    max_steps: int
    shrink: bool
    shrink_sequences: int
    skeletons: bool = True  # deterministic short plans first (--coverage)


def apart(request: Request, base: Response, cand: Response, found: list[Difference]) -> bool:
    """Whether a differing step left the two sides' states apart, so that later steps would
    differ because of it: a state-changing request answered with statuses of another class
    (201 vs 400: one side made nothing) or with other bodies (a PATCH that reset a field).
    A read, or a DELETE answered 200 instead of 204, says how a side answered, not what it did."""
    if request.method.upper() in SAFE_METHODS:
        return False
    if base.status // 100 != cand.status // 100:
        return True
    return any(p.part == BODY_KIND for d in found for p in d.paths)


def covered(reported: Level | None, level: Level) -> bool:
    """A single request reported this drift at this level or higher: an out-of-contract
    warning of the first phase does not cover an error a sequence shows."""
    return reported is not None and reported >= level


def single_key(operation: str, diff: Difference) -> DriftKey:
    """The same difference as the single-request phase files it."""
    return DriftKey(operation, FINDING_IDS[diff.kind], diff.subject)


def without_sequence(key: DriftKey) -> DriftKey:
    """A sequence drift's key as the single-request phase would file the same difference."""
    return DriftKey(key.operation, key.id, tuple(s for s in key.subject if s != SEQUENCE))
