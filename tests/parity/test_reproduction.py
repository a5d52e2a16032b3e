"""Reproductions: curl lines that send exactly the request, and pytest tests that go green."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from contract_tools._parity.reproduction import body_file, curl, pytest_snippet, serve_command
from contract_tools.models import Request
from tests.parity.example_pair import LEGACY, PORT, run_example_pair
from tests.parity.test_live import BIN
from tests.parity.test_live import _free_port as free_port
from tests.parity.test_live import _serve as serve


def test_curl_sends_exactly_the_request() -> None:
    request = Request.build(
        "POST",
        "//books/a b",
        query=[("q", "x&y")],
        headers=[("Content-Type", "application/json")],
        body=b'{"a": 1}',
    )
    assert curl(request, "http://127.0.0.1:8000/") == (
        "curl --path-as-is --globoff -X POST -H 'Content-Type: application/json' "
        "-H Accept: -H User-Agent: "
        "--data-binary '{\"a\": 1}' 'http://127.0.0.1:8000//books/a b?q=x%26y'"
    )


def test_an_in_process_side_reads_its_url_from_a_variable() -> None:
    request = Request.build("GET", "/books/1", headers=[("Host", "localhost")])
    assert curl(request, None, side="candidate") == (
        "curl --path-as-is --globoff -X GET -H 'Host: localhost' -H Accept: -H User-Agent: "
        '"$CANDIDATE_URL"/books/1'
    )


def test_a_binary_body_is_piped_with_printf_escapes_never_raw() -> None:
    request = Request.build("POST", "/p", headers=[("Content-Length", "6")], body=b"\x00\xff'%\\a")
    command = curl(request, "http://h")
    assert command == (
        "printf '\\000\\377\\047\\045\\134a' | curl --path-as-is --globoff -X POST "
        "-H Accept: -H User-Agent: --data-binary @- http://h/p"
    )
    # curl computes Content-Length from what it sends: a copied one could disagree.
    assert "\x00" not in command and "Content-Length" not in command


def test_text_with_a_nul_byte_is_piped_too() -> None:
    assert curl(Request.build("POST", "/p", body=b"a\x00b"), "http://h").startswith(
        "printf 'a\\000b' | curl"
    )


def test_a_large_binary_body_is_read_from_a_file_beside_the_reports() -> None:
    body = bytes(range(256)) * 20
    command = curl(Request.build("PUT", "/p", body=body), "http://h")
    assert f"--data-binary @{body_file(body)} " in command
    assert body_file(body).startswith("parity-bodies/") and body_file(body).endswith(".bin")


def test_head_and_empty_header_values() -> None:
    request = Request.build("HEAD", "/p", headers=[("X-Empty", ""), ("Accept", "*/*")])
    assert curl(request, "http://h") == (
        "curl --path-as-is --globoff --head -H 'X-Empty;' -H 'Accept: */*' -H User-Agent: "
        "http://h/p"
    )


@pytest.mark.parametrize(
    ("reference", "kind", "command"),
    [
        (
            "legacy.app:create_app()",
            "wsgi",
            "flask --app 'legacy.app:create_app()' run --host 127.0.0.1 --port 5000",
        ),
        (
            "port.main:create_app()",
            "asgi",
            "uvicorn --factory port.main:create_app --host 127.0.0.1 --port 5000",
        ),
        ("port.main:app", "asgi", "uvicorn port.main:app --host 127.0.0.1 --port 5000"),
    ],
)
def test_serve_commands(reference: str, kind: str, command: str) -> None:
    assert serve_command(reference, kind, 5000) == command


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
    # The port documents a valid book (an existing author) as its example: a create that drifts.
    report = run_example_pair(max_examples=25, seed=1, mode="positive", include=("POST /books/",))
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


@pytest.fixture(scope="module")
def echo_url() -> Iterator[str]:
    """The echo service under gunicorn: it answers POST /post with the length and hash of the
    bytes it received, so a curl line is checked byte for byte."""
    port = free_port()
    target = "tests.parity.apps.echo_flask:create_app()"
    yield from serve([str(BIN / "gunicorn"), "-w", "1", "-b", f"127.0.0.1:{port}", target], port)


@pytest.mark.parametrize("shell", ["bash", "sh"])
@pytest.mark.parametrize(
    "body",
    [b"\x00\x01binary\xff'%\\ end", bytes(range(256)) * 20, "naïve ' text".encode()],
    ids=["small-binary", "large-binary", "text"],
)
def test_curl_lines_run_as_printed(echo_url: str, tmp_path: Path, shell: str, body: bytes) -> None:
    request = Request.build(
        "POST",
        "/post",
        headers=[("Host", "localhost"), ("Content-Length", str(len(body)))],
        body=body,
    )
    command = curl(request, None, side="baseline")
    if "@parity-bodies/" in command:
        (tmp_path / "parity-bodies").mkdir()
        (tmp_path / body_file(body)).write_bytes(body)
    done = subprocess.run(
        [shell, "-c", command + " --silent --max-time 20"],
        cwd=tmp_path,
        env={**os.environ, "BASELINE_URL": echo_url},
        capture_output=True,
        timeout=60,
        check=True,
    )
    assert json.loads(done.stdout) == {
        "length": len(body),
        "sha256": hashlib.sha256(body).hexdigest(),
    }
