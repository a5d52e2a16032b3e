"""Config: pyproject.toml only, flags overriding, unknown keys, missing and explicit files."""

from __future__ import annotations

from pathlib import Path

import pytest

from contract_tools.config import (
    Config,
    DiffConfig,
    ParityConfig,
    find_pyproject,
    load_config,
    merge,
)
from contract_tools.errors import UsageError

PYPROJECT = """\
[project]
name = "demo"

[tool.contract-tools]
fail_on = "warning"
baseline-file = "drift.yaml"

[tool.contract-tools.diff]
base = "specs/legacy.json"
revision = "specs/port.json"
ignore = ["response-header-added"]

[tool.contract-tools.parity]
baseline = "legacy.app:create_app()"
candidate = "port.main:app"
include = ["GET /books/{id}"]
max-examples = 25
seed = 7
mode = "negative"
strict = true
normalize = { error-pages = false }
headers = ["Authorization: Bearer t"]
fail_on = "error"
html = "reports/parity.html"

[tool.contract-tools.parity.ignore_paths]
"GET /books/{id}" = ["$.fetched_at"]
"""


def write(directory: Path, text: str, name: str = "pyproject.toml") -> Path:
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path


def test_file_only(tmp_path: Path) -> None:
    path = write(tmp_path, PYPROJECT)
    config = load_config(cwd=tmp_path)
    assert config.source == path
    assert config.diff == DiffConfig(
        base="specs/legacy.json",
        revision="specs/port.json",
        fail_on="warning",  # shared key
        ignore=("response-header-added",),
        baseline_file="drift.yaml",
    )
    assert config.parity == ParityConfig(
        baseline="legacy.app:create_app()",
        candidate="port.main:app",
        include=("GET /books/{id}",),
        strict=True,
        normalize={"error-pages": False},
        ignore_paths={"GET /books/{id}": ("$.fetched_at",)},
        headers={"Authorization": "Bearer t"},
        max_examples=25,
        seed=7,
        mode="negative",
        fail_on="error",  # the section wins over the shared key
        baseline_file="drift.yaml",
        html="reports/parity.html",
    )


def test_found_upward_and_paths_resolved_against_its_directory(tmp_path: Path) -> None:
    write(tmp_path, PYPROJECT)
    nested = tmp_path / "src" / "pkg"
    nested.mkdir(parents=True)
    assert find_pyproject(nested) == tmp_path / "pyproject.toml"
    config = load_config(cwd=nested)
    assert config.parity.html == str(tmp_path / "reports/parity.html")
    assert config.parity.baseline == "legacy.app:create_app()"  # an app reference, not a path


def test_no_pyproject_gives_defaults(tmp_path: Path) -> None:
    assert load_config(cwd=tmp_path) == Config()


def test_pyproject_without_our_table_gives_defaults(tmp_path: Path) -> None:
    path = write(tmp_path, '[project]\nname = "x"\n')
    assert load_config(cwd=tmp_path) == Config(source=path)


def test_flags_override(tmp_path: Path) -> None:
    write(tmp_path, PYPROJECT)
    parity = load_config(cwd=tmp_path).parity
    merged = merge(
        parity,
        max_examples=5,
        seed=None,  # not given: the file's value stays
        include=[],  # a repeatable option not used
        exclude=["^DELETE "],
        headers=["X-Trace: 1", "Authorization: Basic u"],
        strict=False,
        fail_on="never",
    )
    assert merged.max_examples == 5
    assert merged.seed == 7
    assert merged.include == ("GET /books/{id}",)
    assert merged.exclude == ("^DELETE ",)
    assert merged.headers == {"Authorization": "Basic u", "X-Trace": "1"}
    assert merged.strict is False
    assert merged.fail_on == "never"
    assert parity.max_examples == 25  # merge returns a new object


def test_merge_validates_like_the_file() -> None:
    with pytest.raises(
        UsageError, match=r"^--mode must be one of positive, negative, all, not 'x'$"
    ):
        merge(ParityConfig(), mode="x")
    with pytest.raises(UsageError, match=r"^--headers expects 'Name: value', not 'oops'$"):
        merge(ParityConfig(), headers=["oops"])
    with pytest.raises(TypeError, match="DiffConfig has no setting 'seed'"):
        merge(DiffConfig(), seed=1)


@pytest.mark.parametrize(
    ("table", "message"),
    [
        (
            "[tool.contract-tools.parity]\nmax_exmples = 3\n",
            "unknown key tool.contract-tools.parity.max_exmples (did you mean max_examples?)",
        ),
        ("[tool.contract-tools]\ncolour = true\n", "unknown key tool.contract-tools.colour"),
        ("[tool.contract-tools.lint]\nx = 1\n", "unknown key tool.contract-tools.lint"),
        (
            "[tool.contract-tools.parity]\nmax_examples = 'many'\n",
            "tool.contract-tools.parity.max_examples must be an integer, not 'many'",
        ),
        (
            "[tool.contract-tools.diff]\nfail_on = 'fatal'\n",
            "tool.contract-tools.diff.fail_on must be one of error, warning, info, never, "
            "not 'fatal'",
        ),
        (
            "[tool.contract-tools.parity.ignore_paths]\n'GET /a' = 3\n",
            "tool.contract-tools.parity.ignore_paths ['GET /a'] must be a list of JSON paths",
        ),
    ],
)
def test_invalid_keys_and_values(tmp_path: Path, table: str, message: str) -> None:
    path = write(tmp_path, table)
    with pytest.raises(UsageError) as info:
        load_config(cwd=tmp_path)
    assert str(info.value) == f"{path}: {message}"


def test_invalid_toml(tmp_path: Path) -> None:
    path = write(tmp_path, "[tool.contract-tools\n")
    with pytest.raises(UsageError, match=rf"^{path}: not valid TOML: "):
        load_config(cwd=tmp_path)


def test_explicit_config_file(tmp_path: Path) -> None:
    path = write(tmp_path, "[parity]\nseed = 3\n", name="ct.toml")
    assert load_config(path, cwd=tmp_path).parity.seed == 3
    with pytest.raises(UsageError) as info:
        write(tmp_path, "[parity]\nsed = 3\n", name="bad.toml")
        load_config(tmp_path / "bad.toml", cwd=tmp_path)
    assert (
        str(info.value) == f"{tmp_path / 'bad.toml'}: unknown key parity.sed (did you mean seed?)"
    )


def test_missing_explicit_config_file(tmp_path: Path) -> None:
    with pytest.raises(UsageError) as info:
        load_config(tmp_path / "nope.toml")
    assert str(info.value) == f"{tmp_path / 'nope.toml'}: config file not found"
