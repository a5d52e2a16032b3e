"""The stateful phase: generated sequences played on both sides, compared step by step.

After the single-request phase, plans (``sequences``) built from links (``links``) run on a fresh
baseline and a fresh candidate (factory references; a shared instance or a server has one state
for everything, which the report says). Each side feeds its own ids forward; before a step is
compared, the candidate's answer is spelled with the baseline's values (``counterparts``), then
compared as a single request is (``case.Judge``: normalisation, noise, levels). The first step
that differs is the finding; later steps of that plan are not compared, since they may only
differ because of it.

Noise, as ``case.Judge`` learns it: when a step differs, the plan is played again on a second
fresh baseline, and what differs between the two baseline runs (after mapping the second run's
ids to the first's) is noise for that step's operation: timestamps, fresh ids, inside lists too.
A shared state cannot be reset, so there both sides play the plan again (their states stay in
step) and items added to or missing from a list are never learned as noise (the second run sees
the first run's items).

Identity: a sequence drift is (operation of the differing step, finding id, what differs +
"sequence"). A difference the single-request phase already reported under the same key without
"sequence" is not reported again, and does not stop the plan. Each new drift is shrunk by
Hypothesis (fewer steps, then smaller requests) within a budget of plans, and the shortest plan
that shows it is the example.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from contract_tools._parity.case import Judge, Outcome
from contract_tools._parity.compare import STATUS_PATH, Difference, differing_paths
from contract_tools._parity.counterparts import Counterparts
from contract_tools._parity.exploration import Choices, drawn_choices, failure_reason
from contract_tools._parity.generate import MergedOperation
from contract_tools._parity.links import Link, extract
from contract_tools._parity.noise import NoiseBook, request_shape
from contract_tools._parity.normalize import Normalizer
from contract_tools._parity.sequence_drifts import (
    WHOLE_ANSWER,
    Budget,
    SequenceDrift,
    SequenceRun,
    apart,
    covered,
    single_key,
    without_sequence,
)
from contract_tools._parity.sequences import (
    Plan,
    Planner,
    Played,
    Step,
    play,
    run_plans,
    size,
)
from contract_tools._parity.shared_state import diverged, standing_differences
from contract_tools._parity.targets import Target
from contract_tools.models import EVERY, DriftKey, Level, Request, Response, ResponsePath


class StatefulPhase:
    """Explores plans, compares them step by step, records and shrinks sequence drifts."""

    def __init__(
        self,
        baseline: Target,
        candidate: Target,
        judge: Judge,
        noise: NoiseBook,
        normalizer: Normalizer,
        *,
        known: Callable[[DriftKey], Level | None],
        on_single: Callable[[str, Difference, Request, Outcome], object] = lambda *args: None,
        on_sequence: Callable[[int, int], None] = lambda sent, drifts: None,
    ) -> None:
        self.baseline = baseline
        self.candidate = candidate
        self.judge = judge
        self.noise = noise
        self.normalizer = normalizer
        self.known = known
        self.on_single = on_single
        self.on_sequence = on_sequence
        # Factory targets: a fresh app per plan and side. Otherwise one state for everything.
        self.fresh = baseline.fresh_per_case and candidate.fresh_per_case
        self.drifts: dict[DriftKey, SequenceDrift] = {}
        self.warnings: list[str] = []
        self.sequences = 0
        self.shrink_sequences = 0
        self.failure: str | None = None  # why the random plans stopped early, if they did
        self.steps = 0
        self._shared_pairs = Counterparts()
        self._ops: dict[str, MergedOperation] = {}
        self._links_from: dict[str, list[Link]] = {}

    def run(
        self,
        operations: Iterable[MergedOperation],
        links: Iterable[Link],
        budget: Budget,
        seed: int,
    ) -> None:
        ops = list(operations)
        links = list(links)
        self._ops = {op.key: op for op in ops}
        for link in links:
            self._links_from.setdefault(link.source, []).append(link)
        planner = Planner(ops, links)
        strategy = planner.strategy(budget.max_steps)
        if strategy is None:
            return
        cache: dict[Plan, SequenceRun] = {}
        drawn: dict[Plan, Choices] = {}  # the random plans' choices, where shrinking starts
        new: list[DriftKey] = []

        def explore(plan: Plan, *, reading: bool = False) -> None:
            if plan in cache:
                return
            run = cache[plan] = self.check(plan, reading=reading)
            self.sequences += 1
            for key in self._record(run):
                new.append(key)
            self.on_sequence(self.sequences, len(self.drifts))

        # Half the budget at most for the skeletons: the random plans find what no fixed
        # order foresaw (an update whose body leaves a field out).
        skeletons = planner.skeletons(budget.max_sequences // 2) if budget.skeletons else []
        # A shared state is looked at before anything changes it: lists that differ in
        # length already are a warning, not a finding of whichever sequence reads them.
        reads = [] if self.fresh else planner.reads()
        for plan in reads:
            explore(plan, reading=True)  # the state as the single requests left it
        for plan in skeletons:
            explore(plan)

        def explore_drawn(plan: Plan) -> None:
            # Skeletons and reads are built, not drawn: only random plans have choices.
            if plan not in cache:
                drawn[plan] = drawn_choices()
            explore(plan)

        random_budget = budget.max_sequences - len(skeletons) - len(reads)
        if random_budget > 0:
            try:
                run_plans(strategy, explore_drawn, random_budget, seed, shrink=False)
            except Exception as exc:  # Hypothesis giving up (unsatisfiable draws): say so
                self.failure = failure_reason(exc)
        if budget.shrink:
            for key in new:
                self._shrink(key, strategy, cache, drawn, budget, seed, random_budget)
        for key in new:
            self._needs_a_sequence(key)

    def _needs_a_sequence(self, key: DriftKey) -> None:
        """A drift whose step shows it alone, sent as one request, is a single-request drift
        the first phase missed: it is handed to that phase's findings, not reported here."""
        if not self.fresh:
            return  # on a shared state one request sees what every sequence left behind
        drift = self.drifts[key]
        op = self._ops[key.operation]
        request = drift.run.baseline.requests[drift.step - 1]
        outcome = self.judge(op, request)
        single = without_sequence(key)
        shown = [d for d in outcome.differences if single_key(op.key, d) == single]
        if shown:
            del self.drifts[key]
            self.on_single(op.key, shown[0], request, outcome)

    # -- one plan on both sides ---------------------------------------------------------------

    def check(self, plan: Plan, *, reading: bool = False) -> SequenceRun:
        """Play ``plan`` on both sides and find the first step that differs; ``reading``: one of
        the reads played on a shared state before any sequence."""
        base, cand = self._play_both(plan)
        self.steps += len(plan)
        run = SequenceRun(plan, base, cand)
        # A shared state keeps every resource earlier sequences made: so do its pairs.
        pairs = Counterparts() if self.fresh else self._shared_pairs
        probe: Played | None = None
        differed: set[int] = set()  # 1-based steps whose answers differed
        for index, step in enumerate(plan):
            op = self._ops[step.operation]
            if any(b.step in differed for b in base.bindings[index]):
                break  # an id read from answers that differed may name another resource
            if not self._learn(pairs, plan, index, base, cand):
                break
            cand_answer = pairs.response_to_baseline(cand.responses[index])
            found = self._differences(op, base, cand_answer, index)
            if found and probe is None:
                probe = self._probe(plan)
                self._learn_noise(plan, base, probe)
                found = self._differences(op, base, cand_answer, index)
            if index == 0 and not self.fresh:
                self._diverged(step.operation, base.responses[0], cand_answer)
                if reading and self._standing(step, base.responses[0], cand_answer):
                    found = self._differences(op, base, cand_answer, index)
            if found:
                differed.add(index + 1)
            if index > 0:
                # A first step is one request on a fresh app: the single-request phase's, as
                # is what a single request already showed.
                run.shown.extend(
                    (index + 1, diff)
                    for diff in found
                    if not covered(self.known(single_key(op.key, diff)), diff.level)
                )
            if found and apart(step.request, base.responses[index], cand_answer, found):
                break  # the two states are now apart: later steps would differ because of it
        return run

    def _play_both(self, plan: Plan) -> tuple[Played, Played]:
        with self.baseline.sequence_state() as send:
            base = play(plan, send)
        with self.candidate.sequence_state() as send:
            cand = play(plan, send)
        return base, cand

    def _differences(
        self, op: MergedOperation, base: Played, cand_answer: Response, index: int
    ) -> list[Difference]:
        return self.judge.differences(op, base.responses[index], cand_answer, base.requests[index])

    def _learn(self, pairs: Counterparts, plan: Plan, index: int, a: Played, b: Played) -> bool:
        """Pair what both runs produced at step ``index``: the ids their requests used, what
        the links out of this operation read, and id-like fields and Location of the answers.
        False when the two requests of this step no longer correspond (an id taken from a
        list that differed names another resource on each side): nothing after that compares."""
        same = [m.parameter for m in a.bindings[index]] == [t.parameter for t in b.bindings[index]]
        for mine, theirs in zip(a.bindings[index], b.bindings[index], strict=False):
            same = pairs.learn(mine.value, theirs.value) and same
        first, second = a.responses[index], b.responses[index]
        for link in self._links_from.get(plan[index].operation, ()):
            # Not the items of a list: two lists that differ pair unrelated items; the step
            # that uses one pairs what each side really took.
            for extractor in (e for e in link.extractors if "*" not in e):
                pairs.learn(
                    extract(first, extractor, link.template, link.parameter),
                    extract(second, extractor, link.template, link.parameter),
                )
        pairs.learn_answers(first, second)
        return same

    # -- noise ----------------------------------------------------------------------------------

    def _probe(self, plan: Plan) -> Played:
        """The plan again on a second baseline: a fresh app; on a shared state, both sides
        play it again so that their states stay in step."""
        if self.fresh:
            with self.baseline.sequence_state() as send:
                return play(plan, send)
        again, _ = self._play_both(plan)
        return again

    def _learn_noise(self, plan: Plan, first: Played, second: Played) -> None:
        pairs = Counterparts()
        for index, step in enumerate(plan):
            self._learn(pairs, plan, index, first, second)
            paths = differing_paths(
                first.responses[index],
                pairs.response_to_baseline(second.responses[index]),
                self.normalizer,
            )
            if not self.fresh:
                # The second run on a shared state sees the first run's items: a list that
                # grew, or a status that changed with it, says nothing about noise.
                paths = {
                    p for p in paths if p != STATUS_PATH and not (p.keys and p.keys[-1] == EVERY)
                }
            if paths:
                # Under the shape the judge looks noise up by: the same request, the same class
                # of answer, so what is noise for a create is not taken for its 4xx answers.
                shape = request_shape(first.requests[index], first.responses[index])
                self.noise.learn(step.operation, paths, shape)

    def _standing(self, step: Step, base: Response, cand: Response) -> bool:
        """A list the shared state already differs in (``shared_state``): noise, said once."""
        paths = standing_differences(base, cand, self.normalizer)
        if paths:
            self.noise.learn(step.operation, paths, request_shape(step.request, base))
            self.warnings.append(
                f"{step.operation}: before any sequence both lists already differ at "
                f"{', '.join(sorted(map(str, paths)))} (items the single requests created on "
                "each side, never paired): not compared in sequences"
            )
        return bool(paths)

    def _diverged(self, operation: str, base: Response, cand: Response) -> None:
        text = diverged(operation, base, cand)  # said once per operation
        if text and not any(w.startswith(f"{operation}: at the first") for w in self.warnings):
            self.warnings.append(text)

    # -- drifts ---------------------------------------------------------------------------------

    def _record(self, run: SequenceRun) -> list[DriftKey]:
        """File the run's differences under their keys; returns the keys seen for the first time."""
        first: list[DriftKey] = []
        seen: set[DriftKey] = set()
        for step, key, diff in run.drifts():
            if key in seen:
                continue  # a count is of sequences; the earliest step is the example
            seen.add(key)
            drift = self.drifts.get(key)
            if drift is None:
                drift = self.drifts[key] = SequenceDrift(
                    key,
                    diff.kind,
                    diff.level,
                    tuple(sorted(diff.paths, key=str)),
                    diff.message,
                    run,
                    step,
                    about=diff.about,
                )
                first.append(key)
            elif diff.level > drift.level or (
                diff.level is drift.level and size(run.plan[:step]) < drift.size
            ):
                drift.take(diff, run, step)
            drift.count += 1
        return first

    def _shrink(
        self,
        key: DriftKey,
        strategy: Any,
        cache: dict[Plan, SequenceRun],
        drawn: dict[Plan, Choices],
        budget: Budget,
        seed: int,
        explored: int,
    ) -> None:
        """Fewer steps first (each step but the differing one left out in turn, while the
        drift still shows), then Hypothesis's shrinker from the choices of the first drawn
        plan that showed it (none: a skeleton found it, and replaying the same seed would draw
        the same plans again, so the shortened skeleton stands)."""
        drift = self.drifts[key]
        sent = 0

        def shows(plan: Plan) -> bool:
            nonlocal sent
            run = cache.get(plan)
            if run is None:
                if sent >= budget.shrink_sequences:
                    raise _BudgetSpent
                sent += 1
                self.shrink_sequences += 1
                run = cache[plan] = self.check(plan)
            for step, seen, diff in run.drifts():
                if seen == key and diff.level is drift.level:
                    if size(plan[:step]) < drift.size:
                        drift.take(diff, run, step)
                    return True
            return False

        def condition(plan: Plan) -> None:
            if shows(plan):
                raise _Shows

        try:
            shortened = True
            while shortened:
                plan = drift.run.plan[: drift.step]
                shortened = any(
                    shows(plan[:i] + plan[i + 1 :]) for i in range(len(plan) - 2, -1, -1)
                )
            start = next((drawn[p] for p in drawn if shows(p)), None)
            if explored > 0 and start is not None:
                run_plans(strategy, condition, explored, seed, shrink=True, start=start)
        except _BudgetSpent:
            pass  # the shortest plan found so far stays the example
        except Exception:
            pass  # _Shows for the shrunk plan, or Hypothesis giving up: the example stands

    def final(self) -> list[tuple[SequenceDrift, tuple[ResponsePath, ...]]]:
        """Each drift with the paths left once the noise learned by the end is taken out."""
        result = []
        for key, drift in self.drifts.items():
            index = drift.step - 1
            shape = request_shape(
                drift.run.baseline.requests[index], drift.run.baseline.responses[index]
            )
            noise = self.noise.filter(key.operation, shape)
            kept = (
                drift.paths
                if drift.kind in WHOLE_ANSWER
                else tuple(p for p in drift.paths if not noise(p))
            )
            single = self.known(DriftKey(key.operation, key.id, tuple(map(str, kept))))
            if kept and not covered(single, drift.level):
                result.append((drift, kept))
        return result


class _Shows(Exception):
    """The drift being shrunk showed: a failure for Hypothesis, which shrinks it."""


class _BudgetSpent(BaseException):
    """Ends a shrink at once (Hypothesis lets a non-Exception through)."""
