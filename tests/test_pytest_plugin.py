"""The pytest plugin, run by pytester on a tiny Flask app and its FastAPI port."""

from __future__ import annotations

import pytest

pytest_plugins = ["pytester"]

FLASK_APP = """
from flask import Flask, jsonify

BOOKS = {1: {"id": 1, "title": "Dune", "author": "Herbert"}}


def create_app():
    app = Flask(__name__)

    @app.get("/books/<int:book_id>")
    def get_book(book_id):
        if book_id not in BOOKS:
            return jsonify(error="not found"), 404
        return jsonify(BOOKS[book_id])

    @app.get("/authors")
    def authors():
        return jsonify(sorted(b["author"] for b in BOOKS.values()))

    return app
"""

FASTAPI_PORT = """
import re

from fastapi import FastAPI, HTTPException
from fastapi.responses import JSONResponse

BOOKS = {1: {"id": 1, "title": "Dune", "author": "Herbert"}}


def create_app(drift=False):
    app = FastAPI(redirect_slashes=False)

    @app.get("/books/{book_id}")
    def get_book(book_id: str):
        if not re.fullmatch(r"\\d+", book_id):
            raise HTTPException(404)  # Werkzeug's int converter: no route matched
        if int(book_id) not in BOOKS:
            return JSONResponse({"error": "not found"}, status_code=404)
        book = dict(BOOKS[int(book_id)])
        if drift:
            book["author_name"] = book.pop("author")
        return book

    @app.get("/authors")
    def authors():
        return sorted(b["author"] for b in BOOKS.values())

    return app


def create_drifted_app():
    return create_app(drift=True)
"""

BASE = "shop_flask:create_app()"
FAITHFUL = "shop_port:create_app()"
DRIFTED = "shop_port:create_drifted_app()"
FAST = ("--parity-max-examples", "5", "--parity-seed", "1")
CHECK = "def test_parity(parity):\n    parity.check()\n"


@pytest.fixture
def project(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.makepyfile(shop_flask=FLASK_APP, shop_port=FASTAPI_PORT)
    # These tests pin what generation finds; the port answers no HEAD/OPTIONS like Flask does.
    pytester.makepyprojecttoml('[tool.contract-tools.parity]\nprobes = "none"\n')
    return pytester


def targets(candidate: str) -> tuple[str, ...]:
    return ("--parity-baseline", BASE, "--parity-candidate", candidate, *FAST)


def test_faithful_port_passes(project: pytest.Pytester) -> None:
    project.makepyfile(test_shop=CHECK)
    result = project.runpytest(*targets(FAITHFUL))
    result.assert_outcomes(passed=1)


def test_drift_fails_with_the_readable_report(project: pytest.Pytester) -> None:
    project.makepyfile(test_shop=CHECK)
    result = project.runpytest(*targets(DRIFTED))
    result.assert_outcomes(failed=1)
    out = result.stdout.str()
    assert f"contract-tools parity: {BASE} -> {DRIFTED}" in out
    result.stdout.fnmatch_lines(
        [
            "causes (1):",
            "  C1   error   Body differs at $.author, $.author_name (1 operation: #1)",
            "*",
            "findings (1):",
            "    1 FAIL error   GET /books/{book_id} body-mismatch: $.author, $.author_name [C1]",
            "        GET /books/1 -> $.author: *",
            "        paths: $.author, $.author_name",
            "        curl (baseline): curl --path-as-is --globoff -X GET -H 'Host: localhost' "
            '-H Accept: -H User-Agent: "$BASELINE_URL"/books/1',
        ]
    )
    assert "gate: FAILED (1 findings at or above error)" in out
    assert "seed: 1" in out
    # The report is the failure: no traceback of the plugin's internals.
    assert "pytest_plugin.py" not in out


def test_ini_options_and_command_line_precedence(project: pytest.Pytester) -> None:
    project.makeini(
        f"""
        [pytest]
        parity_baseline = {BASE}
        parity_candidate = {DRIFTED}
        parity_max_examples = 5
        parity_seed = 7
        parity_fail_on = never
        """
    )
    project.makepyfile(
        test_shop="""
        def test_report(parity):
            report = parity.check()
            assert [f.id for f in report.findings] == ["body-mismatch"]
            assert report.meta["summary"]["seed"] == 7
            assert report.meta["max_examples"] == 5
        """
    )
    project.runpytest().assert_outcomes(passed=1)
    # The command line overrides the ini file.
    failed = project.runpytest("--parity-fail-on", "error")
    failed.assert_outcomes(failed=1)
    assert "seed: 7" in failed.stdout.str()


def test_marker_include_and_run(project: pytest.Pytester) -> None:
    project.makepyfile(
        test_shop="""
        import pytest

        @pytest.mark.parity(include=["GET /authors"], max_examples=3)
        def test_authors(parity):
            report = parity.check()
            assert report.meta["summary"]["operations"] == 1
            assert report.meta["max_examples"] == 3

        @pytest.mark.parity(include=["GET /books/{book_id}"])
        def test_books(parity):
            parity.check()

        @pytest.mark.parity("GET /books/{book_id}")
        def test_run_returns_the_report(parity):
            report = parity.run()
            assert [(f.operation, f.id) for f in report.findings] == [
                ("GET /books/{book_id}", "body-mismatch")
            ]

        def test_call_arguments_override_the_marker(parity):
            parity(include=["GET /authors"], fail_on="error")
        """
    )
    result = project.runpytest(*targets(DRIFTED))
    result.assert_outcomes(passed=3, failed=1)
    result.stdout.fnmatch_lines(["*test_books*", "*body-mismatch*"])
    assert "FAILED test_shop.py::test_books" in result.stdout.str()


def test_missing_configuration_fails_with_usage(project: pytest.Pytester) -> None:
    project.makepyfile(test_shop=CHECK)
    result = project.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*contract-tools: set --parity-baseline/--parity-candidate "
            "or parity_baseline/parity_candidate in the ini file*"
        ]
    )


def test_library_errors_fail_in_one_line(project: pytest.Pytester) -> None:
    project.makepyfile(
        test_shop="""
        import pytest

        def test_bad_app(parity):
            parity.check(candidate="no_such_module:app")

        @pytest.mark.parity(include=["GET /nothing"])
        def test_no_operation(parity):
            parity.check()

        def test_unknown_keyword(parity):
            parity.check(max_exmples=3)
        """
    )
    result = project.runpytest(*targets(FAITHFUL))
    result.assert_outcomes(failed=3)
    result.stdout.fnmatch_lines_random(
        [
            "*contract-tools: no_such_module:app: no module named 'no_such_module'*",
            "*contract-tools: --include matched no operation*",
            "*contract-tools: unknown parity option(s) max_exmples (known: *",
        ]
    )


def test_runs_under_xdist(project: pytest.Pytester) -> None:
    project.makepyfile(
        test_shop="""
        import pytest

        @pytest.mark.parity(include=["GET /authors"])
        def test_authors(parity):
            parity.check()

        @pytest.mark.parity(include=["GET /books/{book_id}"])
        def test_books(parity):
            parity.check()
        """
    )
    result = project.runpytest_subprocess("-p", "xdist", "-n", "2", *targets(FAITHFUL))
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(["*created: 2/2 workers*"])
