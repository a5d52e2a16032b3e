"""Where settings come from: ``[tool.contract-tools]`` in pyproject.toml (or ``--config FILE``)
with flags on top, built once into one typed object per command (``settings.py``).

::

    [tool.contract-tools]
    fail_on = "error"                 # shared: the default for both commands
    accepted = "accepted-drift.yaml"  # shared: the accepted-drift file

    [tool.contract-tools.diff]
    base = "specs/legacy.json"
    revision = "specs/port.json"
    format = "text"
    output = "diff.txt"
    ignore = ["response-header-added"]  # rule ids not reported at all
    json = "reports/diff.json"          # junit, markdown, html likewise

    [tool.contract-tools.parity]
    baseline = "examples.legacy_flask:create_app()"
    candidate = "examples.fastapi_port:app"
    spec = "specs/port.json"            # or two files: baseline's, then candidate's
    include = ["GET /books/{id}"]
    exclude = ["^DELETE "]
    strict = false
    normalize = { error-pages = true, redirect-307-308 = false }
    headers = { Authorization = "Bearer test" }   # or ["Authorization: Bearer test"]
    max_examples = 100
    seed = 42
    mode = "all"
    workers = 2                         # processes exploring operations (default: usable cores)
    concurrency = 4                     # cases in flight to two live servers (safe methods)

    [tool.contract-tools.parity.ignore_paths]
    "GET /books/{id}" = ["$.fetched_at"]

Keys may be spelled with ``_`` or ``-``. An unknown key is a UsageError naming it and the file.
Relative file paths are relative to the config file's directory. ``baseline_file`` (the
accepted-drift file's old name) still works for one release and adds a deprecation warning to
the settings, which the entry points print.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, TypeVar

import tomllib

from contract_tools.errors import UsageError
from contract_tools.settings import (
    SHARED_KEYS,
    DiffSettings,
    ParitySettings,
    convert,
)

TABLE = "tool.contract-tools"
# Old key -> new key, each with the warning said once per run.
_RENAMED = {"baseline_file": "accepted"}


@dataclass(frozen=True)
class Config:
    """Both commands' settings as the file gives them, and the file (None: built-in defaults)."""

    diff: DiffSettings = field(default_factory=DiffSettings)
    parity: ParitySettings = field(default_factory=ParitySettings)
    source: Path | None = None


Section = TypeVar("Section", DiffSettings, ParitySettings)


def find_pyproject(start: Path | None = None) -> Path | None:
    """The nearest pyproject.toml in ``start`` (default: cwd) or one of its parents."""
    here = (start or Path.cwd()).resolve()
    for directory in (here, *here.parents):
        candidate = directory / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


def load_config(path: str | os.PathLike[str] | None = None, *, cwd: Path | None = None) -> Config:
    """``path`` (--config) if given, else the nearest pyproject.toml, else the defaults."""
    if path is not None:
        source = Path(path)
        if not source.is_file():
            raise UsageError(f"{source}: config file not found")
    else:
        found = find_pyproject(cwd)
        if found is None:
            return Config()
        source = found
    data = _read_toml(source)
    if "tool" in data or source.name == "pyproject.toml":
        tool = data.get("tool", {})
        table = tool.get("contract-tools", {}) if isinstance(tool, Mapping) else {}
        prefix = TABLE
    else:
        # A dedicated config file holds the table's content at its top level.
        table, prefix = data, ""
    return parse_table(table, source=source, prefix=prefix, root=_root(source, cwd))


def parse_table(
    table: Mapping[str, Any], *, source: Path, prefix: str = TABLE, root: Path | None = None
) -> Config:
    """Validate a ``[tool.contract-tools]`` table (already parsed) into a Config."""
    where = _Where(source, prefix)
    if not isinstance(table, Mapping):
        raise UsageError(f"{source}: {prefix or 'the file'} must be a table")
    allowed = {"diff", "parity", *SHARED_KEYS}
    shared: dict[str, Any] = {}
    warnings: list[str] = []
    sections: dict[str, Mapping[str, Any]] = {"diff": {}, "parity": {}}
    for raw_key, value in table.items():
        key = _renamed(_canonical(raw_key), where.key(raw_key), warnings)
        if key not in allowed:
            raise UsageError(where.unknown(raw_key, allowed))
        if key in sections:
            if not isinstance(value, Mapping):
                raise UsageError(f"{source}: {where.key(raw_key)} must be a table")
            sections[key] = value
        else:
            shared[key] = convert(key, value, where.key(raw_key), source, root)
    diff = _section(DiffSettings, sections["diff"], where.child("diff"), shared, root, warnings)
    parity = _section(
        ParitySettings, sections["parity"], where.child("parity"), shared, root, warnings
    )
    return Config(diff=diff, parity=parity, source=source)


