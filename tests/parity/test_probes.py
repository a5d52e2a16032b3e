"""Every framework probe finds the one drift seeded for it, and only that probe does.

tests/parity/apps/probes_flask.py is the legacy service; probes_fastapi.py its port, faithful
(it answers HEAD, OPTIONS, slashes, repeated keys and headers, bodies as Flask does) or with one
drift per probe. Each drift is invisible to generation (``--probes none`` finds nothing) and
found by exactly its probe, at the level the level rule gives it.
"""

from __future__ import annotations

from typing import Any

import pytest

from contract_tools._parity.probes import PROBES, select
from contract_tools._parity.session import resolve_specs, target_for_factory
from contract_tools.models import Finding, Level
from tests.parity.apps import probes_fastapi, probes_flask
from tests.parity.running import run

OPTIONS: dict[str, Any] = {"max_examples": 3, "seed": 1, "mode": "positive"}

GETS = ("GET /echo", "GET /items", "GET /items/{item_id}", "GET /report")
POSTS = ("POST /echo", "POST /items")
PATHS = ("/echo", "/items", "/items/{item_id}", "/report")
STATUS = ("status",)
ACAO = ("header:access-control-allow-origin",)
Expected = set[tuple[str, str, Level, tuple[str, ...]]]


def each(operations: tuple[str, ...], id: str, level: Level, paths: tuple[str, ...]) -> Expected:
    return {(operation, id, level, paths) for operation in operations}


def options(id: str, level: Level, paths: tuple[str, ...]) -> Expected:
    return each(tuple(f"OPTIONS {path}" for path in PATHS), id, level, paths)


# drift -> (operation, finding id, level, paths) of every finding, all filed with that probe.
EXPECTED: dict[str, Expected] = {
    "head": each(GETS, "status-mismatch", Level.ERROR, STATUS),
    "options": options("status-mismatch", Level.ERROR, STATUS),
    "options-origin": options("status-mismatch", Level.ERROR, STATUS),
    # One finding per header: each is its own drift (a client reads each on its own).
    "preflight": options("body-mismatch", Level.ERROR, ("$",))
    | options("header-mismatch", Level.ERROR, ("header:allow",))
    | options("header-mismatch", Level.ERROR, ("header:content-type",))
    | options("header-mismatch", Level.WARNING, ACAO)
    | options("header-mismatch", Level.WARNING, ("header:vary",)),
    # Starlette's 405 lists the first route's methods where two routes share the path.
    "method-not-allowed": each(
        ("PATCH /echo", "PATCH /items"), "header-mismatch", Level.WARNING, ("header:allow",)
    ),
    # 404 vs a 307 redirect: outside the legacy path contract, a widening.
    "trailing-slash": each(GETS + POSTS, "status-mismatch", Level.WARNING, STATUS),
    "double-slash": each(GETS + POSTS, "status-mismatch", Level.ERROR, STATUS),
    "repeated-query": {("GET /items", "body-mismatch", Level.ERROR, ("$.items[*]",))},
    "unknown-query": {("GET /items", "status-mismatch", Level.ERROR, STATUS)},
    "repeated-header": each(("GET /echo", "POST /echo"), "body-mismatch", Level.ERROR, ("$.tag",)),
    "header-case": {("POST /items", "status-mismatch", Level.ERROR, STATUS)},
    "accept-any": {("GET /report", "status-mismatch", Level.ERROR, STATUS)},
    "accept-json": {("GET /report", "status-mismatch", Level.ERROR, STATUS)},
    "accept-html": {
        ("GET /report", "body-mismatch", Level.ERROR, ("$",)),
        ("GET /report", "header-mismatch", Level.ERROR, ("header:content-type",)),
    },
    "cookie": each(
        ("GET /echo", "POST /echo"),
        "body-mismatch",
        Level.ERROR,
        ("$.cookies.__utma", "$.cookies._ga"),
    ),
    "origin": each(GETS + POSTS, "header-mismatch", Level.WARNING, ACAO),
    "body-empty": {("POST /items", "status-mismatch", Level.WARNING, STATUS)},
    "body-json": {("POST /echo", "body-mismatch", Level.ERROR, ("$.json",))},
    "body-malformed-json": {("POST /items", "status-mismatch", Level.WARNING, STATUS)},
    "body-json-no-content-type": {("POST /echo", "body-mismatch", Level.ERROR, ("$.json",))},
    "body-form": {("POST /echo", "body-mismatch", Level.ERROR, ("$.form.probe",))},
    "body-multipart": {("POST /echo", "crash", Level.ERROR, STATUS)},
    "body-wrong-content-type": {("POST /items", "status-mismatch", Level.WARNING, STATUS)},
}


