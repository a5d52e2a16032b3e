"""What a run refuses: unsafe requests to other machines, and passing when nothing was compared."""

from __future__ import annotations

from typing import Any

import pytest

from contract_tools._parity.generate import merge_operations
from contract_tools._parity.live import URLTarget
from contract_tools._parity.safety import check_safety, is_loopback, nothing_compared
from contract_tools._parity.session import Session, target_for_app
from contract_tools._parity.targets import Target
from contract_tools.errors import UsageError
from contract_tools.models import Level, Request, Response
from tests.parity.apps import bookshop_flask
from tests.parity.running import run


def spec(*operations: tuple[str, str]) -> dict[str, Any]:
    paths: dict[str, Any] = {}
    for method, path in operations:
        paths.setdefault(path, {})[method] = {"responses": {"200": {"description": "ok"}}}
    return {"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": paths}


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.9.9.9", True),
        ("::1", True),
        ("[::1]", True),
        ("localhost", True),
        ("api.localhost", True),
        ("10.0.0.1", False),
        ("example.com", False),
    ],
)
def test_loopback(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_unsafe_methods_to_another_machine_need_saying_so() -> None:
    remote = URLTarget("https://api.example.com")
    local = target_for_app(bookshop_flask.create_app())
    doc = spec(("get", "/a"), ("post", "/a"), ("delete", "/a/{id}"))
    session = Session(local, remote, {"baseline": doc, "candidate": doc})
    operations = merge_operations(session.specs)
    with pytest.raises(UsageError) as info:
        check_safety(session, operations, allowed=False)
    assert str(info.value) == (
        "refusing to send DELETE/POST requests to https://api.example.com, which is not this "
        "machine: they change its data. Pass --allow-unsafe (or allow_unsafe = true) if that "
        "is what you want, or --exclude those operations"
    )
    check_safety(session, operations, allowed=True)
    check_safety(session, [op for op in operations if op.method == "GET"], allowed=False)
    loop = Session(local, URLTarget("http://127.0.0.1:8000"), session.specs)
    check_safety(loop, operations, allowed=False)


class Silent(Target):
    """A side that never answers."""

    def send(self, request: Request) -> Response:
        return Response(0, no_answer="no answer within 30s")


def test_a_run_that_compared_nothing_fails_the_gate() -> None:
    doc = spec(("get", "/a"))
    report = run(Silent(), Silent(), {"baseline": doc, "candidate": doc}, max_examples=3)
    assert sorted(f.id for f in report.findings) == ["no-answer", "nothing-compared"]
    [last] = [f for f in report.findings if f.id == "nothing-compared"]
    assert (last.level, last.operation, last.message) == (
        Level.ERROR,
        "(the whole run)",
        "nothing was compared: no side answered any of the 2 requests sent; a run that "
        "compared nothing does not pass",
    )
    assert nothing_compared(0, 0, 0).message.startswith("nothing was compared: no operation")
    assert nothing_compared(4, 4, 0).message.startswith(
        "nothing was compared: all 4 operations were skipped"
    )


def test_patterns_that_match_nothing_are_said() -> None:
    doc = spec(("get", "/a"), ("get", "/delay/{n}"))
    app = target_for_app(bookshop_flask.create_app())
    report = run(
        app,
        app,
        {"baseline": doc, "candidate": doc},
        max_examples=1,
        exclude=("/delay/.*", "GET /nope"),
    )
    assert report.meta["summary"]["operations"] == 1  # a bare path regex matches the path
    assert report.meta["warnings"] == ["--exclude 'GET /nope' matches no operation"]
