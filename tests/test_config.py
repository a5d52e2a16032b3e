"""Config: pyproject.toml only, flags overriding, unknown keys, missing and explicit files."""

from __future__ import annotations

from pathlib import Path

import pytest

from contract_tools.config import Config, find_pyproject, load_config, merge, settings_for
from contract_tools.errors import UsageError
from contract_tools.models import FailOn, Mode
from contract_tools.settings import DiffSettings, ParitySettings

RENAMED = (
    "tool.contract-tools.baseline-file is deprecated and goes in the next release: "
    "call it accepted",
)

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
    assert config.diff == DiffSettings(
        base="specs/legacy.json",
        revision="specs/port.json",
        fail_on=FailOn.WARNING,  # shared key
        ignore=("response-header-added",),
        accepted="drift.yaml",  # written under its old name, baseline-file
        warnings=RENAMED,
    )
    assert config.parity == ParitySettings(
        baseline="legacy.app:create_app()",
        candidate="port.main:app",
        include=("GET /books/{id}",),
        strict=True,
        normalize={"error-pages": False},
        ignore_paths={"GET /books/{id}": ("$.fetched_at",)},
        headers={"Authorization": "Bearer t"},
        max_examples=25,
        seed=7,
        mode=Mode.NEGATIVE,
        fail_on=FailOn.ERROR,  # the section wins over the shared key
        accepted="drift.yaml",
        html="reports/parity.html",
        warnings=RENAMED,
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
    assert merged.fail_on is FailOn.NEVER
    assert parity.max_examples == 25  # merge returns a new object


def test_renamed_flags_still_work_with_a_warning() -> None:
    merged = merge(ParitySettings(), baseline_file="drift.yaml", update_baseline=True)
    assert merged.accepted == "drift.yaml"
    assert merged.update_accepted is True
    assert merged.warnings == (
        "--baseline FILE is deprecated and goes in the next release: use --accepted",
        "--update-baseline is deprecated and goes in the next release: use --update-accepted",
    )
    assert merge(ParitySettings(), baseline_file=None, update_baseline=False).warnings == ()


def test_settings_checked_as_a_whole() -> None:
    with pytest.raises(UsageError, match=r"^--update-accepted needs --accepted FILE"):
        merge(ParitySettings(), update_accepted=True)
    with pytest.raises(UsageError, match=r"^--spec may be given once"):
        merge(ParitySettings(), spec=("a.json", "b.json", "c.json"))


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        ({"timeout": float("nan")}, "--timeout must be a finite number of seconds above 0"),
        ({"timeout": 0}, "--timeout must be a finite number of seconds above 0, not 0"),
        ({"shard": "3/2"}, "--shard expects K/N with 1 <= K <= N (e.g. 2/4), not '3/2'"),
        ({"shard": "x"}, "--shard expects K/N with 1 <= K <= N (e.g. 2/4), not 'x'"),
        ({"max_examples": 0}, "--max-examples must be at least 1, not 0"),
    ],
)
def test_flag_values_are_validated(flags: dict[str, object], message: str) -> None:
    with pytest.raises(UsageError) as info:
        merge(ParitySettings(), **flags)
    assert str(info.value).startswith(message)


def test_flag_values_are_converted() -> None:
    merged = merge(ParitySettings(), shard="2/4", database=False, timeout=5, mode="positive")
    assert (merged.shard, merged.database, merged.timeout, merged.mode) == (
        (2, 4),
        None,
        5.0,
        Mode.POSITIVE,
    )


def test_settings_for_reads_the_file_then_the_flags(tmp_path: Path) -> None:
    write(tmp_path, PYPROJECT)
    settings = settings_for("parity", cwd=tmp_path, seed=9)
    assert isinstance(settings, ParitySettings)
    assert (settings.seed, settings.max_examples, settings.warnings) == (9, 25, RENAMED)
    with pytest.raises(ValueError, match="unknown command 'lint'"):
        settings_for("lint", cwd=tmp_path)


def test_merge_validates_like_the_file() -> None:
    with pytest.raises(
        UsageError, match=r"^--mode must be one of positive, negative, all, not 'x'$"
    ):
        merge(ParitySettings(), mode="x")
    with pytest.raises(UsageError, match=r"^--header expects 'Name: value', not 'oops'$"):
        merge(ParitySettings(), headers=["oops"])
    with pytest.raises(TypeError, match="DiffSettings has no setting 'seed'"):
        merge(DiffSettings(), seed=1)


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


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("X-A: a\r\nb", "--header X-A: a header value cannot hold CR, LF or NUL"),
        ("X A: b", "--header 'X A': a header name is a token (letters, digits, -_.!#$%&'*+^`|~)"),
    ],
)
def test_a_header_no_client_would_send_is_a_usage_error(header: str, message: str) -> None:
    # Sent, both sides would fail alike and nothing would be compared: refuse it up front.
    with pytest.raises(UsageError) as info:
        merge(ParitySettings(), headers=[header])
    assert str(info.value) == message