def _run(drift: str | None, **settings: Any) -> tuple[Finding, ...]:
    baseline = target_for_factory(probes_flask.create_app, "flask")
    candidate = target_for_factory(lambda: probes_fastapi.create_app(drift), "fastapi")
    specs = None
    if drift == "body-empty":
        # The legacy draft declares no body, so an empty POST is a generated case there; with
        # a spec that requires the body, only the probe sends none.
        document = resolve_specs(baseline, candidate)["candidate"]
        specs = {"baseline": document, "candidate": document}
    return run(baseline, candidate, specs, **{**OPTIONS, **settings}).findings


def test_every_probe_has_its_seeded_drift() -> None:
    assert [p.name for p in PROBES] == list(probes_fastapi.DRIFTS) == list(EXPECTED)


@pytest.mark.parametrize("drift", list(EXPECTED))
def test_only_its_probe_finds_the_drift(drift: str) -> None:
    found = _run(drift, probes="all")
    assert {(f.operation, f.id, f.level, tuple(str(p) for p in f.paths)) for f in found} == (
        EXPECTED[drift]
    )
    assert {f.probe for f in found} == {drift}
    assert all(f"probe={drift}" in f.key.subject for f in found)
    # Generation alone never sends what the probe sends.
    assert _run(drift, probes="none") == ()


def test_the_faithful_port_gets_no_finding_from_probes_or_generation() -> None:
    assert _run(None, probes="all", mode="all", max_examples=10) == ()


def test_a_probe_finding_says_what_was_sent_and_who_answered_what() -> None:
    [finding] = [f for f in _run("head", probes="head") if f.operation == "GET /items/{item_id}"]
    assert finding.message == "HEAD /items/1: status 200 (baseline) vs 405 (candidate)"
    assert finding.exchange is not None and finding.reproduction is not None
    assert finding.exchange.request.method == "HEAD"
    assert (finding.exchange.baseline.status, finding.exchange.candidate.status) == (200, 405)
    assert finding.exchange.baseline.body == b""  # a server sends no body for HEAD
    assert dict(finding.reproduction.curl)["candidate"] == (
        "curl --path-as-is --globoff --head -H 'Host: localhost' -H Accept: -H User-Agent: "
        '"$CANDIDATE_URL"/items/1'
    )
    assert finding.to_dict()["details"]["probe"] == "head"
    assert Finding.from_dict(finding.to_dict()).key == finding.key


def test_refused_by_the_legacy_app_is_a_warning_that_says_why() -> None:
    [finding] = _run("body-malformed-json", probes="body-malformed-json")
    assert finding.level is Level.WARNING
    assert finding.message == (
        "POST /items with malformed JSON: status 400 (baseline) vs 422 (candidate): "
        "both refuse a request outside the baseline's contract"
    )
    [widened] = _run("body-wrong-content-type", probes="body-wrong-content-type")
    assert widened.message.endswith(
        "status 400 (baseline) vs 201 (candidate): the candidate accepts a request outside "
        "the baseline's contract (a widening)"
    )


def test_a_crash_on_a_probe_is_an_error() -> None:
    [finding] = _run("body-multipart", probes="body-multipart")
    assert (finding.id, finding.level) == ("crash", Level.ERROR)
    assert finding.exchange is not None and finding.exchange.candidate.crash is not None
    assert "uploads were never ported" in finding.exchange.candidate.crash


def test_probes_are_selected_by_name_in_registry_order() -> None:
    assert [p.name for p in select(["options", "head"])] == ["head", "options"]
    assert select(["all"]) == PROBES
    assert select(["none"]) == [] and select([]) == []
    with pytest.raises(ValueError, match=r"^unknown probe 'haed' \(contract-tools probes"):
        select(["head", "haed"])


def test_every_probe_is_documented() -> None:
    for probe in PROBES:
        assert probe.summary, probe.name
        assert probe.scope in ("operation", "path")
        assert probe.family in ("methods", "requests", "bodies")


def test_the_same_run_twice_sends_the_same_probes_and_reports_the_same() -> None:
    first, second = _run("repeated-header", probes="all"), _run("repeated-header", probes="all")
    assert [f.to_dict() for f in first] == [f.to_dict() for f in second]
