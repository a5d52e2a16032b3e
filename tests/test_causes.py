"""Causes: a pure grouping of findings by what they share; each finding in exactly one."""

from __future__ import annotations

import random

from hypothesis import given
from hypothesis import strategies as st

from contract_tools.causes import error_shape, exception_line, value_shape, with_causes
from contract_tools.models import Exchange, Finding, Level, Report, Request, Response, ResponsePath

OPERATIONS = ("GET /a", "GET /b", "POST /c")
JSON = (("Content-Type", "application/json"),)


def header_finding(operation: str, name: str, base: str | None, cand: str | None) -> Finding:
    def answer(value: str | None) -> Response:
        return Response(200, ((name, value),) if value is not None else ())

    return Finding(
        "header-mismatch",
        Level.WARNING,
        operation,
        "m",
        paths=(ResponsePath.header(name),),
        exchange=Exchange(Request.build("GET", "/x"), answer(base), answer(cand)),
    )


def status_finding(operation: str, base: int, cand: int, level: Level = Level.ERROR) -> Finding:
    return Finding(
        "status-mismatch",
        level,
        operation,
        "m",
        paths=(ResponsePath.status(),),
        exchange=Exchange(
            Request.build("GET", "/x"),
            Response(base, JSON, b'{"error": "bad"}'),
            Response(cand, JSON, b'{"detail": [{"msg": "x"}]}'),
        ),
        about=f"status {base} -> {cand}",
    )


findings = st.one_of(
    st.builds(
        header_finding,
        st.sampled_from(OPERATIONS),
        st.sampled_from(["access-control-allow-origin", "etag", "x-total"]),
        st.sampled_from([None, "*", '"a1"']),
        st.sampled_from([None, "*", 'W/"a2"']),
    ),
    st.builds(
        status_finding,
        st.sampled_from(OPERATIONS),
        st.sampled_from([200, 201, 400, 404]),
        st.sampled_from([200, 422]),
        st.sampled_from([Level.ERROR, Level.WARNING]),
    ),
)


@given(st.lists(findings, max_size=12), st.randoms())
def test_each_finding_is_in_exactly_one_cause_whatever_the_order(
    found: list[Finding], rng: random.Random
) -> None:
    report = with_causes(Report("parity", tuple(found)))
    numbers = sorted(n for cause in report.causes for n in cause.findings)
    assert numbers == list(range(1, len(found) + 1))
    for cause in report.causes:
        assert {report.findings[n - 1].cause for n in cause.findings} == {cause.id}
        assert cause.level == max(report.findings[n - 1].level for n in cause.findings)
    shuffled = list(found)
    rng.shuffle(shuffled)
    again = with_causes(Report("parity", tuple(shuffled)))

    def groups(r: Report) -> set[tuple[str, frozenset[str]]]:
        return {
            (c.title, frozenset(str(r.findings[n - 1].key) for n in c.findings)) for c in r.causes
        }

    assert groups(again) == groups(report)


def test_the_same_cors_header_on_many_operations_is_one_cause() -> None:
    found = [
        header_finding(op, name, "*", None)
        for op in OPERATIONS
        for name in ("access-control-allow-origin", "access-control-allow-credentials")
    ]
    found.append(header_finding("GET /a", "etag", '"a1"', None))
    report = with_causes(Report("parity", tuple(found)))
    assert [(c.title, len(c.operations), c.findings) for c in report.causes] == [
        (
            "CORS: the candidate omits Access-Control-Allow-Credentials, "
            "Access-Control-Allow-Origin when the request has no Origin",
            3,
            (1, 2, 3, 4, 5, 6),
        ),
        ("Header Etag sent only by the baseline", 1, (7,)),
    ]


def test_status_pairs_group_across_operations_and_stay_apart_from_each_other() -> None:
    found = [
        status_finding("GET /a", 404, 422, Level.WARNING),
        status_finding("GET /b", 404, 422, Level.WARNING),
        status_finding("POST /c", 201, 200),
        status_finding("POST /c", 400, 422),
    ]
    report = with_causes(Report("parity", tuple(found)))
    assert [(c.title, c.operations) for c in report.causes] == [
        ("Status 201 -> 200", ("POST /c",)),
        (
            'Status 400 -> 422, {"error"} (baseline) vs {"detail": [...]} (candidate)',
            ("POST /c",),
        ),
        (
            "Status 404 -> 422 on input outside the legacy contract, "
            '{"error"} (baseline) vs {"detail": [...]} (candidate)',
            ("GET /a", "GET /b"),
        ),
    ]


def test_other_commands_have_no_causes() -> None:
    report = Report("diff", (status_finding("GET /a", 200, 422),))
    assert with_causes(report) is report


def test_shapes_and_lines() -> None:
    assert value_shape('W/"5f3a-12"') == 'W/"…"'
    assert error_shape(Response(200, JSON, b"{}")) == ""
    assert error_shape(Response(422, JSON, b'{"detail": "x"}')) == '{"detail": "..."}'
    assert error_shape(Response(404, (("Content-Type", "text/html"),), b"<h1>")) == "an HTML page"
    assert error_shape(Response(400)) == "an empty body"
    crashed = Response(500, crash="Traceback...\n  File x\nZeroDivisionError: division by zero\n")
    assert exception_line(crashed) == "ZeroDivisionError: division by zero"
    assert exception_line(Response(502)) == "answered 502"


@given(st.permutations(["GET", "POST", "HEAD", "OPTIONS"]), st.permutations(["GET", "POST"]))
def test_an_allow_set_is_one_cause_in_whatever_order_flask_wrote_it(
    first: list[str], second: list[str]
) -> None:
    # Flask builds Allow from a set: its order changes between processes (hash randomisation).
    report = with_causes(
        Report(
            "parity",
            (
                header_finding("PATCH /a", "Allow", "GET, HEAD, OPTIONS, POST", "GET"),
                header_finding("PATCH /b", "Allow", ", ".join(first), "GET"),
                header_finding("PATCH /c", "allow", ",".join(second), "get"),
            ),
        )
    )
    assert [(c.title, c.findings) for c in report.causes] == [
        ("Header Allow: 'GET, HEAD, OPTIONS, POST' (baseline) vs 'GET' (candidate)", (1, 2)),
        ("Header Allow: 'GET, POST' (baseline) vs 'GET' (candidate)", (3,)),
    ]
