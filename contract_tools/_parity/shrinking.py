"""Shrinking one drift to a minimal request with Hypothesis's own shrinker.

The shrink run replays the exploration (same strategy, same seed, answers from the run's cache,
so nothing is re-sent) until the drift's first request, raises there, and Hypothesis shrinks
from that known failing example. (``hypothesis.find`` had to re-discover a failure from scratch
inside the budget and often kept the first, huge example.) Requests sent while shrinking are
counted apart from the explored cases.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from contract_tools._parity.case import Outcome
from contract_tools._parity.exploration import hypothesis_run, reraise_ours
from contract_tools._parity.identity import Signature, drift_key
from contract_tools.models import DriftKey, Request

# Draws (condition calls) allowed per request a shrink may send: several choice sequences can
# render to one request, and those cost a draw but no send. Bounded, so that a shrink ends.
DRAWS_PER_SEND = 4


class _Shows(Exception):
    """The drift being shrunk showed: a failure for Hypothesis, which shrinks it."""


class _BudgetSpent(BaseException):
    """Ends a shrink run at once: Hypothesis lets a non-Exception through instead of shrinking
    it as a second failure."""


def size(request: Request) -> int:
    """How big a reproduction reads. The smaller is kept; on a tie the later one, since
    Hypothesis only moves to examples it ranks simpler (``/books/-1`` after ``/books/-2``)."""
    return (
        len(request.target) + len(request.body) + sum(len(k) + len(v) for k, v in request.headers)
    )


def shrink(
    sig: Signature,
    strategy: Any,
    *,
    cache: dict[Request, Outcome],
    send: Callable[[Request], Outcome],
    max_examples: int,
    budget: int,
    op_seed: int,
) -> int:
    """Shrink ``sig`` in place (its example becomes the smallest request that still shows it);
    returns how many requests were sent."""
    sent = 0
    calls = 0
    max_calls = max_examples + DRAWS_PER_SEND * budget
    key: DriftKey = sig.key

    def condition(request: Request) -> None:
        nonlocal sent, calls
        calls += 1
        if calls > max_calls:
            raise _BudgetSpent
        outcome = cache.get(request)
        if outcome is None:
            if sent >= budget:
                raise _BudgetSpent  # keep the smallest request seen so far
            sent += 1
            outcome = cache[request] = send(request)
        for diff in outcome.differences:
            # The level too: a widening (warning) must not shrink into another request that
            # happens to share its paths but breaks the contract (error), or back.
            if drift_key(key.operation, diff) == key and diff.level is sig.level:
                if size(request) <= size(sig.request):
                    sig.take(diff, request, outcome)
                raise _Shows

    try:
        hypothesis_run(strategy, condition, max_examples, op_seed, shrink=True)
    except _BudgetSpent:
        pass  # the budget ran out: the smallest request found so far stays the example
    except Exception as exc:
        # _Shows for the shrunk example (the expected end), or Hypothesis giving up (flaky,
        # unsatisfiable): either way the signature keeps its smallest request. Our own errors
        # (a server gone) end the run.
        reraise_ours(exc)
    return sent
