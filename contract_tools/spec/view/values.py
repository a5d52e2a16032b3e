"""The symbolic values the walk computes for expressions: a constant, a Python object a name
resolves to, a value of a known type, a response, a read of the request (``constraints.Read``)...
Anything else is ``UNKNOWN``. Nothing here runs user code: objects are wrapped, never called.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from contract_tools.spec import constraints as c
from contract_tools.spec.constraints import Read


class _Unknown:
    def __repr__(self) -> str:
        return "UNKNOWN"


UNKNOWN: Any = _Unknown()


@dataclass(frozen=True)
class Const:
    value: Any


@dataclass(frozen=True)
class Obj:
    """A Python object a name resolves to: a function, class, module or framework idiom."""

    obj: Any


@dataclass(frozen=True)
class Instance:
    """An instance of a known class (``UserSchema()``), for ``schema.load(...)``."""

    cls: Any


@dataclass(frozen=True)
class Kind:
    """A value of a known Python type with unknown content (``str``, ``dict`` ...)."""

    name: str
    keys: tuple[str, ...] = ()  # a dict literal's constant keys (response headers)


@dataclass(frozen=True)
class Length:
    read: Read


@dataclass(frozen=True)
class RequestProxy:
    pass


@dataclass(frozen=True)
class Lambda:
    node: Any  # ast.Lambda or a nested FunctionDef
    frame: Any  # the Frame it was defined in


@dataclass(frozen=True)
class Resp:
    """A response-like value: status (None: 200 unless told), media type ("" = no body)."""

    status: int | None = None
    media: str | None = None
    location: bool = False


@dataclass(frozen=True)
class Tup:
    items: tuple[Any, ...]


@dataclass(frozen=True)
class Alts:
    values: tuple[Any, ...]


class _NotHandled:
    pass


NOT_HANDLED: Any = _NotHandled()


@dataclass(frozen=True)
class RequestMethod:
    name: str


@dataclass(frozen=True)
class BoundMethod:
    instance: Instance
    name: str


@dataclass(frozen=True)
class Stop:
    """The value of a call that never returns (abort): ends the block with this status."""

    status: int | None


@dataclass(frozen=True)
class Predicate:
    formula: c.Formula


_SCALARS = (str, int, float, bool, bytes)


def wrap(obj: Any) -> Any:
    # type(), not isinstance(): a LocalProxy (flask.request) answers isinstance by looking up
    # the proxied object, which costs a context lookup per name.
    kind = type(obj)
    if obj is None or kind in _SCALARS:
        return Const(obj)
    if kind is tuple and all(type(v) in _SCALARS for v in obj):
        return Const(obj)
    if kind is frozenset and all(type(v) in _SCALARS for v in obj):
        return Const(tuple(sorted(obj, key=repr)))
    return Obj(obj)


def join(values: list[Any]) -> Any:
    """The value of a function with these returns: one value, or the alternatives."""
    flat: list[Any] = []
    for value in values:
        for item in value.values if isinstance(value, Alts) else (value,):
            if item not in flat:
                flat.append(item)
    if not flat:
        return Const(None)
    if len(flat) == 1:
        return flat[0]
    return Alts(tuple(flat))


def functions_of(module: str, *names: str) -> dict[int, str]:
    import importlib

    found: dict[int, str] = {}
    try:
        loaded = importlib.import_module(module)
    except ImportError:  # pragma: no cover - stdlib
        return found
    for name in names:
        found[id(getattr(loaded, name))] = name
    return found


REGEX_FUNCTIONS = functions_of("re", "fullmatch", "match", "search")


FINITE = functions_of("math", "isfinite")


JSON_LOADS = functions_of("json", "loads")
