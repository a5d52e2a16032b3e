"""Resolve ``module:attr`` and ``module:factory()`` references into apps (``flask --app`` style)."""

from __future__ import annotations

import ast
import contextlib
import enum
import importlib
import inspect
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from contract_tools.errors import AppLoadError, UsageError

_REF = re.compile(
    r"^(?P<module>[A-Za-z_][\w.]*)(?::(?P<attr>[A-Za-z_]\w*)(?P<call>\(.*\))?)?$", re.S
)
# The names flask's own CLI tries when only a module is given.
_DEFAULT_ATTRS = ("app", "application")
_DEFAULT_FACTORIES = ("create_app", "make_app")


class AppKind(enum.Enum):
    FLASK = "flask"
    FASTAPI = "fastapi"
    WSGI = "wsgi"
    ASGI = "asgi"


def is_app_reference(text: str) -> bool:
    """True for ``pkg.mod:attr`` / ``pkg.mod:factory()``; files and URLs are not references."""
    if "://" in text or text.endswith((".json", ".yaml", ".yml")):
        return False
    match = _REF.match(text.strip())
    return bool(match and match.group("attr"))


def app_kind(app: Any) -> AppKind:
    """Duck-typed so that this module imports no web framework."""
    if hasattr(app, "url_map") and hasattr(app, "wsgi_app"):
        return AppKind.FLASK
    if callable(getattr(app, "openapi", None)) and hasattr(app, "router"):
        return AppKind.FASTAPI
    call = getattr(app, "__call__", None)  # noqa: B004 - we need the signature, not callability
    if call is not None and inspect.iscoroutinefunction(call):
        return AppKind.ASGI
    if inspect.iscoroutinefunction(app):
        return AppKind.ASGI
    if callable(app) and _takes_two_arguments(app):
        return AppKind.WSGI
    raise AppLoadError(f"{type(app).__name__} object is neither a WSGI nor an ASGI app")


def _takes_two_arguments(app: Any) -> bool:
    """A WSGI app is called as ``app(environ, start_response)``: any other callable (a factory,
    a helper function) is not one, and calling it per request would only make false crashes."""
    try:
        inspect.signature(app).bind(object(), object())
    except TypeError:
        return False
    except ValueError:
        return True  # a builtin without a signature: give it the benefit of the doubt
    return True


@dataclass(frozen=True)
class AppRef:
    """A parsed reference; ``factory`` refs build a fresh app on every ``load()``."""

    text: str
    module: str
    attr: str | None
    args: tuple[Any, ...] = ()
    kwargs: dict[str, Any] = field(default_factory=dict)
    factory: bool = False
    app_dir: str | None = None

    @classmethod
    def parse(cls, text: str, app_dir: str | None = None) -> AppRef:
        match = _REF.match(text.strip())
        if not match:
            raise AppLoadError(
                f"{text!r} is not an app reference (expected 'module:attr' or 'module:factory()')"
            )
        args: tuple[Any, ...] = ()
        kwargs: dict[str, Any] = {}
        call = match.group("call")
        if call:
            args, kwargs = _literal_call_args(text, call)
        return cls(
            text=text,
            module=match.group("module"),
            attr=match.group("attr"),
            args=args,
            kwargs=kwargs,
            factory=bool(call),
            app_dir=app_dir,
        )

    def load(self) -> Any:
        with _on_path(self.app_dir or "."):
            module = _import(self.module, self.text)
        attr = self.attr
        if attr is None:
            attr = _guess_attr(module, self.text)
        try:
            obj = getattr(module, attr)
        except AttributeError:
            raise AppLoadError(
                f"{self.text}: module {self.module!r} has no attribute {attr!r}"
            ) from None
        if self.factory or (self.attr is None and attr in _DEFAULT_FACTORIES):
            obj = _call_factory(obj, self)
        try:
            app_kind(obj)
        except AppLoadError as exc:
            if not self.factory and callable(obj) and _looks_like_a_factory(obj):
                raise AppLoadError(
                    f"{self.text}: {attr!r} is a function that takes no request, not an app; "
                    f"did you mean {self.module}:{attr}()?"
                ) from None
            raise AppLoadError(f"{self.text}: {exc}") from None
        return obj


