"""Settings from ``[tool.contract-tools]`` in pyproject.toml (or ``--config FILE``) plus CLI flags,
so that CI can run ``contract-tools parity`` and ``contract-tools diff`` with no arguments.

::

    [tool.contract-tools]
    fail_on = "error"                 # shared: the default for both commands
    baseline_file = "drift.yaml"      # shared: accepted-drift baseline

    [tool.contract-tools.diff]
    base = "specs/legacy.json"
    revision = "specs/port.json"
    format = "text"
    output = "diff.txt"
    ignore = ["response-header-added"]
    json = "reports/diff.json"        # junit, markdown, html likewise

    [tool.contract-tools.parity]
    baseline = "examples.legacy_flask:create_app()"
    candidate = "examples.fastapi_port:app"
    spec = "specs/port.json"
    include = ["GET /books/{id}"]
    exclude = ["^DELETE "]
    preset = "flask-fastapi"
    strict = false
    normalize = { error-pages = true, redirect-307-308 = false }
    headers = { Authorization = "Bearer test" }   # or ["Authorization: Bearer test"]
    max_examples = 100
    seed = 42
    mode = "all"
    json = "reports/parity.json"      # junit, markdown, html likewise

    [tool.contract-tools.parity.ignore_paths]
    "GET /books/{id}" = ["$.fetched_at"]

Keys may be spelled with ``_`` or ``-``. An unknown key is a UsageError naming it and the file.
Relative file paths are relative to the config file's directory.
"""

from __future__ import annotations

import difflib
import os
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, TypeVar

from contract_tools.errors import UsageError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - the project runs on 3.11+; tomli is not a dependency
    tomllib = None

TABLE = "tool.contract-tools"
FAIL_ON_VALUES = ("error", "warning", "info", "never")
MODES = ("positive", "negative", "all")
SHARED_KEYS = ("fail_on", "baseline_file")


@dataclass(frozen=True)
class _GateAndReports:
    """What both commands do with their findings: the gate, accepted drift, report files."""

    fail_on: str = "error"
    baseline_file: str | None = None
    json: str | None = None
    junit: str | None = None
    markdown: str | None = None
    html: str | None = None


@dataclass(frozen=True)
class DiffConfig(_GateAndReports):
    """Settings of ``contract-tools diff``."""

    base: str | None = None
    revision: str | None = None
    format: str | None = None
    output: str | None = None
    ignore: tuple[str, ...] = ()
    # Rule id -> level ("error", "warning", "info"): a team's own view of what breaks its clients.
    levels: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ParityConfig(_GateAndReports):
    """Settings of ``contract-tools parity``."""

    baseline: str | None = None
    candidate: str | None = None
    spec: str | None = None
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    preset: str = "flask-fastapi"
    strict: bool = False
    normalize: Mapping[str, bool] = field(default_factory=dict)
    ignore_paths: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    headers: Mapping[str, str] = field(default_factory=dict)
    max_examples: int = 100
    seed: int | None = None
    mode: str = "all"


@dataclass(frozen=True)
class Config:
    """Both commands' settings and the file they came from (None: built-in defaults)."""

    diff: DiffConfig = field(default_factory=DiffConfig)
    parity: ParityConfig = field(default_factory=ParityConfig)
    source: Path | None = None


Section = TypeVar("Section", DiffConfig, ParityConfig)


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
    sections: dict[str, Mapping[str, Any]] = {"diff": {}, "parity": {}}
    for raw_key, value in table.items():
        key = _canonical(raw_key)
        if key not in allowed:
            raise UsageError(where.unknown(raw_key, allowed))
        if key in sections:
            if not isinstance(value, Mapping):
                raise UsageError(f"{source}: {where.key(raw_key)} must be a table")
            sections[key] = value
        else:
            shared[key] = _convert(key, value, where.key(raw_key), source, root)
    diff = _section(DiffConfig, sections["diff"], where.child("diff"), shared, root)
    parity = _section(ParityConfig, sections["parity"], where.child("parity"), shared, root)
    return Config(diff=diff, parity=parity, source=source)


def merge(section: Section, **overrides: Any) -> Section:
    """CLI flags over config: a value that is not None wins (an empty list counts as not given,
    as a repeatable option that was not used). Mapping settings (headers, normalize, ignore_paths)
    are merged key by key, the flag's keys winning.
    """
    names = {f.name for f in fields(section)}
    changes: dict[str, Any] = {}
    for name, value in overrides.items():
        if name not in names:
            raise TypeError(f"{type(section).__name__} has no setting {name!r}")
        if value is None or (isinstance(value, (list, tuple)) and not value):
            continue
        flag = "--" + name.replace("_", "-")
        converted = _convert(name, value, flag, None, None)
        current = getattr(section, name)
        if isinstance(current, Mapping):
            converted = {**current, **converted}
        changes[name] = converted
    return replace(section, **changes)


