"""sequence_drifts: a sequence drift's key, and when a differing step leaves the sides apart."""

from __future__ import annotations

import pytest

from contract_tools._parity.compare import STATUS, STATUS_PATH, Difference
from contract_tools._parity.sequence_drifts import apart, covered, sequence_key, single_key
from contract_tools.models import DriftKey, Level, Request, Response, ResponsePath

BODY_DIFF = Difference("body", Level.ERROR, (ResponsePath.body(["body"]),), "body differs")
STATUS_DIFF = Difference(STATUS, Level.ERROR, (STATUS_PATH,), "status differs")


def test_a_sequence_drift_is_keyed_apart_from_the_same_single_request_drift() -> None:
    assert sequence_key("PATCH /n/{id}", BODY_DIFF) == DriftKey(
        "PATCH /n/{id}", "body-mismatch", ("$.body", "sequence")
    )
    assert single_key("PATCH /n/{id}", BODY_DIFF) == DriftKey(
        "PATCH /n/{id}", "body-mismatch", ("$.body",)
    )


@pytest.mark.parametrize(
    ("method", "statuses", "difference", "expected"),
    [
        ("GET", (200, 404), STATUS_DIFF, False),  # a read changes nothing
        ("DELETE", (204, 200), STATUS_DIFF, False),  # answered otherwise, did the same
        ("POST", (201, 400), STATUS_DIFF, True),  # one side made nothing
        ("PATCH", (200, 200), BODY_DIFF, True),  # the sides now hold other values
    ],
)
def test_apart(
    method: str, statuses: tuple[int, int], difference: Difference, expected: bool
) -> None:
    request = Request.build(method, "/n/1")
    answers = Response(statuses[0]), Response(statuses[1])
    assert apart(request, *answers, [difference]) is expected


def test_a_warning_of_the_first_phase_does_not_cover_an_error_of_a_sequence() -> None:
    assert covered(Level.ERROR, Level.ERROR)
    assert covered(Level.ERROR, Level.WARNING)
    assert not covered(Level.WARNING, Level.ERROR)
    assert not covered(None, Level.WARNING)
