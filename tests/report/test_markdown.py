"""The Markdown report: golden files, fences a body cannot close, and truncation for GitHub."""

from __future__ import annotations

import pytest

from contract_tools.models import Exchange, Finding, Level, Report, Request, Response
from contract_tools.report import RenderOptions, render
from contract_tools.report import markdown as markdown_report
from tests.report.fixtures import DIFF, HEADER_MISMATCH, PARITY
from tests.report.goldens import assert_golden


@pytest.mark.parametrize(("name", "report"), [("parity", PARITY), ("diff", DIFF)])
def test_golden(name: str, report: Report) -> None:
    assert_golden(f"{name}.md", render(report, "markdown", html_report="reports/parity.html"))


def test_header_mismatch_shows_both_values_and_content_types() -> None:
    text = render(Report.of("parity", [HEADER_MISMATCH]), "markdown")
    assert '| `header:etag` | `"a1"` | `W/"a1"` |\n' in text
    assert "**Baseline response:** status 200, `application/json`\n" in text
    assert "**Candidate response:** status 200, `application/json`\n" in text
    assert '\nETag: "a1"\n' in text
    assert '\netag: W/"a1"\n' in text


def test_code_fences_cannot_be_closed_by_a_body() -> None:
    text = render(PARITY, "markdown")
    # The baseline body contains ``` so its block uses a four-backtick fence.
    assert "````\nContent-Type: text/html; charset=utf-8\n" in text
    assert "\n<h1>Bad Request</h1>\ufffd```\n````\n" in text


def test_truncates_with_pointer_to_html() -> None:
    findings = [
        Finding(
            id="body-mismatch",
            level=Level.ERROR,
            operation=f"GET /items/{n}",
            message="bodies differ",
            exchange=Exchange(
                Request.build("GET", f"/items/{n}"),
                Response(200, body=b"x" * 2000),
                Response(200, body=b"y" * 2000),
            ),
        )
        for n in range(100)
    ]
    report = Report.of("parity", findings, baseline="a", candidate="b")
    options = RenderOptions(html_report="out/report.html")
    text = markdown_report.render_within(report, options, limit=20_000)
    assert len(text.encode("utf-8")) <= 20_000
    assert text.count("<details>") == text.count("</details>")
    shown = text.count("<details>")
    assert 0 < shown < 100
    assert text.rstrip().endswith(
        f"> **Truncated:** this summary shows {shown} of 100 findings in detail to stay within "
        "the size GitHub accepts. See the HTML report (`out/report.html`) for everything."
    )
    assert text.count("| ❌ error |") == 100  # the table of all findings survives


def test_untruncated_within_limit() -> None:
    text = render(PARITY, "markdown")
    assert "Truncated" not in text
    assert text.count("<details>") == 4


@pytest.mark.parametrize(
    ("text", "expected"),
    [("a`b", "``a`b``"), ("`x`", "`` `x` ``"), ("a|b", "`a\\|b`"), ("a\nb", "`a b`")],
)
def test_code_spans(text: str, expected: str) -> None:
    assert markdown_report.code(text) == expected


def test_inline_escapes_markdown_and_html() -> None:
    assert markdown_report.inline("*a* <b>|`") == "\\*a\\* &lt;b&gt;\\|\\`"


def test_gate_off() -> None:
    text = render(PARITY, "markdown", fail_on=None)
    assert text.startswith("## ℹ️ contract-tools parity: 4 findings (gate off)\n")  # noqa: RUF001
    assert "(fails the gate)" not in text