# --- internals --------------------------------------------------------------------------------


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
    if tomllib is None:  # pragma: no cover
        raise UsageError(f"{source}: reading TOML config needs Python 3.11 or newer")
    try:
        with source.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"{source}: not valid TOML: {exc}") from None
    except OSError as exc:
        raise UsageError(f"{source}: cannot read config: {exc.strerror}") from None


def _root(source: Path, cwd: Path | None) -> Path | None:
    """The directory relative paths are resolved against; None when it is the cwd anyway."""
    directory = source.resolve().parent
    return None if directory == (cwd or Path.cwd()).resolve() else directory


def _canonical(key: str) -> str:
    return str(key).replace("-", "_")


def _section(
    cls: type[Section],
    table: Mapping[str, Any],
    where: _Where,
    shared: Mapping[str, Any],
    root: Path | None,
) -> Section:
    names = {f.name for f in fields(cls)}
    values: dict[str, Any] = {k: v for k, v in shared.items() if k in names}
    for raw_key, value in table.items():
        key = _canonical(raw_key)
        if key not in names:
            raise UsageError(where.unknown(raw_key, names))
        values[key] = _convert(key, value, where.key(raw_key), where.source, root)
    return cls(**values)


def _convert(key: str, value: Any, name: str, source: Path | None, root: Path | None) -> Any:
    """One converter per key, shared by the file and by merge() so both validate alike."""
    converter = _CONVERTERS.get(key, _string)
    try:
        result = converter(value)
    except _Invalid as exc:
        place = f"{source}: {name}" if source is not None else name
        raise UsageError(f"{place} {exc}") from None
    if key in _PATH_KEYS and root is not None and isinstance(result, str):
        result = _resolve(result, root)
    return result


class _Invalid(ValueError):
    """A value of the wrong shape; the message completes '<file>: <key> ...'."""


def _string(value: Any) -> str:
    if not isinstance(value, str):
        raise _Invalid(f"must be a string, not {value!r}")
    return value


def _strings(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
        raise _Invalid(f"must be a list of strings, not {value!r}")
    return tuple(value)


def _boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise _Invalid(f"must be true or false, not {value!r}")
    return value


def _integer(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _Invalid(f"must be an integer, not {value!r}")
    return value


def _positive(value: Any) -> int:
    number = _integer(value)
    if number < 1:
        raise _Invalid(f"must be at least 1, not {number}")
    return number


def _choice(options: tuple[str, ...]) -> Callable[[Any], str]:
    def convert(value: Any) -> str:
        text = _string(value).strip().lower()
        if text not in options:
            raise _Invalid(f"must be one of {', '.join(options)}, not {value!r}")
        return text

    return convert


def _headers(value: Any) -> dict[str, str]:
    if isinstance(value, Mapping):
        if not all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
            raise _Invalid("must map header names to string values")
        return dict(value)
    result: dict[str, str] = {}
    for item in _strings(value):
        name, sep, header_value = item.partition(":")
        if not sep or not name.strip():
            raise _Invalid(f"expects 'Name: value', not {item!r}")
        result[name.strip()] = header_value.strip()
    return result


def _normalize(value: Any) -> dict[str, bool]:
    if not isinstance(value, Mapping) or not all(
        isinstance(k, str) and isinstance(v, bool) for k, v in value.items()
    ):
        raise _Invalid("must map rule names to true or false")
    return dict(value)


def _levels(value: Any) -> dict[str, str]:
    allowed = ("error", "warning", "info")
    if not isinstance(value, Mapping) or not all(
        isinstance(k, str) and isinstance(v, str) and v.lower() in allowed for k, v in value.items()
    ):
        raise _Invalid("must map rule ids to 'error', 'warning' or 'info'")
    return {k: v.lower() for k, v in value.items()}


def _ignore_paths(value: Any) -> dict[str, tuple[str, ...]]:
    if not isinstance(value, Mapping):
        raise _Invalid("must map operations ('GET /path') to lists of JSON paths")
    result: dict[str, tuple[str, ...]] = {}
    for operation, paths in value.items():
        try:
            result[str(operation)] = _strings(paths)
        except _Invalid:
            raise _Invalid(f"[{operation!r}] must be a list of JSON paths") from None
    return result


def _resolve(value: str, root: Path) -> str:
    # URLs and references with a colon (module:attr, git rev:path) are not file paths here.
    if "://" in value or ":" in value or value == "-" or os.path.isabs(value):
        return value
    return str(root / value)


_CONVERTERS: dict[str, Callable[[Any], Any]] = {
    "ignore": _strings,
    "include": _strings,
    "exclude": _strings,
    "strict": _boolean,
    "normalize": _normalize,
    "levels": _levels,
    "ignore_paths": _ignore_paths,
    "headers": _headers,
    "max_examples": _positive,
    "seed": _integer,
    "mode": _choice(MODES),
    "fail_on": _choice(FAIL_ON_VALUES),
}

_PATH_KEYS = frozenset(
    {"base", "revision", "spec", "output", "baseline_file", "json", "junit", "markdown", "html"}
)
