"""Reproductions: curl lines that send exactly the request, and pytest tests that go green."""

from __future__ import annotations

from typing import Any

import pytest

from contract_tools._parity.reproduction import curl, pytest_snippet
from contract_tools.models import Request
from tests.parity.example_pair import LEGACY, PORT, run_example_pair


def test_curl_sends_exactly_the_request() -> None:
    request = Request.build(
        "POST",
        "//books/a b",
        query=[("q", "x&y")],
        headers=[("Content-Type", "application/json")],
        body=b'{"a": 1}',
    )
    assert curl(request, "http://127.0.0.1:8000/") == (
        "curl --path-as-is -X POST -H 'Content-Type: application/json' "
        "--data-binary '{\"a\": 1}' 'http://127.0.0.1:8000//books/a b?q=x%26y'"
    )


def test_the_snippet_names_the_drift_and_goes_through_the_public_api() -> None:
    request = Request.build("GET", "/books/1")
    snippet = pytest_snippet("a:app", "b:app", request, "body-mismatch", "GET /books/{id}")
    assert snippet.splitlines()[:4] == [
        "from contract_tools import Request, replay_request",
        "",
        "",
        "def test_get_books_id_body_mismatch():",
    ]
    assert snippet.endswith("    assert replay_request('a:app', 'b:app', request) == []\n")


def test_the_pytest_snippet_fails_while_the_drift_exists_and_passes_once_fixed() -> None:
    """POST /books/ answers carry a fresh created_at: the snippet must ignore it as the run did."""
    # 100: a valid book needs an existing author_id, which seed 1 first draws within 100.
    report = run_example_pair(max_examples=100, seed=1, mode="positive", include=("POST /books/",))
    (finding,) = [f for f in report.findings if f.id == "status-mismatch"]
    assert finding.reproduction is not None
    snippet = finding.reproduction.pytest
    assert "ignore=['$.created_at']" in snippet
    namespace: dict[str, Any] = {}
    exec(compile(snippet, "<snippet>", "exec"), namespace)
    test = next(v for k, v in namespace.items() if k.startswith("test_"))
    with pytest.raises(AssertionError):
        test()  # 201 vs 200 still there
    fixed = snippet.replace(repr(PORT), repr(LEGACY))
    exec(compile(fixed, "<fixed>", "exec"), namespace)
    test = next(v for k, v in namespace.items() if k.startswith("test_"))
    test()  # the port "fixed": only created_at differs, which the run learned is noise
