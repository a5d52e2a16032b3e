"""Exploration: each request sent once, seeds per operation and mode, our errors not swallowed."""

from __future__ import annotations

import pytest

from contract_tools._parity.case import Outcome
from contract_tools._parity.exploration import explore, modes_of, operation_seed, reraise_ours
from contract_tools._parity.generate import MergedOperation, merge_operations
from contract_tools.errors import AppLoadError
from contract_tools.models import Mode, Request, Response

DOC = {
    "openapi": "3.1.0",
    "info": {"title": "t", "version": "1"},
    "paths": {
        "/items/{id}": {
            "get": {
                "parameters": [
                    {"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}
                ],
                "responses": {"200": {"description": "ok"}},
            }
        }
    },
}


def _operation() -> MergedOperation:
    [op] = merge_operations({"baseline": DOC, "candidate": None})
    return op


def test_modes_and_seeds() -> None:
    assert modes_of(Mode.ALL) == (Mode.POSITIVE, Mode.NEGATIVE)
    assert modes_of(Mode.NEGATIVE) == (Mode.NEGATIVE,)
    op = _operation()
    # A mode run alone keeps the operation's own seed; "all" gives each of its modes another.
    assert operation_seed(1, op, Mode.POSITIVE, Mode.POSITIVE) != operation_seed(
        1, op, Mode.POSITIVE, Mode.ALL
    )
    assert operation_seed(1, op, Mode.POSITIVE, Mode.ALL) == operation_seed(
        1, op, Mode.POSITIVE, Mode.ALL
    )


def test_every_request_is_sent_once() -> None:
    sent: list[Request] = []

    def send(op: MergedOperation, request: Request) -> Outcome:
        sent.append(request)
        return Outcome(Response(200), Response(200))

    result = explore(
        _operation(),
        mode=Mode.POSITIVE,
        max_examples=20,
        coverage=True,
        seed=lambda mode: 3,
        on_case=lambda request, outcome, mode: None,
        send=send,
    )
    assert len(sent) == len(set(sent)) == result.sent == len(result.cache)
    assert result.failure is None and result.skip_reason is None


def test_a_target_that_aborts_the_run_is_not_a_skipped_operation() -> None:
    def send(op: MergedOperation, request: Request) -> Outcome:
        raise AppLoadError("http://127.0.0.1:1: lost the connection")

    with pytest.raises(AppLoadError, match="lost the connection"):
        explore(
            _operation(),
            mode=Mode.POSITIVE,
            max_examples=5,
            coverage=False,
            seed=lambda mode: 1,
            on_case=lambda request, outcome, mode: None,
            send=send,
        )


def test_our_errors_are_found_inside_exception_groups() -> None:
    class Group(Exception):
        """Shaped like an exception group (a builtin from Python 3.11)."""

        exceptions = (ValueError("x"), AppLoadError("gone"))

    group = Group("two")
    with pytest.raises(AppLoadError, match="gone"):
        reraise_ours(group)
    reraise_ours(ValueError("an app's own failure stays an outcome"))
