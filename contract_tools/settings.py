"""What a valid setting is: the typed settings of each command, and one converter per key.

``DiffSettings`` and ``ParitySettings`` are built once (``config.py`` reads them from
``[tool.contract-tools]`` and puts the flags on top) and validated once: every value, from a
file or a flag, goes through the same converter here, so both are checked alike.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from contract_tools.errors import UsageError
from contract_tools.models import FailOn, Mode, Pairs

SHARED_KEYS = ("fail_on", "accepted")
_TOKEN = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")
_BAD_VALUE = re.compile(r"[\r\n\x00]")
DEFAULT_REASON = "accepted with --update-accepted; say why"
DEFAULT_TIMEOUT = 30.0
# Where --database without a value would put the drift store; off unless asked, since nothing
# is written into the working directory unless asked.
DEFAULT_DATABASE = ".contract-tools/drifts"
# Old key -> new key, each with the warning said once per run.
_REPORT_KEYS = ("json", "junit", "markdown", "html")


@dataclass(frozen=True)
class Outputs:
    """What both commands do with their findings: the gate, accepted drift, report files."""

    fail_on: FailOn = FailOn.ERROR
    accepted: str | None = None
    update_accepted: bool = False
    accepted_reason: str = DEFAULT_REASON
    prune_accepted: bool = False
    json: str | None = None
    junit: str | None = None
    markdown: str | None = None
    html: str | None = None
    # The primary report: its format and where it goes (None or "-": standard output).
    format: str = "text"
    output: str | None = None
    github_summary: bool = False
    # Deprecations met while building the settings; entry points print them on stderr.
    warnings: tuple[str, ...] = ()

    def report_files(self) -> dict[str, str]:
        """format -> path for every requested report file (not the primary output)."""
        paths = {fmt: getattr(self, fmt) for fmt in _REPORT_KEYS}
        return {fmt: path for fmt, path in paths.items() if path and path != "-"}


@dataclass(frozen=True)
class DiffSettings(Outputs):
    """Everything ``diff`` needs, validated."""

    base: str | None = None
    revision: str | None = None
    ignore: tuple[str, ...] = ()  # rule ids the team does not want reported at all
    # Rule id -> level ("error", "warning", "info"): a team's own view of what breaks its clients.
    levels: Mapping[str, str] = field(default_factory=dict)
    app_dir: str = "."


@dataclass(frozen=True)
class ParitySettings(Outputs):
    """Everything ``parity`` needs, validated."""

    baseline: str | None = None
    candidate: str | None = None
    spec: tuple[str, ...] = ()  # once for both sides, or baseline's then candidate's
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    preset: str = "flask-fastapi"
    strict: bool = False
    normalize: Mapping[str, bool] = field(default_factory=dict)
    disable: tuple[str, ...] = ()  # normalisation rules switched off by name (--disable-rule)
    ignore_paths: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    headers: Mapping[str, str] = field(default_factory=dict)
    max_examples: int = 100
    seed: int | None = None
    mode: Mode = Mode.ALL
    shard: tuple[int, int] | None = None
    # Processes exploring operations side by side (None: one per usable core); 1: in process.
    workers: int | None = None
    # Cases in flight at once to two live servers (safe methods only; 1: one at a time).
    concurrency: int = 4
    database: str | None = None  # the drift store: off unless a directory or redis:// is given
    coverage: bool = True
    # Framework probes sent before generation: ("all",), () for none, or probe names.
    probes: tuple[str, ...] = ("all",)
    # Values from responses (and spec examples) mixed into generated requests.
    harvest: bool = True
    shrink: bool = True
    # Requests sent (cache misses) per drift while shrinking: enough to minimise, bounded.
    shrink_budget: int = 150
    # Sequences after the single requests (create, then act on what was created), each of up
    # to max_steps steps, max_sequences of them per run: a few dozen cover a small API.
    stateful: bool = True
    max_steps: int = 5
    max_sequences: int = 40
    timeout: float = DEFAULT_TIMEOUT
    app_dir: str = "."
    # State-changing requests to a server that is not on this machine need saying so.
    allow_unsafe: bool = False

    @property
    def disabled_rules(self) -> tuple[str, ...]:
        """Normalisation rules off: ``normalize = {name = false}`` and ``--disable-rule``."""
        off = {name for name, on in self.normalize.items() if not on} | set(self.disable)
        return tuple(sorted(off))

    @property
    def header_pairs(self) -> Pairs:
        return tuple(self.headers.items())

    @property
    def ignore_pairs(self) -> Pairs:
        """(operation or "*", JSON path pattern) for every ignored path."""
        return tuple((op, p) for op, patterns in self.ignore_paths.items() for p in patterns)


@dataclass(frozen=True)
class Config:
    """Both commands' settings as the file gives them, and the file (None: built-in defaults)."""

    diff: DiffSettings = field(default_factory=DiffSettings)
    parity: ParitySettings = field(default_factory=ParitySettings)
    source: Path | None = None


def convert(key: str, value: Any, name: str, source: Path | None, root: Path | None) -> Any:
    """One converter per key, shared by the file and by merge() so both validate alike."""
    converter = _CONVERTERS.get(key, _string)
    try:
        result = converter(value)
    except Invalid as exc:
        place = f"{source}: {name}" if source is not None else name
        raise UsageError(f"{place} {exc}") from None
    if key in _PATH_KEYS and root is not None:
        if isinstance(result, str):
            result = _resolve(result, root)
        elif isinstance(result, tuple):
            result = tuple(_resolve(item, root) for item in result)
    return result


