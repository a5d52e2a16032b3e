"""What an expression evaluates to, symbolically: names, attributes, subscripts, literals, and
calls (the app's own functions walked with their arguments bound, local functions and lambdas,
the framework's idioms). A request value handed to code the draft cannot read escapes.
"""

from __future__ import annotations

import ast
import inspect
import types
from typing import Any

from contract_tools.spec import constraints as c
from contract_tools.spec.constraints import Read, Ref
from contract_tools.spec.source_code import function_nodes, unwrap
from contract_tools.spec.view.checks import present_refs
from contract_tools.spec.view.frame import MAX_CALLS, MAX_DEPTH, Frame, WalkerBase, guarded
from contract_tools.spec.view.reading import Outcome
from contract_tools.spec.view.reads import is_request, model_library
from contract_tools.spec.view.values import (
    JSON_LOADS,
    NOT_HANDLED,
    REGEX_FUNCTIONS,
    UNKNOWN,
    BoundMethod,
    Const,
    Instance,
    Kind,
    Lambda,
    Length,
    Obj,
    RequestMethod,
    Resp,
    Stop,
    Tup,
    join,
    wrap,
)

_SAFE_SINKS = frozenset({"print", "repr", "str", "len", "isinstance", "bool", "type", "id"})
_EMPTY = {"dict": {}, "list": [], "str": ""}
_CONVERSIONS: dict[int, str | None] = {
    id(int): "integer",
    id(float): "number",
    id(str): None,
    id(bool): None,
}


