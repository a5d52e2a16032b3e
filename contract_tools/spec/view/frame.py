"""Where the walk is: a ``Frame`` per function walked (names bound, path arguments known set or
unset, keys known present, inside a tolerant ``try``), how a block ends (``Flow``), and
``WalkerBase``: the walker's state and the operations its parts call on one another.

The walker is one class made of parts, each a module named after what it knows: ``walk``
(statements and functions), ``expressions`` (values and calls), ``reads`` (the request),
``checks`` (conditions) and ``answers`` (responses).
"""

from __future__ import annotations

import ast
import builtins
import types
from abc import abstractmethod
from dataclasses import dataclass, field
from typing import Any

from contract_tools.spec import constraints as c
from contract_tools.spec.constraints import Read, Ref
from contract_tools.spec.source_code import OwnCode
from contract_tools.spec.view.reading import Idioms, ViewReading
from contract_tools.spec.view.values import UNKNOWN, BoundMethod, Obj, wrap

MAX_DEPTH = 3
# Walking a helper is cheap; a view that fans out into hundreds of helpers is not worth more.
MAX_CALLS = 64


@dataclass
class Frame:
    function: types.FunctionType
    env: dict[str, Any]
    depth: int
    present: frozenset[str] = frozenset()  # path arguments never None for this rule
    absent: frozenset[str] = frozenset()  # path arguments always None for this rule
    guarded: frozenset[Ref] = frozenset()  # keys known to be present here
    tolerant: bool = False  # inside a try whose handler swallows the error
    returns: list[Any] = field(default_factory=list)

    def lookup(self, name: str) -> Any:
        if name in self.env:
            return self.env[name]
        code = self.function.__code__
        if name in code.co_freevars and self.function.__closure__:
            cell = self.function.__closure__[code.co_freevars.index(name)]
            try:
                return wrap(cell.cell_contents)
            except ValueError:  # an empty cell
                return UNKNOWN
        if name in self.function.__globals__:
            return wrap(self.function.__globals__[name])
        if hasattr(builtins, name):
            return Obj(getattr(builtins, name))
        return UNKNOWN


@dataclass
class Flow:
    """How a block ends: always leaves (return/raise/abort), and with which status if known."""

    ends: bool = False
    status: int | None = None


def guarded(frame: Frame, refs: frozenset[Ref]) -> Frame:
    if not refs:
        return frame
    return Frame(
        frame.function,
        frame.env,
        frame.depth,
        frame.present,
        frame.absent,
        frame.guarded | refs,
        frame.tolerant,
        frame.returns,
    )


def merge_env(frame: Frame, branch: Frame) -> None:
    if branch.env is not frame.env:
        frame.env.update(branch.env)


def conjoin(parts: list[c.Formula]) -> c.Formula:
    return parts[0] if len(parts) == 1 else c.All(tuple(parts))


class WalkerBase:
    """The walker's state; the methods below are defined by the part that owns them."""

    def __init__(self, reading: ViewReading, own: OwnCode, idioms: Idioms) -> None:
        self.reading = reading
        self.own = own
        self.idioms = idioms
        self.calls = 0
        self.stack: list[int] = []

    @abstractmethod
    def block(self, statements: list[ast.stmt], frame: Frame) -> Flow: ...

    @abstractmethod
    def statement(self, node: ast.stmt, frame: Frame, reach: list[c.Formula]) -> Flow: ...

    @abstractmethod
    def call_function(
        self, function: Any, args: list[Any], kwargs: dict[str, Any], depth: int
    ) -> Any: ...

    @abstractmethod
    def _bind(self, node: Any, frame: Frame, args: list[Any], kwargs: dict[str, Any]) -> None: ...

    @abstractmethod
    def _assign(self, target: ast.expr, value: Any, frame: Frame) -> None: ...

    @abstractmethod
    def expr(self, node: ast.expr | None, frame: Frame) -> Any: ...

    @abstractmethod
    def condition(
        self, node: ast.expr, frame: Frame, *, evaluate: bool = True, value: Any = None
    ) -> c.Formula: ...

    @abstractmethod
    def _escape(self, value: Any, how: str, frame: Frame, callee: Any = None) -> None: ...

    @abstractmethod
    def _item_of(self, iterated: Any, frame: Frame) -> Any: ...

    @abstractmethod
    def _exception_status(self, cls: Any, frame: Frame | None) -> int | None: ...

    @abstractmethod
    def _request_attribute(self, attr: str, node: ast.AST, frame: Frame) -> Any: ...

    @abstractmethod
    def _read_method(self, base: Read, name: str, node: ast.Call, frame: Frame) -> Any: ...

    @abstractmethod
    def _request_method(self, name: str, node: ast.Call, frame: Frame) -> Any: ...

    @abstractmethod
    def _model(self, cls: type, args: list[Any], kwargs: dict[str, Any], frame: Frame) -> Any: ...

    @abstractmethod
    def _model_method(self, bound: BoundMethod, args: list[Any], frame: Frame) -> Any: ...

    @abstractmethod
    def _idiom(self, idiom: str, args: list[Any], kwargs: dict[str, Any], frame: Frame) -> Any: ...

    @abstractmethod
    def _body_use(
        self, location: str, *, required: bool, force: bool = False, parsed: bool = False
    ) -> None: ...
