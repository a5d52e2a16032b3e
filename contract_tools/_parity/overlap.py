"""Both sides at once, where the time goes to waiting on a socket.

Two live servers answer the same request side by side: the candidate's request leaves while the
baseline's answer is awaited, so a case costs the slower answer, not the sum of both. In-process
targets gain nothing (the GIL), and two URLs on one server would race on its state, so they are
sent one after the other as before. Either way both sides receive the very same bytes.
"""

from __future__ import annotations

import threading

from contract_tools._parity.targets import Target
from contract_tools.models import Request, Response


def overlaps(baseline: Target, candidate: Target) -> bool:
    """Whether the two targets are live servers at different addresses."""
    return (
        baseline.waits_on_network
        and candidate.waits_on_network
        and baseline.base_url.rstrip("/") != candidate.base_url.rstrip("/")
    )


def send_both(baseline: Target, candidate: Target, request: Request) -> tuple[Response, Response]:
    """The baseline's and the candidate's answers to ``request``."""
    if not overlaps(baseline, candidate):
        return baseline.send(request), candidate.send(request)
    answers: list[Response] = []
    failures: list[BaseException] = []

    def candidate_side() -> None:
        try:
            answers.append(candidate.send(request))
        except BaseException as exc:  # re-raised in the caller's thread, as sent there
            failures.append(exc)

    # A daemon thread: an interrupted run is never held up by a socket still waiting.
    thread = threading.Thread(target=candidate_side, name="contract-tools-candidate", daemon=True)
    thread.start()
    try:
        base = baseline.send(request)
    finally:
        thread.join()
    if failures:
        raise failures[0]
    return base, answers[0]