class Expressions(WalkerBase):
    """Values of expressions and calls."""

    def expr(self, node: ast.expr | None, frame: Frame) -> Any:
        if node is None:
            return UNKNOWN
        if isinstance(node, ast.Constant):
            return Const(node.value)
        if isinstance(node, ast.Name):
            return frame.lookup(node.id)
        if isinstance(node, ast.Attribute):
            return self._attribute(node, frame)
        if isinstance(node, ast.Subscript):
            return self._subscript(node, frame)
        if isinstance(node, ast.Call):
            return self.call(node, frame)
        if isinstance(node, ast.Tuple):
            return Tup(tuple(self.expr(e, frame) for e in node.elts))
        if isinstance(node, (ast.List, ast.Set)) and all(
            isinstance(e, ast.Constant) for e in node.elts
        ):
            return Const(tuple(e.value for e in node.elts))  # type: ignore[attr-defined]
        if isinstance(node, (ast.List, ast.ListComp, ast.Set, ast.SetComp, ast.GeneratorExp)):
            self._children(node, frame)
            return Kind("list")
        if isinstance(node, (ast.Dict, ast.DictComp)):
            self._children(node, frame)
            keys = tuple(
                k.value
                for k in getattr(node, "keys", ())
                if isinstance(k, ast.Constant) and isinstance(k.value, str)
            )
            return Kind("dict", keys)
        if isinstance(node, ast.JoinedStr):
            self._children(node, frame)
            return Kind("str")
        if isinstance(node, ast.BoolOp):
            return self._bool_value(node, frame)
        if isinstance(node, ast.IfExp):
            test = self.condition(node.test, frame)
            body = self.expr(node.body, guarded(frame, present_refs(test)))
            orelse = self.expr(node.orelse, guarded(frame, present_refs(c.negate(test))))
            return join([body, orelse])
        if isinstance(node, ast.Lambda):
            return Lambda(node, frame)
        if isinstance(node, ast.Compare) or (
            isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not)
        ):
            self.condition(node, frame)
            return UNKNOWN
        if isinstance(node, ast.UnaryOp):
            operand = self.expr(node.operand, frame)
            if isinstance(operand, Const) and isinstance(operand.value, (int, float)):
                return Const(-operand.value if isinstance(node.op, ast.USub) else operand.value)
            return UNKNOWN
        if isinstance(node, ast.NamedExpr):
            value = self.expr(node.value, frame)
            frame.env[node.target.id] = value
            return value
        if isinstance(node, ast.BinOp):
            left = self.expr(node.left, frame)
            self.expr(node.right, frame)
            if isinstance(left, (Const, Kind)) and isinstance(node.op, ast.Mod):
                return Kind("str")  # "%s" % x
            return UNKNOWN
        if isinstance(node, ast.Await):
            return self.expr(node.value, frame)
        if isinstance(node, ast.Starred):
            value = self.expr(node.value, frame)
            self._escape(value, "unpacked", frame)
            return UNKNOWN
        self._children(node, frame)
        return UNKNOWN

    def _children(self, node: ast.AST, frame: Frame) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.expr):
                self.expr(child, frame)
            elif isinstance(child, ast.comprehension):
                iterated = self.expr(child.iter, frame)
                self._assign(child.target, self._item_of(iterated, frame), frame)
                for test in child.ifs:
                    self.condition(test, frame)

    def _bool_value(self, node: ast.BoolOp, frame: Frame) -> Any:
        values = []
        guards: frozenset[Ref] = frozenset()
        for operand in node.values:
            sub = guarded(frame, guards)
            values.append(self.expr(operand, sub))
            if isinstance(node.op, ast.And):
                guards = guards | present_refs(self._formula_of_value(values[-1], operand, sub))
        if isinstance(node.op, ast.Or) and isinstance(values[0], Read) and len(values) == 2:
            fallback = values[1]
            # get_json(silent=True) or {}: missing or falsy gives the fallback
            if isinstance(fallback, (Kind, Const)):
                default = (
                    fallback.value if isinstance(fallback, Const) else _EMPTY.get(fallback.name)
                )
                return Read(values[0].ref, default, values[0].convert)
        return join(values) if isinstance(node.op, ast.Or) else values[-1]

    def _formula_of_value(self, value: Any, node: ast.expr, frame: Frame) -> c.Formula:
        return self.condition(node, frame, evaluate=False, value=value)

    def _attribute(self, node: ast.Attribute, frame: Frame) -> Any:
        base = self.expr(node.value, frame)
        attr = node.attr
        if is_request(base, node.value, self.idioms):
            return self._request_attribute(attr, node, frame)
        if isinstance(base, Obj):
            obj = base.obj
            if isinstance(obj, (types.ModuleType, type)):
                try:
                    found = _static_attribute(obj, attr)
                except AttributeError:
                    return UNKNOWN
                return wrap(found)
            return UNKNOWN
        if isinstance(base, Read) and attr in ("data", "json") and base.ref.location == "json":
            return base
        return UNKNOWN

    def _subscript(self, node: ast.Subscript, frame: Frame) -> Any:
        base = self.expr(node.value, frame)
        key = self.expr(node.slice, frame)
        if isinstance(base, Read):
            if isinstance(key, Const) and isinstance(key.value, (str, int)):
                read = Read(base.ref.child(key.value))
                guarded = read.ref in frame.guarded
                self.reading.table.read(read, required=not guarded, tolerant=frame.tolerant)
                at_root = not base.ref.path and base.ref.location in ("query", "form", "files")
                if at_root and not guarded and not frame.tolerant:
                    # a missing key is Werkzeug's BadRequestKeyError: a 400
                    self.reading.outcome(Outcome(400, aborted=True))
                return read
            self._escape(base, "read with a computed key", frame)
            return UNKNOWN
        if isinstance(base, Tup) and isinstance(key, Const) and isinstance(key.value, int):
            try:
                return base.items[key.value]
            except IndexError:
                return UNKNOWN
        return UNKNOWN

    def call(self, node: ast.Call, frame: Frame) -> Any:
        func = node.func
        if isinstance(func, ast.Attribute):
            base = self.expr(func.value, frame)
            method = self._method(base, func, node, frame)
            if method is not NOT_HANDLED:
                return method
            callee = self._attribute_of_value(base, func.attr)
        else:
            callee = self.expr(func, frame)
        args = [self.expr(a, frame) for a in node.args]
        kwargs = {k.arg: self.expr(k.value, frame) for k in node.keywords if k.arg}
        for keyword in node.keywords:
            if keyword.arg is None:  # **data
                self._escape(self.expr(keyword.value, frame), "unpacked with **", frame, callee)
        return self._call_value(callee, args, kwargs, node, frame)

    def _attribute_of_value(self, base: Any, attr: str) -> Any:
        if isinstance(base, Obj) and model_library(base.obj) is not None:
            return BoundMethod(Instance(base.obj), attr)
        if isinstance(base, Obj) and isinstance(base.obj, (types.ModuleType, type)):
            try:
                return wrap(_static_attribute(base.obj, attr))
            except AttributeError:
                return UNKNOWN
        if isinstance(base, Instance):
            return BoundMethod(base, attr)
        return UNKNOWN

    def _method(self, base: Any, func: ast.Attribute, node: ast.Call, frame: Frame) -> Any:
        name = func.attr
        if isinstance(base, Read):
            return self._read_method(base, name, node, frame)
        if isinstance(base, Resp) and name in ("set_cookie", "delete_cookie"):
            return Const(None)
        if isinstance(base, Obj) and isinstance(base.obj, RequestMethod):
            return self._request_method(base.obj.name, node, frame)
        if is_request(base, func.value, self.idioms) and name in ("get_json", "get_data"):
            return self._request_method(name, node, frame)
        return NOT_HANDLED

    def _call_value(
        self, callee: Any, args: list[Any], kwargs: dict[str, Any], node: ast.Call, frame: Frame
    ) -> Any:
        if isinstance(callee, BoundMethod):
            return self._model_method(callee, args, frame)
        if isinstance(callee, Lambda):
            return self._call_local(callee, args, kwargs, frame)
        if not isinstance(callee, Obj):
            for value in [*args, *kwargs.values()]:
                self._escape(value, "passed to code the draft cannot read", frame)
            return UNKNOWN
        obj = callee.obj
        idiom = self.idioms.name_of(obj)
        if idiom is not None:
            return self._idiom(idiom, args, kwargs, frame)
        if id(obj) in _CONVERSIONS and args and isinstance(args[0], Read):
            read = args[0]
            convert = _CONVERSIONS[id(obj)]
            if convert:
                self.reading.table.converted(read, convert, falls_back=frame.tolerant)
            return Read(read.ref, read.default, convert or read.convert)
        if obj is len and args and isinstance(args[0], Read):
            return Length(args[0])
        json_of_data = args and isinstance(args[0], Read) and args[0].ref.location == "data"
        if id(obj) in JSON_LOADS and json_of_data:
            self._body_use("json", required=True, force=True, parsed=True)
            return Read(Ref("json"))
        if isinstance(obj, type):
            model = self._model(obj, args, kwargs, frame)
            if model is not None:
                return model
            status = None
            http = self.idioms.http_exception
            if http is not None and issubclass(obj, http):
                return Instance(obj)
            for value in [*args, *kwargs.values()]:
                self._escape(value, f"passed to {obj.__name__}", frame)
            return Instance(obj) if status is None else UNKNOWN
        if isinstance(obj, types.FunctionType) and self.own.owns(unwrap(obj)):
            before = len(self.reading.outcomes)
            returned = self.call_function(obj, args, kwargs, frame.depth + 1)
            if returned is None:
                for value in [*args, *kwargs.values()]:
                    self._escape(value, f"passed to {obj.__name__}", frame)
                return UNKNOWN
            stop = self._always_stops(obj, before)
            if stop is not None:
                return stop
            return returned
        name = _plain_name(obj)
        if id(obj) in REGEX_FUNCTIONS:
            return UNKNOWN  # a match object; as a condition see _call_condition
        if name in _SAFE_SINKS or _plain_module(obj) == "logging":
            return Kind("str") if name in ("str", "repr") else UNKNOWN
        for value in [*args, *kwargs.values()]:
            self._escape(value, f"passed to {name or 'a callable'}", frame)
        return UNKNOWN

    def _always_stops(self, function: Any, before: int) -> Any:
        """A helper with no return that ends in abort (``json_error(409, ...)``): it stops."""
        function = unwrap(function)
        nodes = function_nodes(function)
        if len(nodes) != 1 or isinstance(nodes[0], ast.Lambda):
            return None
        body = nodes[0].body
        if any(isinstance(n, ast.Return) for n in ast.walk(nodes[0])):
            return None
        last = body[-1] if body else None
        if not isinstance(last, (ast.Expr, ast.Raise)):
            return None
        new = self.reading.outcomes[before:]
        statuses = {o.status for o in new}
        return Stop(statuses.pop() if len(statuses) == 1 else None)

    def _call_local(
        self, callee: Lambda, args: list[Any], kwargs: dict[str, Any], frame: Frame
    ) -> Any:
        node = callee.node
        defining: Frame = callee.frame
        # A lambda or nested def is code of the function that defined it, one level below it;
        # the stack stops one that calls itself (pgAdmin has such local recursions).
        if defining.depth >= MAX_DEPTH or id(node) in self.stack or self.calls >= MAX_CALLS:
            return UNKNOWN
        self.calls += 1
        inner = Frame(defining.function, dict(defining.env), defining.depth + 1, returns=[])
        self._bind(node, inner, args, kwargs)
        self.stack.append(id(node))
        try:
            if isinstance(node, ast.Lambda):
                return self.expr(node.body, inner)
            self.block(node.body, inner)
        finally:
            self.stack.pop()
        return join(inner.returns)


_CALLABLE_TYPES = (
    types.FunctionType,
    types.BuiltinFunctionType,
    types.MethodType,
    types.BuiltinMethodType,
)


def _plain_name(obj: Any) -> str:
    """A function's or class's name; "" for anything else (a LocalProxy would evaluate itself,
    and may raise outside a request)."""
    if type(obj) in _CALLABLE_TYPES or isinstance(obj, type):
        return str(obj.__name__)
    return ""


def _plain_module(obj: Any) -> str:
    if type(obj) in _CALLABLE_TYPES or isinstance(obj, type):
        return str(getattr(obj, "__module__", "") or "")
    return ""


def _static_attribute(obj: Any, attr: str) -> Any:
    """A module's or class's attribute without running descriptors or ``__getattr__``."""

    return inspect.getattr_static(obj, attr)
