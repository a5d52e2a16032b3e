"""sequence_reproduction: bindings read back from a recorded sequence, the curl script, the
pytest text, and a replay that fills each side's ids from its own answers."""

from __future__ import annotations

import ast
import json
from collections.abc import Callable
from typing import Any

from contract_tools._parity.links import LOCATION
from contract_tools._parity.normalize import Normalizer
from contract_tools._parity.sequence_reproduction import (
    bindings_of,
    curl_script,
    derive_bindings,
    pytest_sequence,
    replay_steps,
)
from contract_tools._parity.sequences import Binding, Played
from contract_tools._parity.targets import Target
from contract_tools.models import Exchange, Request, Response, SequenceStep

HOST = (("Host", "localhost"),)


def _answer(status: int, body: Any, location: str | None = None) -> Response:
    headers = [("Content-Type", "application/json")]
    if location:
        headers.append(("Location", location))
    return Response(status, tuple(headers), json.dumps(body).encode())


def _played() -> Played:
    return Played(
        requests=[
            Request.build("POST", "/notes", headers=HOST, body=b"{}"),
            Request.build("DELETE", "/notes/a%20b", headers=HOST),
        ],
        responses=[_answer(201, {"id": "a b"}, "/notes/a%20b"), Response(204)],
        bindings=[(), (Binding("note_id", 1, LOCATION, "a b"),)],
    )


def test_run_bindings_name_the_location_segment_a_replay_reads() -> None:
    assert bindings_of(_played(), 2) == [{}, {"a%20b": (1, f"{LOCATION}#2")}]


def test_bindings_are_read_back_from_a_recorded_sequence() -> None:
    played = _played()
    sequence = [
        SequenceStep(
            "POST /notes",
            Exchange(played.requests[0], played.responses[0], played.responses[0]),
        ),
        SequenceStep(
            "DELETE /notes/{note_id}",
            Exchange(played.requests[1], played.responses[1], played.responses[1]),
        ),
    ]
    assert derive_bindings(sequence) == [{}, {"a%20b": (1, "body:/id")}]


def test_the_curl_script_is_one_curl_per_step_with_the_ids_origin() -> None:
    script = curl_script(
        _played(), ["POST /notes", "DELETE /notes/{note_id}"], "http://h:1", 2, lambda r: r
    )
    assert script.splitlines() == [
        "# step 1/2: POST /notes",
        "curl --path-as-is --globoff -X POST -H 'Host: localhost' -H Accept: -H User-Agent:"
        " --data-binary '{}' http://h:1/notes",
        "# step 2/2: DELETE /notes/{note_id}",
        "#   {note_id} = a b from step 1's answer (its Location header)",
        "curl --path-as-is --globoff -X DELETE -H 'Host: localhost' -H Accept: -H User-Agent:"
        " http://h:1/notes/a%20b",
    ]


def test_the_pytest_text_is_a_test_that_calls_the_public_api() -> None:
    played = _played()
    text = pytest_sequence(
        "legacy:create_app()",
        "port:create_app()",
        played.requests,
        bindings_of(played, 2),
        "status-mismatch",
        "DELETE /notes/{note_id}",
        ignore=["$.created_at"],
    )
    tree = ast.parse(text)
    assert [node.name for node in tree.body if isinstance(node, ast.FunctionDef)] == [
        "test_delete_notes_note_id_status_mismatch_sequence"
    ]
    assert "from contract_tools import Request, replay_sequence" in text
    assert "{'a%20b': (1, 'header:location#2')}" in text
    assert text.rstrip().endswith(
        "assert replay_sequence('legacy:create_app()', 'port:create_app()', steps, "
        "ignore=['$.created_at']) == []"
    )


class _Side(Target):
    """A side that makes ids with a prefix of its own and answers what it deleted."""

    fresh_per_case = True

    def __init__(self, prefix: str, delete_status: int) -> None:
        self.prefix, self.delete_status = prefix, delete_status

    def send(self, request: Request) -> Response:
        raise AssertionError("a replay plays on a sequence state")

    def sequence_state(self) -> Any:
        import contextlib

        @contextlib.contextmanager
        def state() -> Any:
            made: list[str] = []

            def send(request: Request) -> Response:
                if request.method == "POST":
                    made.append(f"{self.prefix}{len(made)}")
                    return _answer(201, {"id": made[-1]})
                found = request.path.rsplit("/", 1)[-1] in made
                return _answer(self.delete_status if found else 404, {"gone": found})

            yield send

        return state()


def _replay(candidate: _Side) -> list[str]:
    steps = [
        (Request.build("POST", "/notes", headers=HOST), {}),
        (Request.build("DELETE", "/notes/recorded", headers=HOST), {"recorded": (1, "body:/id")}),
    ]
    ignored: Callable[[Any], bool] = lambda path: False  # noqa: E731
    differences = replay_steps(
        _Side("b", 200), candidate, steps, normalizer=Normalizer(), ignored=ignored
    )
    return [d.message for d in differences]


def test_a_replay_fills_each_sides_own_ids_and_compares_the_last_step() -> None:
    # Each side deletes what it made (b0, c0): both found it, the answers agree.
    assert _replay(_Side("c", 200)) == []
    assert _replay(_Side("c", 202)) == ["status 200 (baseline) vs 202 (candidate)"]
