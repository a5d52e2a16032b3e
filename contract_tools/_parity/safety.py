"""What a run must refuse to do, or refuse to call a pass.

- State-changing requests to a server that is not on this machine: a parity run against a
  shared or production-like server creates, changes and deletes real data. Loopback targets
  and in-process apps are the tester's own; anything else needs ``--allow-unsafe``.
- A run in which nothing was compared (every operation skipped, or no side ever answered) is
  not a pass: it becomes a finding that fails the gate.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

from contract_tools._parity.generate import MergedOperation
from contract_tools._parity.live import URLTarget
from contract_tools._parity.session import Session
from contract_tools._parity.targets import SAFE_METHODS
from contract_tools.errors import UsageError
from contract_tools.models import Finding, Level

NOTHING_COMPARED = "nothing-compared"
RUN = "(the whole run)"


def is_loopback(host: str) -> bool:
    if host.lower() in ("localhost", "localhost.localdomain") or host.lower().endswith(
        ".localhost"
    ):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def remote_targets(session: Session) -> list[str]:
    """Base URLs of the sides that are servers on another machine."""
    return [
        t.base_url
        for t in (session.baseline, session.candidate)
        if isinstance(t, URLTarget) and not is_loopback(t.host)
    ]


# Probes that may send a state-changing method to an operation that does not declare one.
UNSAFE_PROBES = frozenset({"method-not-allowed"})


def check_safety(session: Session, operations: Iterable[MergedOperation], allowed: bool) -> None:
    """Refuse (exit 2, before any request) to send state-changing requests to a remote URL."""
    if allowed:
        return
    remote = remote_targets(session)
    if not remote:
        return
    unsafe = sorted({op.method for op in operations if op.method not in SAFE_METHODS})
    if unsafe:
        raise UsageError(
            f"refusing to send {'/'.join(unsafe)} requests to {', '.join(remote)}, which is not "
            "this machine: they change its data. Pass --allow-unsafe (or allow_unsafe = true) "
            "if that is what you want, or --exclude those operations"
        )


def nothing_compared(operations: int, skipped: int, cases: int) -> Finding:
    if operations == 0:
        why = "no operation was selected"
    elif skipped == operations:
        why = f"all {operations} operations were skipped"
    else:
        why = f"no side answered any of the {cases} requests sent"
    return Finding(
        NOTHING_COMPARED,
        Level.ERROR,
        RUN,
        f"nothing was compared: {why}; a run that compared nothing does not pass",
    )
