"""Several cases in flight to live servers, judged in the order they were drawn.

A live case mostly waits: on two sockets, while this process could draw the next request. A
window sends up to ``size`` cases at once from a small thread pool, while generation goes on,
and judges each answer (compare, noise, levels) strictly in the order the requests were drawn:
the noise learned and the findings are those of sending them one after the other.

Only requests that change nothing overlap (``overlappable``): a write waits for every earlier
request to be answered and is answered before the next is sent, so a server sees its state
change in the order generation made it. In-process targets gain nothing (the GIL) and keep
sending one case at a time.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor

from contract_tools._parity.case import Judge, Sent
from contract_tools._parity.exploration import Judged
from contract_tools._parity.generate import MergedOperation
from contract_tools._parity.overlap import overlaps
from contract_tools._parity.targets import SAFE_METHODS
from contract_tools.models import Request


def overlappable(judge: Judge, op: MergedOperation, size: int) -> bool:
    """Whether ``op``'s cases may be several in flight: live servers, a safe method, size > 1."""
    return (
        size > 1 and op.method.upper() in SAFE_METHODS and overlaps(judge.baseline, judge.candidate)
    )


def window_for(judge: Judge, op: MergedOperation, size: int) -> Callable[[Judged], Window] | None:
    """What ``exploration.explore`` opens for ``op``: a window when its cases may overlap."""
    if not overlappable(judge, op, size):
        return None
    return lambda done: Window(judge, op, size, done)


class Window:
    """Up to ``size`` cases sent at once; each judged, then given to ``done``, in draw order."""

    def __init__(self, judge: Judge, op: MergedOperation, size: int, done: Judged) -> None:
        self.judge, self.op, self.size, self.done = judge, op, size, done
        self._pool = ThreadPoolExecutor(size, thread_name_prefix="contract-tools-window")
        self._flight: deque[tuple[Request, Future[Sent]]] = deque()

    def __contains__(self, request: object) -> bool:
        """Whether ``request`` is sent and not judged yet (at most ``size`` to look through)."""
        return any(request == sent for sent, _ in self._flight)

    def submit(self, request: Request) -> None:
        """Send ``request``; judge the oldest cases while more than ``size`` are in flight."""
        self._flight.append((request, self._pool.submit(self.judge.send, request)))
        while len(self._flight) > self.size:
            self._settle()

    def drain(self) -> None:
        """Judge every case still in flight, in order."""
        while self._flight:
            self._settle()

    def close(self) -> None:
        """Stop at once: an interrupted run is not held up by answers nobody will read."""
        for _, future in self._flight:
            future.cancel()
        self._flight.clear()
        self._pool.shutdown(wait=False, cancel_futures=True)

    def _settle(self) -> None:
        request, future = self._flight.popleft()
        self.done(request, self.judge.judge(self.op, future.result()))