class Invalid(ValueError):
    """A value of the wrong shape; the message completes '<file>: <key> ...'."""


def _string(value: Any) -> str:
    if not isinstance(value, str):
        raise Invalid(f"must be a string, not {value!r}")
    return value


def _strings(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
        raise Invalid(f"must be a list of strings, not {value!r}")
    return tuple(value)


def _boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise Invalid(f"must be true or false, not {value!r}")
    return value


def _integer(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise Invalid(f"must be an integer, not {value!r}")
    return value


def _positive(value: Any) -> int:
    number = _integer(value)
    if number < 1:
        raise Invalid(f"must be at least 1, not {number}")
    return number


def _seconds(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise Invalid(f"must be a number of seconds, not {value!r}")
    number = float(value)
    if not math.isfinite(number) or number <= 0:
        raise Invalid(f"must be a finite number of seconds above 0, not {value!r}")
    return number


def _fail_on(value: Any) -> FailOn:
    try:
        return FailOn.parse(_string(value) if not isinstance(value, FailOn) else value)
    except ValueError:
        raise Invalid(
            f"must be one of {', '.join(item.value for item in FailOn)}, not {value!r}"
        ) from None


def _mode(value: Any) -> Mode:
    try:
        return Mode.parse(_string(value) if not isinstance(value, Mode) else value)
    except ValueError:
        raise Invalid(
            f"must be one of {', '.join(item.value for item in Mode)}, not {value!r}"
        ) from None


def _shard(value: Any) -> tuple[int, int] | None:
    if isinstance(value, tuple) and len(value) == 2:
        k, n = value
    else:
        k_text, sep, n_text = _string(value).partition("/")
        try:
            k, n = (int(k_text), int(n_text)) if sep else (0, 0)
        except ValueError:
            k, n = 0, 0
    if not (isinstance(k, int) and isinstance(n, int) and 1 <= k <= n):
        raise Invalid(f"expects K/N with 1 <= K <= N (e.g. 2/4), not {value!r}")
    return (k, n)


def _probes(value: Any) -> tuple[str, ...]:
    """``"all"``, ``"none"``, ``"head,options"`` or a list of names (checked by the engine,
    which knows them)."""
    names = tuple(n.strip() for item in _strings(value) for n in item.split(",") if n.strip())
    if not names:
        raise Invalid(f"must name probes, 'all' or 'none', not {value!r}")
    return () if names == ("none",) else names


def _database(value: Any) -> str | None:
    if value is False:
        return None
    text = _string(value)
    return text or None


def _headers(value: Any) -> dict[str, str]:
    if isinstance(value, Mapping):
        if not all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
            raise Invalid("must map header names to string values")
        pairs = [(k.strip(), v.strip()) for k, v in value.items()]
    else:
        pairs = []
        for item in _strings(value):
            name, sep, header_value = item.partition(":")
            if not sep or not name.strip():
                raise Invalid(f"expects 'Name: value', not {item!r}")
            pairs.append((name.strip(), header_value.strip()))
    for name, header_value in pairs:
        # No HTTP client sends these: both sides would fail alike, and nothing be compared.
        if not _TOKEN.match(name):
            raise Invalid(f"{name!r}: a header name is a token (letters, digits, -_.!#$%&'*+^`|~)")
        if _BAD_VALUE.search(header_value):
            raise Invalid(f"{name}: a header value cannot hold CR, LF or NUL")
    return dict(pairs)


def _normalize(value: Any) -> dict[str, bool]:
    if not isinstance(value, Mapping) or not all(
        isinstance(k, str) and isinstance(v, bool) for k, v in value.items()
    ):
        raise Invalid("must map rule names to true or false")
    return dict(value)


def _levels(value: Any) -> dict[str, str]:
    allowed = ("error", "warning", "info")
    if not isinstance(value, Mapping) or not all(
        isinstance(k, str) and isinstance(v, str) and v.lower() in allowed for k, v in value.items()
    ):
        raise Invalid("must map rule ids to 'error', 'warning' or 'info'")
    return {k: v.lower() for k, v in value.items()}


def _ignore_paths(value: Any) -> dict[str, tuple[str, ...]]:
    if not isinstance(value, Mapping):
        raise Invalid("must map operations ('GET /path') to lists of JSON paths")
    result: dict[str, tuple[str, ...]] = {}
    for operation, paths in value.items():
        try:
            result[str(operation)] = _strings(paths)
        except Invalid:
            raise Invalid(f"[{operation!r}] must be a list of JSON paths") from None
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
    "spec": _strings,
    "disable": _strings,
    "strict": _boolean,
    "coverage": _boolean,
    "probes": _probes,
    "harvest": _boolean,
    "shrink": _boolean,
    "stateful": _boolean,
    "update_accepted": _boolean,
    "allow_unsafe": _boolean,
    "prune_accepted": _boolean,
    "github_summary": _boolean,
    "normalize": _normalize,
    "levels": _levels,
    "ignore_paths": _ignore_paths,
    "headers": _headers,
    "max_examples": _positive,
    "shrink_budget": _positive,
    "max_steps": _positive,
    "max_sequences": _positive,
    "workers": _positive,
    "concurrency": _positive,
    "seed": _integer,
    "mode": _mode,
    "fail_on": _fail_on,
    "shard": _shard,
    "database": _database,
    "timeout": _seconds,
    "warnings": _strings,
}

_PATH_KEYS = frozenset(
    {
        "base",
        "revision",
        "spec",
        "output",
        "accepted",
        "json",
        "junit",
        "markdown",
        "html",
        "database",
        "app_dir",
    }
)