def merge(section: Section, **overrides: Any) -> Section:
    """Flags over config: a value that is not None wins (an empty list counts as not given, as a
    repeatable option that was not used). Mapping settings (headers, normalize, ignore_paths)
    are merged key by key, the flag's keys winning. Every value goes through the same converter
    as the file's, so a flag and a key are validated alike.
    """
    names = {f.name for f in fields(section)}
    changes: dict[str, Any] = {}
    warnings = list(section.warnings)
    for name, value in overrides.items():
        flag = _FLAG_NAMES.get(name, "--" + name.replace("_", "-"))
        if name in _RENAMED_FLAGS:
            if value is None or value is False:
                continue
            old, name = _RENAMED_FLAGS[name]
            flag = "--" + name.replace("_", "-")
            warnings.append(f"{old} is deprecated and goes in the next release: use {flag}")
        if name not in names:
            raise TypeError(f"{type(section).__name__} has no setting {name!r}")
        if value is None or (isinstance(value, (list, tuple)) and not value):
            continue
        converted = convert(name, value, flag, None, None)
        current = getattr(section, name)
        if isinstance(current, Mapping):
            converted = {**current, **converted}
        changes[name] = converted
    changes["warnings"] = tuple(dict.fromkeys(warnings))
    return _checked(replace(section, **changes))


def settings_for(
    command: str, config_path: str | None = None, *, cwd: Path | None = None, **flags: Any
) -> DiffSettings | ParitySettings:
    """The one way to build a command's settings: the file's section, then the flags."""
    config = load_config(config_path, cwd=cwd)
    if command == "diff":
        return merge(config.diff, **flags)
    if command == "parity":
        return merge(config.parity, **flags)
    raise ValueError(f"unknown command {command!r} (expected diff or parity)")


# --- internals --------------------------------------------------------------------------------

# Settings whose flag is spelled otherwise than the key, for one-line errors that name the flag
# the user typed.
_FLAG_NAMES = {
    "headers": "--header",
    "ignore_paths": "--ignore-path",
    "disable": "--disable-rule",
    "database": "--database",
}
# Flags renamed in this release (old flag's keyword -> new setting), still taken with a warning.
_RENAMED_FLAGS = {
    "baseline_file": ("--baseline FILE", "accepted"),
    "ignore_file": ("--ignore FILE", "accepted"),
    "update_baseline": ("--update-baseline", "update_accepted"),
    "baseline_reason": ("--baseline-reason", "accepted_reason"),
}


def _checked(settings: Section) -> Section:
    """Rules that involve several settings at once."""
    if settings.update_accepted and not settings.accepted:
        raise UsageError("--update-accepted needs --accepted FILE (the file to write)")
    if isinstance(settings, ParitySettings) and len(settings.spec) > 2:
        raise UsageError("--spec may be given once (both sides) or twice (baseline, candidate)")
    return settings


@dataclass(frozen=True)
class _Where:
    """Names keys the way the user wrote them, for one-line errors."""

    source: Path
    prefix: str

    def key(self, raw_key: str) -> str:
        return f"{self.prefix}.{raw_key}" if self.prefix else raw_key

    def child(self, raw_key: str) -> _Where:
        return _Where(self.source, self.key(raw_key))

    def unknown(self, raw_key: str, allowed: set[str]) -> str:
        close = difflib.get_close_matches(_canonical(raw_key), sorted(allowed), n=1)
        hint = f" (did you mean {close[0]}?)" if close else ""
        return f"{self.source}: unknown key {self.key(raw_key)}{hint}"


def _read_toml(source: Path) -> dict[str, Any]:
    try:
        with source.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"{source}: not valid TOML: {exc}") from None
    except UnicodeDecodeError:
        raise UsageError(f"{source}: not valid TOML: not UTF-8 text") from None
    except OSError as exc:
        raise UsageError(f"{source}: cannot read config: {exc.strerror}") from None


def _root(source: Path, cwd: Path | None) -> Path | None:
    """The directory relative paths are resolved against; None when it is the cwd anyway."""
    directory = source.resolve().parent
    return None if directory == (cwd or Path.cwd()).resolve() else directory


def _canonical(key: str) -> str:
    return str(key).replace("-", "_")


def _renamed(key: str, written: str, warnings: list[str]) -> str:
    new = _RENAMED.get(key)
    if new is None:
        return key
    warnings.append(f"{written} is deprecated and goes in the next release: call it {new}")
    return new


# Settings that only flags (or the API) set, never a config file: per-run decisions.
_FLAG_ONLY = frozenset(
    {
        "update_accepted",
        "accepted_reason",
        "prune_accepted",
        "github_summary",
        "warnings",
        "disable",
    }
)


def _section(
    cls: type[Section],
    table: Mapping[str, Any],
    where: _Where,
    shared: Mapping[str, Any],
    root: Path | None,
    warnings: list[str],
) -> Section:
    names = {f.name for f in fields(cls)} - _FLAG_ONLY
    values: dict[str, Any] = {k: v for k, v in shared.items() if k in names}
    for raw_key, value in table.items():
        key = _renamed(_canonical(raw_key), where.key(raw_key), warnings)
        if key not in names:
            raise UsageError(where.unknown(raw_key, names))
        values[key] = convert(key, value, where.key(raw_key), where.source, root)
    values["warnings"] = tuple(dict.fromkeys(warnings))
    return cls(**values)
