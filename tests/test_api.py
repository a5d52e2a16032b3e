"""The public API: what scripts, the CLI and the pytest plugin call, end to end."""

from __future__ import annotations

from pathlib import Path

import pytest

import contract_tools as ct
from contract_tools.errors import AppLoadError, UsageError

FLASK = "tests.parity.apps.bookshop_flask:create_app()"
FAITHFUL = "tests.parity.apps.bookshop_fastapi:create_app()"
DRIFTED = "tests.parity.apps.bookshop_fastapi:create_drifted_app()"


def test_everything_public_is_exported_from_the_package() -> None:
    assert ct.parity is ct.api.parity and ct.Finding is ct.models.Finding
    assert sorted(ct.__all__) == ct.__all__


def test_specs_of_both_kinds_of_app() -> None:
    draft = ct.flask_spec(FLASK)
    assert draft.operations == 5 and draft.diagnostics == ()
    assert sorted(draft.document["paths"]) == ["/books", "/books/{book_id}", "/health", "/notes"]
    port = ct.fastapi_spec(FAITHFUL)
    assert sorted(port["paths"]) == ["/books", "/books/{book_id}", "/health", "/notes"]
    with pytest.raises(
        AppLoadError, match="a flask app, not an ASGI app; use contract-tools flask"
    ):
        ct.fastapi_spec(FLASK)
    with pytest.raises(
        AppLoadError, match="a fastapi app, not a Flask app; use contract-tools fas"
    ):
        ct.flask_spec(FAITHFUL)


def test_diff_with_settings(tmp_path: Path) -> None:
    settings = ct.diff_settings(cwd=tmp_path, base=FLASK, revision=DRIFTED)
    report = ct.diff(settings)
    assert report.command == "diff"
    assert {f.id for f in report.findings} >= {"operation-removed"}
    ignored = ct.diff(
        ct.diff_settings(cwd=tmp_path, base=FLASK, revision=DRIFTED, ignore=["operation-removed"])
    )
    assert "operation-removed" not in {f.id for f in ignored.findings}
    with pytest.raises(UsageError, match="unknown rule id 'no-such-rule'"):
        ct.diff(
            ct.diff_settings(
                cwd=tmp_path, base=FLASK, revision=DRIFTED, levels={"no-such-rule": "info"}
            )
        )
    with pytest.raises(UsageError, match=r"^diff: missing BASE and REVISION"):
        ct.diff(ct.diff_settings(cwd=tmp_path))


def test_rule_listings() -> None:
    rules = ct.diff_rules()
    assert len(rules) == len({r.id for r in rules}) == 65
    assert [name for name, _ in ct.normalization_rules()][:2] == [
        "header-name-case",
        "ignore-volatile-headers",
    ]
