"""Replay: send recorded requests to both sides again and say whether each drift still shows.

"The same drift" is the run's own identity (``DriftKey``): the finding's operation, id and what
differs. A replay compares as the run did: its normalisation rules and the noise it learned.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from contract_tools._parity.compare import Difference, compare, path_matcher
from contract_tools._parity.identity import FINDING_IDS, drift_key
from contract_tools._parity.noise import EVERY_SHAPE, NoiseBook, request_shape
from contract_tools._parity.normalize import FLASK_FASTAPI, Normalizer
from contract_tools._parity.sequence_drifts import sequence_key
from contract_tools._parity.sequence_reproduction import derive_bindings, replay_steps
from contract_tools._parity.session import make_target
from contract_tools._parity.targets import Target
from contract_tools.models import DriftKey, Finding, Request, Response, ResponsePath
from contract_tools.settings import DEFAULT_TIMEOUT


class Verdict(str, enum.Enum):
    STILL = "still reproduces"
    CHANGED = "changed"
    GONE = "no longer reproduces"


@dataclass(frozen=True)
class Replayed:
    """One finding sent again: the verdict and, unless gone, the drift seen now."""

    number: int
    finding: Finding
    verdict: Verdict
    now: DriftKey | None = None


def replay_request(
    baseline: str,
    candidate: str,
    request: Request,
    *,
    strict: bool = False,
    disable: Iterable[str] = (),
    ignore: Iterable[str] = (),
    app_dir: str | None = None,
) -> list[Difference]:
    """Send one request to both targets (references or URLs) and compare as a run does."""
    normalizer = Normalizer.preset(strict=strict, disable=tuple(disable))
    ignored = path_matcher(list(ignore))
    base, cand = make_target(baseline, app_dir=app_dir), make_target(candidate, app_dir=app_dir)
    with base, cand:
        answers = base.send(request), cand.send(request)
    return compare(*answers, normalizer, ignored)


class Replayer:
    """Compares as the recorded run did: its normalisation rules and the noise it learned."""

    def __init__(
        self, normalization: Sequence[str] | None, noise: Iterable[Mapping[str, Any]]
    ) -> None:
        if normalization is not None:
            # The rules the run applied; an empty list was a --strict run.
            names = set(normalization)
            self.normalizer = Normalizer(tuple(r for r in FLASK_FASTAPI if r.name in names))
        else:
            self.normalizer = Normalizer.preset()
        self.noise = NoiseBook()
        for entry in noise:
            paths = entry.get("paths")
            if isinstance(paths, list):
                # A report written before shapes existed: its noise held for every request.
                shape = entry.get("shape")
                self.noise.learn(
                    str(entry.get("operation")),
                    (ResponsePath.parse(str(p)) for p in paths),
                    str(shape) if isinstance(shape, str) else EVERY_SHAPE,
                )

    def verdict(
        self, finding: Finding, base: Response, cand: Response
    ) -> tuple[Verdict, DriftKey | None]:
        key = finding.key
        now: DriftKey | None = None
        request = finding.exchange.request if finding.exchange is not None else None
        shape = request_shape(request, base) if request is not None else ""
        for diff in compare(
            base, cand, self.normalizer, self.noise.filter(finding.operation, shape)
        ):
            seen = drift_key(finding.operation, diff, finding.probe)
            if not finding.about:
                # A report written before findings said what differs (0.1): paths only.
                paths = tuple(str(p) for p in diff.paths)
                probe = (f"probe={finding.probe}",) if finding.probe else ()
                seen = DriftKey(seen.operation, seen.id, paths + probe)
            # Without the specs a replay cannot tell a missing route from a status change.
            missing_side = cand if "candidate" in " ".join(key.subject) else base
            if key.id == FINDING_IDS["missing"] and missing_side.status in (404, 405):
                seen = key
            if seen == key:
                return Verdict.STILL, seen
            if seen.id == key.id and now is None:
                now = seen
        return (Verdict.CHANGED, now) if now is not None else (Verdict.GONE, None)

    def sequence_verdict(
        self, finding: Finding, base: Target, cand: Target, headers: tuple[tuple[str, str], ...]
    ) -> tuple[Verdict, DriftKey | None]:
        """A sequence finding played again on fresh states, each side filling the ids its own
        answers make (read back from the recorded answers), compared as the run did."""
        sequence = finding.sequence
        steps = [
            (step.exchange.request.with_headers(headers), bindings)
            for step, bindings in zip(sequence, derive_bindings(sequence), strict=True)
        ]
        differences = replay_steps(
            base,
            cand,
            steps,
            normalizer=self.normalizer,
            ignored=self.noise.filter(finding.operation),
        )
        if not differences:
            return Verdict.GONE, None
        seen = [sequence_key(finding.operation, d) for d in differences]
        if finding.key in seen:
            return Verdict.STILL, finding.key
        same_id = [key for key in seen if key.id == finding.key.id]
        return (Verdict.CHANGED, same_id[0]) if same_id else (Verdict.CHANGED, seen[0])


def replay_findings(
    findings: Sequence[tuple[int, Finding]],
    *,
    baseline: str,
    candidate: str,
    normalization: Sequence[str] | None,
    noise: Iterable[Mapping[str, Any]],
    headers: Iterable[tuple[str, str]] = (),
    app_dir: str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
) -> list[Replayed]:
    """Each (number, finding) with a recorded exchange, sent again to both sides."""
    replayer = Replayer(normalization, noise)
    extra = tuple(headers)
    results: list[Replayed] = []
    base = make_target(baseline, app_dir=app_dir, timeout=timeout)
    cand = make_target(candidate, app_dir=app_dir, timeout=timeout)
    with base, cand:
        for number, finding in findings:
            assert finding.exchange is not None  # the caller checked
            if finding.sequence:
                verdict, now = replayer.sequence_verdict(finding, base, cand, extra)
                results.append(Replayed(number, finding, verdict, now))
                continue
            request = finding.exchange.request.with_headers(extra)
            verdict, now = replayer.verdict(finding, base.send(request), cand.send(request))
            results.append(Replayed(number, finding, verdict, now))
    return results
