"""A parity session: both targets built from references, opened (apps loaded, lifespans run,
servers reached), each side's spec resolved, and everything closed at the end."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from contract_tools._parity.asgi import ASGITarget
from contract_tools._parity.generate import BASELINE, CANDIDATE
from contract_tools._parity.live import URLTarget
from contract_tools._parity.targets import AppLoader, Target
from contract_tools._parity.wsgi import WSGITarget
from contract_tools.apps import AppKind, AppRef, app_kind
from contract_tools.errors import SpecLoadError, UsageError
from contract_tools.settings import DEFAULT_TIMEOUT

Specs = Mapping[str, dict[str, Any] | None]


def make_target(
    text: str, *, app_dir: str | None = None, timeout: float = DEFAULT_TIMEOUT
) -> Target:
    """``http://host:port``, ``module:attr`` or ``module:factory()`` -> a target."""
    target: Target
    if text.startswith(("http://", "https://")):
        target = URLTarget(text, timeout=timeout)
    else:
        ref = AppRef.parse(text, app_dir)
        if ref.factory:
            target = _target(ref.load, app_kind(ref.load()), text, True, timeout)
        else:
            app = ref.load()
            target = _target(lambda: app, app_kind(app), text, False, timeout)
    target.reference = text
    return target


def target_for_app(
    app: Any, name: str | None = None, *, timeout: float = DEFAULT_TIMEOUT
) -> Target:
    """A shared-instance target for an app object."""
    return _target(lambda: app, app_kind(app), name or type(app).__name__, False, timeout)


def target_for_factory(
    factory: AppLoader, name: str | None = None, *, timeout: float = DEFAULT_TIMEOUT
) -> Target:
    """A fresh-app-per-case target; the factory is called once here to learn the app's kind."""
    kind = app_kind(factory())
    return _target(
        factory, kind, name or str(getattr(factory, "__name__", "factory")), True, timeout
    )


def _target(loader: AppLoader, kind: AppKind, name: str, fresh: bool, timeout: float) -> Target:
    if kind in (AppKind.FLASK, AppKind.WSGI):
        return WSGITarget(name, loader, fresh_per_case=fresh, timeout=timeout)
    return ASGITarget(name, loader, fresh_per_case=fresh, timeout=timeout)


@dataclass
class Session:
    """Both sides of a run and their specs; a context manager that opens and closes them."""

    baseline: Target
    candidate: Target
    specs: Specs

    @classmethod
    def open(
        cls,
        baseline: Target | str,
        candidate: Target | str,
        *,
        spec_files: Iterable[str] = (),
        app_dir: str | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        load_spec: Callable[[str], dict[str, Any]] | None = None,
    ) -> Session:
        """Targets built and opened before anything else, so that a side that does not load
        is one error (exit 3) before any progress display; then each side's spec."""
        base = (
            baseline
            if isinstance(baseline, Target)
            else make_target(baseline, app_dir=app_dir, timeout=timeout)
        )
        cand = (
            candidate
            if isinstance(candidate, Target)
            else make_target(candidate, app_dir=app_dir, timeout=timeout)
        )
        opened: list[Target] = []
        try:
            for target in (base, cand):
                target.open()
                opened.append(target)
            specs = resolve_specs(base, cand, spec_files, load_spec=load_spec)
        except BaseException:
            for target in opened:
                target.close()
            raise
        return cls(base, cand, specs)

    def __enter__(self) -> Session:
        self.baseline.open()
        self.candidate.open()
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            self.baseline.close()
        finally:
            self.candidate.close()


def resolve_specs(
    baseline: Target,
    candidate: Target,
    spec_files: Iterable[str] = (),
    *,
    load_spec: Callable[[str], dict[str, Any]] | None = None,
) -> dict[str, dict[str, Any] | None]:
    """Each side's spec: ``--spec`` once (both sides), twice (baseline, candidate), or the apps."""
    if load_spec is None:
        from contract_tools.spec.sources import load_spec as load_spec_file

        load_spec = load_spec_file
    files = list(spec_files)
    if len(files) > 2:
        raise UsageError("--spec may be given once (both sides) or twice (baseline, candidate)")
    if len(files) == 1:
        doc = load_spec(files[0])
        return {BASELINE: doc, CANDIDATE: doc}
    if len(files) == 2:
        return {BASELINE: load_spec(files[0]), CANDIDATE: load_spec(files[1])}
    specs = {BASELINE: spec_of(baseline), CANDIDATE: spec_of(candidate)}
    if not any(specs.values()):
        raise UsageError("neither side gives an OpenAPI document: pass one with --spec FILE")
    return specs


def spec_of(target: Target) -> dict[str, Any] | None:
    """A Flask app's draft, a FastAPI app's own document, a server's /openapi.json, or None."""
    if isinstance(target, URLTarget):
        from contract_tools.spec.fastapi import fetch_spec_url

        try:
            return fetch_spec_url(target.base_url + "/openapi.json")
        except SpecLoadError:
            return None
    app = target.app_for_spec()
    if app is None:
        return None
    kind = app_kind(app)
    if kind is AppKind.FLASK:
        from contract_tools.spec.flask import build_flask_spec

        return build_flask_spec(app).document
    if kind in (AppKind.FASTAPI, AppKind.ASGI):
        from contract_tools.spec.fastapi import fastapi_spec

        try:
            return fastapi_spec(app)
        except SpecLoadError:
            if kind is AppKind.FASTAPI:
                raise
            return None
    return None
