"""Report formats by name: each format registers its render function in its own module.

A format is one module in ``contract_tools/report/`` whose render function carries
``@reporter("name")``; discovery imports every public module of the package (as the diff rule
registry does for rule families), so adding a format touches only its new module. A module
that needs a heavy library (jinja2 for HTML) imports it inside its render function: discovery
imports every format module, and the JSON report must not pay for the HTML one.

Every format renders with one signature, ``render(report, options) -> str``.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Callable
from dataclasses import dataclass

from contract_tools.errors import UsageError
from contract_tools.models import Level, Report

_NAME = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")


@dataclass(frozen=True)
class RenderOptions:
    """What a format may need beyond the Report; every format gets the same options."""

    # The lowest level that fails the gate; None: the gate is off (--fail-on never).
    fail_on: Level | None = Level.ERROR
    # Where the HTML report is written: the Markdown points there when it truncates.
    html_report: str | None = None
    # Each finding's evidence in the text format (bodies, curl, pytest); off: causes and one or
    # two lines per finding, what a terminal shows without -v. Files are always complete.
    verbose: bool = True


Renderer = Callable[[Report, RenderOptions], str]

_RENDERERS: dict[str, Renderer] = {}
_SEARCHED: set[tuple[str, ...]] = set()


def register(name: str, render: Renderer) -> None:
    """Make ``render`` the format ``name``; a second, different render for a name is an error."""
    if not _NAME.match(name):
        raise ValueError(f"report format name {name!r} is not lowercase kebab-case")
    existing = _RENDERERS.get(name)
    # The same function imported again (a reloaded module) is not a clash.
    same = existing is not None and _origin(existing) == _origin(render)
    if existing is not None and not same:
        raise ValueError(f"report format {name!r} registered twice ({_origin(existing)})")
    _RENDERERS[name] = render


def reporter(name: str) -> Callable[[Renderer], Renderer]:
    """Decorator form of ``register``: ``@reporter("junit")`` above a format's render."""

    def decorate(render: Renderer) -> Renderer:
        register(name, render)
        return render

    return decorate


def formats() -> tuple[str, ...]:
    """Every registered format name: ``text`` first (the default), then by name."""
    _discover()
    return tuple(sorted(_RENDERERS, key=lambda name: (name != "text", name)))


def renderer(name: str) -> Renderer:
    """The render function of format ``name``; an unknown name is a usage error."""
    _discover()
    found = _RENDERERS.get(name)
    if found is None:
        expected = ", ".join(formats())
        raise UsageError(f"unknown report format {name!r} (expected one of: {expected})")
    return found


def _discover() -> None:
    # Importing a format module runs its @reporter; searched once per package path.
    from contract_tools import report as package

    where = tuple(package.__path__)
    if where in _SEARCHED:
        return
    for info in pkgutil.iter_modules(package.__path__):
        if not info.name.startswith("_"):
            importlib.import_module(f"{package.__name__}.{info.name}")
    _SEARCHED.add(where)


def _origin(render: Renderer) -> str:
    module = getattr(render, "__module__", "?")
    return f"{module}.{getattr(render, '__qualname__', repr(render))}"
