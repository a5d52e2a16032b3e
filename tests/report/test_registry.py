"""Formats register themselves by name; a new format is one new module and nothing else."""

from __future__ import annotations

import inspect
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

import contract_tools.report as report_package
from contract_tools.errors import UsageError
from contract_tools.models import Level, Report
from contract_tools.report import RenderOptions, formats, register, registry, render, renderer
from tests.report.fixtures import PARITY

THROWAWAY = "contract_tools.report.findings_csv"
THROWAWAY_SOURCE = """
from __future__ import annotations

from contract_tools.models import Report
from contract_tools.report.registry import RenderOptions, reporter


@reporter("findings-csv")
def render(report: Report, options: RenderOptions) -> str:
    fail_on = options.fail_on
    rows = ["operation,id,fails"]
    rows += [
        f"{f.operation},{f.id},{int(fail_on is not None and f.level >= fail_on)}"
        for f in report.findings
    ]
    return "\\n".join(rows) + "\\n"
"""


@pytest.fixture
def scratch_registry(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Registrations made by a test are forgotten after it."""
    monkeypatch.setattr(registry, "_RENDERERS", dict(registry._RENDERERS))
    monkeypatch.setattr(registry, "_SEARCHED", set())
    yield
    sys.modules.pop(THROWAWAY, None)


def test_builtin_formats_text_first_then_by_name() -> None:
    assert formats() == ("text", "html", "json", "junit", "markdown")


@pytest.mark.parametrize("fmt", formats())
def test_one_render_signature(fmt: str) -> None:
    assert list(inspect.signature(renderer(fmt)).parameters) == ["report", "options"]


def test_unknown_format_is_a_usage_error() -> None:
    with pytest.raises(UsageError) as caught:
        render(PARITY, "pdf")
    assert str(caught.value) == (
        "unknown report format 'pdf' (expected one of: text, html, json, junit, markdown)"
    )


@pytest.mark.usefixtures("scratch_registry")
def test_a_new_module_in_the_package_is_a_new_format(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The module sits in a directory of the package's search path, as a file in
    # contract_tools/report/ would; nothing else is told about it.
    (tmp_path / "findings_csv.py").write_text(textwrap.dedent(THROWAWAY_SOURCE), encoding="utf-8")
    monkeypatch.setattr(report_package, "__path__", [*report_package.__path__, str(tmp_path)])
    assert report_package.formats() == ("text", "findings-csv", "html", "json", "junit", "markdown")
    assert render(PARITY, "findings-csv", fail_on=Level.WARNING) == (
        "operation,id,fails\n"
        "GET /books/{id},body-mismatch,1\n"
        "GET /orders/{order_id},crash,1\n"
        "GET /authors/{author_id},header-mismatch,1\n"
        "POST /books,status-mismatch,1\n"
    )
    assert render(PARITY, "findings-csv", fail_on=None).count(",0\n") == 4


@pytest.mark.usefixtures("scratch_registry")
def test_register_passes_the_options_through() -> None:
    seen: list[RenderOptions] = []

    def count(report: Report, options: RenderOptions) -> str:
        seen.append(options)
        return f"{len(report.findings)} findings\n"

    register("count", count)
    assert render(PARITY, "count", fail_on=None, html_report="out/r.html") == "4 findings\n"
    assert render(PARITY, "count") == "4 findings\n"
    assert seen == [
        RenderOptions(fail_on=None, html_report="out/r.html"),
        RenderOptions(fail_on=Level.ERROR, html_report=None),
    ]
    assert "count" in report_package.formats()


@pytest.mark.usefixtures("scratch_registry")
def test_a_name_taken_by_another_function_is_refused() -> None:
    with pytest.raises(ValueError, match=r"report format 'json' registered twice"):
        register("json", lambda report, options: "")


@pytest.mark.parametrize("name", ["PDF", "my_format", "-x", ""])
def test_names_are_kebab_case(name: str) -> None:
    with pytest.raises(ValueError, match="not lowercase kebab-case"):
        register(name, lambda report, options: "")


def test_unknown_package_attribute() -> None:
    with pytest.raises(AttributeError, match="has no attribute 'FORMAT'"):
        report_package.FORMAT  # noqa: B018
