"""The HTML report: golden files, escaping, and highlighting read from ResponsePaths."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from contract_tools.models import (
    EVERY,
    Exchange,
    Finding,
    Key,
    Level,
    Report,
    Request,
    Response,
    ResponsePath,
)
from contract_tools.report import render
from contract_tools.report.html import body_pieces, script_json
from tests.report.fixtures import DIFF, HEADER_MISMATCH, PARITY, SCRIPT_BODY
from tests.report.goldens import assert_golden


@pytest.mark.parametrize(("name", "report"), [("parity", PARITY), ("diff", DIFF)])
def test_golden(name: str, report: Report) -> None:
    assert_golden(f"{name}.html", render(report, "html"))


def test_header_mismatch_shows_both_values_and_content_types() -> None:
    page = render(Report.of("parity", [HEADER_MISMATCH]), "html")
    assert (
        '<tr><td><code class="path">header:etag</code></td>'
        "<td><code>&#34;a1&#34;</code></td><td><code>W/&#34;a1&#34;</code></td></tr>"
    ) in page
    assert '<tr><th>ETag</th><td><mark class="diff">&#34;a1&#34;</mark></td></tr>' in page
    assert '<tr><th>etag</th><td><mark class="diff">W/&#34;a1&#34;</mark></td></tr>' in page
    assert "<h4>Baseline: status 200, application/json</h4>" in page
    assert "<h4>Candidate: status 200, application/json</h4>" in page


def test_escapes_app_values() -> None:
    page = render(PARITY, "html")
    assert SCRIPT_BODY not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e" in page  # the embedded JSON
    assert page.count("<script") == 2  # the data block and the page's own script, nothing else


def test_highlights_differing_body_values() -> None:
    page = render(PARITY, "html")
    assert '&#34;id&#34;: <mark class="diff">1</mark>' in page
    assert '&#34;id&#34;: <mark class="diff">&#34;1&#34;</mark>' in page
    # $.tags[*]: the differing place is any item, so every item is marked.
    assert (
        '<mark class="diff">&#34;a&#34;</mark>,\n    <mark class="diff">&#34;c&#34;</mark>' in page
    )


def test_highlights_status_and_no_content_type() -> None:
    finding = Finding(
        id="missing-operation",
        level=Level.ERROR,
        operation="DELETE /books/{book_id}",
        message="only the baseline has it",
        paths=(ResponsePath.status(),),
        exchange=Exchange(
            Request.build("DELETE", "/books/1", headers=[("Host", "localhost")]),
            Response(204, (("Content-Type", "text/html"),)),
            Response(405, (("allow", "GET"), ("allow", "HEAD"))),
        ),
    )
    page = render(Report.of("parity", [finding]), "html")
    assert '<h4>Baseline: status <mark class="diff">204</mark>, text/html</h4>' in page
    assert '<h4>Candidate: status <mark class="diff">405</mark>, no content-type</h4>' in page
    # Repeated names stay, in order: they are part of what each side answered.
    assert (
        "<tr><th>allow</th><td>GET</td></tr>\n        <tr><th>allow</th><td>HEAD</td></tr>" in page
    )


@pytest.mark.parametrize(
    ("body", "keys", "pieces"),
    [
        (
            b'{"a":[1,2]}',
            [("a", 1)],
            [('{\n  "a": [\n    1,\n    ', False), ("2", True), ("\n  ]\n}", False)],
        ),
        (
            b'{"a":[1,2]}',
            [("a", EVERY)],
            [
                ('{\n  "a": [\n    ', False),
                ("1", True),
                (",\n    ", False),
                ("2", True),
                ("\n  ]\n}", False),
            ],
        ),
        (
            b'{"a":{"b":1}}',
            [("a",)],
            [('{\n  "a": ', False), ('{\n    "b": 1\n  }', True), ("\n}", False)],
        ),
        # An object key "0" is not list index 0.
        (b'{"0":1}', [(0,)], [('{\n  "0": 1\n}', False)]),
        (b"<p>x</p>", [()], [("<p>x</p>", True)]),
        (b"<p>x</p>", [("a",)], [("<p>x</p>", False)]),
        (b"", [()], []),
    ],
)
def test_body_pieces(
    body: bytes, keys: list[tuple[Key, ...]], pieces: list[tuple[str, bool]]
) -> None:
    assert body_pieces(Response(200, (), body), keys) == pieces


def test_script_json_escapes_every_breaking_character() -> None:
    text = script_json({"a": "</script><!-- & \u2028\u2029 >"})
    assert text == '{"a": "\\u003c/script\\u003e\\u003c!-- \\u0026 \\u2028\\u2029 \\u003e"}'
    assert json.loads(text) == {"a": "</script><!-- & \u2028\u2029 >"}


def test_other_formats_never_import_jinja2() -> None:
    code = (
        "import sys\n"
        "from contract_tools.report import render, formats\n"
        "from tests.report.fixtures import PARITY\n"
        "for fmt in formats():\n"
        "    if fmt != 'html':\n"
        "        render(PARITY, fmt)\n"
        "assert 'jinja2' not in sys.modules, 'jinja2 imported'\n"
        "render(PARITY, 'html')\n"
        "assert 'jinja2' in sys.modules\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr


def test_gate_off() -> None:
    page = render(PARITY, "html", fail_on=None)
    assert "<p>Gate off (fail-on never): 4 findings.</p>" in page
    assert "(fails the gate)" not in page


def test_element_ids_are_unique_and_causes_come_first() -> None:
    page = render(PARITY, "html")
    ids = re.findall(r'(?<![\w-])id="([^"]+)"', page)
    assert len(ids) == len(set(ids))
    assert page.index('id="causes"') < page.index('id="findings"')
    assert [f"cause-{c.id}" for c in PARITY.causes] == [i for i in ids if i.startswith("cause-")]


def test_the_request_is_an_http_message() -> None:
    page = render(PARITY, "html")
    assert '<pre class="request">POST /books\nHost: localhost\n' in page
