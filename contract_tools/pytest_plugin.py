"""pytest plugin: run parity inside a project's own test suite (options, marker, fixture).

Settings come from, most specific first: the fixture call's arguments, the ``parity`` marker,
the command line (``--parity-*``), the ini file (``parity_*``), then the
``[tool.contract-tools.parity]`` table of the project's pyproject.toml, as the CLI reads it.
The plugin only wires these to the public API: each call builds its own targets and keeps no
drift store, so it runs under pytest-xdist as it does alone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, NoReturn, TypeVar

import pytest

from contract_tools import api
from contract_tools.errors import ContractToolsError, UsageError
from contract_tools.models import Report
from contract_tools.settings import ParitySettings

T = TypeVar("T")

USAGE = (
    "contract-tools: set --parity-baseline/--parity-candidate "
    "or parity_baseline/parity_candidate in the ini file"
)

# name -> (metavar, help); each is both --parity-NAME (dashes) and the ini key parity_NAME.
_OPTIONS: dict[str, tuple[str, str]] = {
    "baseline": ("APP", "The legacy app: 'module:attr', 'module:factory()' or a URL."),
    "candidate": ("APP", "The port: 'module:attr', 'module:factory()' or a URL."),
    "max_examples": ("N", "Generated cases per operation (default: 100)."),
    "seed": ("N", "Seed of the generated requests (default: random, printed in the report)."),
    "mode": ("MODE", "positive, negative or all kinds of input (default: all)."),
    "fail_on": ("LEVEL", "error, warning, info or never: fail at or above (default: error)."),
}
# Keyword arguments the marker and the fixture's check()/run() accept.
KEYWORDS = (
    "baseline",
    "candidate",
    "include",
    "exclude",
    "max_examples",
    "seed",
    "mode",
    "fail_on",
    "headers",
    "strict",
    "workers",
    "concurrency",
)
_INTEGERS = ("max_examples", "seed", "workers", "concurrency")


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("contract-tools", "parity of a Flask app and its FastAPI port")
    for name, (metavar, text) in _OPTIONS.items():
        group.addoption(
            "--parity-" + name.replace("_", "-"),
            dest=f"parity_{name}",
            metavar=metavar,
            default=None,
            help=text,
        )
        parser.addini(f"parity_{name}", text, default="")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "parity(*include, include=[...], exclude=[...], max_examples=N, seed=N, mode=..., "
        "fail_on=..., workers=N, concurrency=N, baseline=APP, candidate=APP): settings of the "
        "`parity` fixture for this test (contract-tools).",
    )


class Parity:
    """What the ``parity`` fixture returns: ``check()`` fails the test on drift, ``run()`` not."""

    def __init__(self, config: pytest.Config, marked: Mapping[str, Any]) -> None:
        self._config = config
        self._marked = dict(marked)

    def __call__(self, **overrides: Any) -> Report:
        return self.check(**overrides)

    def check(self, **overrides: Any) -> Report:
        """Run parity and ``pytest.fail`` with the readable drift report at/above fail_on."""
        from contract_tools.report import render

        # Built (and so validated) before the run: a typo fails at once, not after it.
        settings = _guard(lambda: self.parity_settings(**overrides))
        report = self._run(settings)
        level = settings.fail_on.level
        if level is not None and any(f.level >= level for f in report.findings):
            pytest.fail(render(report, "text", fail_on=level), pytrace=False)
        return report

    def run(self, **overrides: Any) -> Report:
        """Run parity and return the Report, whatever it found."""
        return self._run(_guard(lambda: self.parity_settings(**overrides)))

    def parity_settings(self, **overrides: Any) -> ParitySettings:
        """The settings this call runs with, built by the API as the CLI builds them."""
        merged = self.settings(**overrides)
        if not merged.get("baseline") or not merged.get("candidate"):
            _fail(USAGE)
        rootdir = self._config.rootpath
        values = _setting_values(merged)
        # In the test's own process unless asked: pytest-xdist already spreads tests over the
        # cores, and worker processes would import the test session's modules again.
        values.setdefault("workers", 1)
        return api.parity_settings(
            None,
            cwd=rootdir,
            app_dir=str(rootdir),
            database=False,  # no drift store: a test is one run, and xdist workers share a disk
            **values,
        )

    def settings(self, **overrides: Any) -> dict[str, Any]:
        """The merged settings: call > marker > command line > ini; unset keys left out."""
        merged: dict[str, Any] = {}
        for name in _OPTIONS:
            value = self._config.getini(f"parity_{name}")
            if isinstance(value, str) and value.strip():
                merged[name] = value.strip()
            option = self._config.getoption(f"parity_{name}")
            if option is not None:
                merged[name] = option
        for source in (self._marked, overrides):
            unknown = sorted(set(source) - set(KEYWORDS))
            if unknown:
                _fail(
                    f"contract-tools: unknown parity option(s) {', '.join(unknown)} "
                    f"(known: {', '.join(KEYWORDS)})"
                )
            merged.update((k, v) for k, v in source.items() if v is not None)
        return merged

    def _run(self, settings: ParitySettings) -> Report:
        return _guard(lambda: api.parity(settings))


def _setting_values(settings: Mapping[str, Any]) -> dict[str, Any]:
    """The plugin's spellings -> the API's settings (ini values are text)."""
    values: dict[str, Any] = {}
    for name in _INTEGERS:
        if name in settings:
            try:
                values[name] = int(settings[name])
            except (TypeError, ValueError):
                raise UsageError(
                    f"parity {name}: expected an integer, not {settings[name]!r}"
                ) from None
    for name in ("baseline", "candidate", "mode", "fail_on"):
        if name in settings:
            values[name] = str(settings[name])
    for name in ("include", "exclude"):
        if name in settings:
            values[name] = _strings(settings[name])
    if "headers" in settings:
        headers = settings["headers"]
        items = headers.items() if isinstance(headers, Mapping) else headers
        values["headers"] = {str(k): str(v) for k, v in items}
    if "strict" in settings:
        values["strict"] = bool(settings["strict"])
    return values


def _strings(value: str | Iterable[str]) -> tuple[str, ...]:
    """One operation or a list of them."""
    return (value,) if isinstance(value, str) else tuple(str(v) for v in value)


def _guard(call: Callable[[], T]) -> T:
    """Library errors (bad reference, include matching nothing) fail the test in one line."""
    try:
        return call()
    except ContractToolsError as exc:
        _fail(f"contract-tools: {exc}")


def _fail(message: str) -> NoReturn:
    pytest.fail(message, pytrace=False)


@pytest.fixture
def parity(request: pytest.FixtureRequest) -> Parity:
    """Parity of the configured apps; a ``parity`` marker's arguments are its defaults."""
    marked: dict[str, Any] = {}
    # iter_markers yields the closest first: apply the farthest (module, class) first.
    for marker in reversed(list(request.node.iter_markers("parity"))):
        marked.update(marker.kwargs)
        if marker.args:
            marked["include"] = tuple(str(a) for a in marker.args)
    return Parity(request.config, marked)
