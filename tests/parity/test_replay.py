"""Replay: a request sent again to both sides, compared as the run did."""

from __future__ import annotations

from contract_tools._parity.replay import replay_request
from contract_tools.models import Request, ResponsePath

FLASK = "tests.parity.apps.bookshop_flask:create_app()"
DRIFTED = "tests.parity.apps.bookshop_fastapi:create_drifted_app()"


def test_replay_request_reproduces_a_drift() -> None:
    request = Request.build("GET", "/books/1", headers=[("Host", "localhost")])
    assert replay_request(FLASK, FLASK, request) == []
    [diff] = replay_request(FLASK, DRIFTED, request)
    assert diff.paths == (ResponsePath.parse("$.year"),)
    assert replay_request(FLASK, DRIFTED, request, ignore=["$.year"]) == []