def load_app(text: str, app_dir: str | None = None) -> Any:
    return AppRef.parse(text, app_dir).load()


def _literal_call_args(text: str, call: str) -> tuple[tuple[Any, ...], dict[str, Any]]:
    try:
        node = ast.parse(f"f{call}", mode="eval").body
    except SyntaxError:
        raise AppLoadError(f"{text}: cannot parse the factory call {call!r}") from None
    assert isinstance(node, ast.Call)
    try:
        args = tuple(ast.literal_eval(a) for a in node.args)
        kwargs = {k.arg: ast.literal_eval(k.value) for k in node.keywords if k.arg}
    except ValueError:
        raise AppLoadError(f"{text}: factory arguments must be Python literals") from None
    return args, kwargs


@contextlib.contextmanager
def _on_path(directory: str) -> Iterator[None]:
    if not Path(directory).is_dir():
        raise UsageError(f"--app-dir {directory}: not a directory")
    path = str(Path(directory).resolve())
    added = path not in sys.path
    if added:
        sys.path.insert(0, path)
    try:
        yield
    finally:
        if added:
            with contextlib.suppress(ValueError):
                sys.path.remove(path)


def _looks_like_a_factory(obj: Any) -> bool:
    try:
        return not any(
            p.default is inspect.Parameter.empty
            and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
            for p in inspect.signature(obj).parameters.values()
        )
    except (TypeError, ValueError):
        return False


def _import(name: str, text: str) -> Any:
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name and (name == exc.name or name.startswith(exc.name + ".")):
            raise AppLoadError(f"{text}: no module named {name!r}") from exc
        raise AppLoadError(f"{text}: importing {name!r} failed: {exc}") from exc
    except SystemExit as exc:
        # An app module that calls sys.exit() at import must not end the tool with its code.
        raise AppLoadError(f"{text}: importing {name!r} called sys.exit({exc.code!r})") from None
    except Exception as exc:
        raise AppLoadError(
            f"{text}: importing {name!r} raised {type(exc).__name__}: {exc}"
        ) from exc


def _guess_attr(module: Any, text: str) -> str:
    for name in (*_DEFAULT_ATTRS, *_DEFAULT_FACTORIES):
        if hasattr(module, name):
            return name
    raise AppLoadError(f"{text}: no 'app' or 'create_app' in module {module.__name__!r}")


def _call_factory(obj: Any, ref: AppRef) -> Any:
    if not callable(obj):
        raise AppLoadError(f"{ref.text}: {ref.attr!r} is not callable")
    try:
        inspect.signature(obj).bind(*ref.args, **ref.kwargs)
    except TypeError as exc:
        raise AppLoadError(f"{ref.text}: factory {ref.attr!r} cannot be called so: {exc}") from None
    except ValueError:
        pass  # builtins without a signature: just try the call
    try:
        try:
            return obj(*ref.args, **ref.kwargs)
        except SystemError as exc:
            if not _ast_race(exc):
                raise
            # CPython 3.11 (cpython#106905): the ast module's recursion counter is shared by
            # threads, so Werkzeug compiling its rules while another thread converts an AST
            # (an abandoned handler still running, say) fails spuriously. The counter is right
            # again once both are done, so a build that failed with exactly this is tried once
            # more; any other SystemError is the factory's own.
            return obj(*ref.args, **ref.kwargs)
    except SystemExit as exc:
        raise AppLoadError(
            f"{ref.text}: factory {ref.attr!r} called sys.exit({exc.code!r})"
        ) from None
    except Exception as exc:
        raise AppLoadError(
            f"{ref.text}: factory {ref.attr!r} raised {type(exc).__name__}: {exc}"
        ) from exc


def _ast_race(exc: SystemError) -> bool:
    return "AST constructor recursion depth mismatch" in str(exc)
