"""What a Flask view does with the request, read from its source: reads, checks and answers.

An unannotated view still says ``request.args.get("limit", type=int, default=10)``, ``data =
request.get_json(silent=True)``, ``if not isinstance(data, dict): abort(400)`` and ``return
jsonify(book), 201``. The view's syntax tree is walked once, with a small symbolic evaluation:
names are followed through assignments, and calls into the app's own package (wherever it is
installed) are walked with their arguments bound, a few levels deep. It is inference, not proof:
what cannot be followed (a library that reads the body, a loop over ``request.args``) is
recorded as such, so the draft can say what it cannot see instead of guessing.

Nothing here imports or runs user code: globals are looked up, never called. The framework's
own objects (``flask.abort``, ``flask.request`` ...) are recognised by identity through an
``Idioms`` table that ``spec/flask/operations.py`` fills in.

This module walks statements and functions; the parts it is made of say what expressions
evaluate to (``expressions``), what a read of the request is (``reads``), what a check is
(``checks``) and what an answer is (``answers``).
"""

from __future__ import annotations

import ast
import types
from typing import Any

from contract_tools.spec import constraints as c
from contract_tools.spec.source_code import OwnCode, function_nodes, qualified_name, unwrap
from contract_tools.spec.view.answers import Answers, is_location, response_attribute, status_of
from contract_tools.spec.view.checks import Checks, present_refs
from contract_tools.spec.view.expressions import Expressions
from contract_tools.spec.view.frame import (
    MAX_CALLS,
    MAX_DEPTH,
    Flow,
    Frame,
    conjoin,
    guarded,
    merge_env,
)
from contract_tools.spec.view.reading import Idioms, ReadParameter, ViewReading, parameters_of
from contract_tools.spec.view.reads import Reads
from contract_tools.spec.view.values import UNKNOWN, Const, Lambda, Obj, Resp, Stop, Tup, join

_BAD_REQUEST = frozenset({400, 422})


def read_view(
    function: Any,
    path_arguments: frozenset[str] = frozenset(),
    idioms: Idioms | None = None,
) -> ViewReading:
    """Walk ``function`` (a view or a MethodView method) and what it calls in its own package.

    ``path_arguments`` are the variables the rule routes with: one MethodView method often
    serves a list rule and an item rule (``if book_id is None: ...``), and a branch that cannot
    run for this rule (its argument is always set, or never is) is not read.
    """
    reading = ViewReading()
    function = unwrap(function)
    own = OwnCode.of(function)
    if own is None or not function_nodes(function):
        return reading
    reading.readable = True
    walker = Walker(reading, own, idioms or Idioms({}))
    try:
        walker.view(function, path_arguments)
    except Exception as exc:  # user objects are strange; a draft must never fail on one view
        failed = ViewReading()
        failed.failure = f"{qualified_name(function)}: {type(exc).__name__}: {exc}"[:300]
        return failed
    return reading


def read_parameters(
    function: Any, path_arguments: frozenset[str] = frozenset()
) -> list[ReadParameter]:
    """Query parameters and headers ``function`` reads, in first-read order."""
    return parameters_of(read_view(function, path_arguments))


class Walker(Expressions, Reads, Checks, Answers):
    """Statements and functions; expressions, reads, checks and answers come from the parts."""

    def view(self, function: types.FunctionType, path_arguments: frozenset[str]) -> None:
        optional = _none_default_parameters(function)
        frame = Frame(
            function,
            {},
            0,
            present=path_arguments & optional,
            absent=optional - path_arguments,
        )
        self.stack.append(id(function))
        for node in function_nodes(function):
            self._bind_defaults(node, frame)
            self._body(node, frame)
        self.stack.pop()
        for value in frame.returns:
            for outcome in self._answers(value):
                self.reading.outcome(outcome)

    def call_function(
        self, function: Any, args: list[Any], kwargs: dict[str, Any], depth: int
    ) -> Any:
        """Walk an own-package function with its arguments bound; its return value."""
        function = unwrap(function)
        if (
            not self.own.owns(function)
            or depth > MAX_DEPTH
            or id(function) in self.stack
            or self.calls >= MAX_CALLS
        ):
            return None
        nodes = function_nodes(function)
        if not nodes:
            return None
        self.calls += 1
        frame = Frame(function, {}, depth)
        self.stack.append(id(function))
        try:
            for node in nodes:
                self._bind(node, frame, args, kwargs)
                self._body(node, frame)
        finally:
            self.stack.pop()
        return join(frame.returns)

    def _bind_defaults(self, node: Any, frame: Frame) -> None:
        arguments = getattr(node, "args", None)
        if arguments is None:
            return
        for arg in [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]:
            frame.env.setdefault(arg.arg, UNKNOWN)

    def _bind(self, node: Any, frame: Frame, args: list[Any], kwargs: dict[str, Any]) -> None:
        arguments = node.args
        positional = [*arguments.posonlyargs, *arguments.args]
        defaults = arguments.defaults
        first_default = len(positional) - len(defaults)
        for index, arg in enumerate(positional):
            if index < len(args):
                frame.env[arg.arg] = args[index]
            elif arg.arg in kwargs:
                frame.env[arg.arg] = kwargs[arg.arg]
            elif index >= first_default:
                frame.env[arg.arg] = self.expr(defaults[index - first_default], frame)
            else:
                frame.env[arg.arg] = UNKNOWN
        for arg, default in zip(arguments.kwonlyargs, arguments.kw_defaults, strict=True):
            if arg.arg in kwargs:
                frame.env[arg.arg] = kwargs[arg.arg]
            elif default is not None:
                frame.env[arg.arg] = self.expr(default, frame)
            else:
                frame.env[arg.arg] = UNKNOWN

    def _body(self, node: Any, frame: Frame) -> None:
        if isinstance(node, ast.Lambda):
            frame.returns.append(self.expr(node.body, frame))
            return
        self.block(node.body, frame)

    def block(self, statements: list[ast.stmt], frame: Frame) -> Flow:
        reach: list[c.Formula] = []  # conditions under which execution got this far
        for statement in statements:
            flow = self.statement(statement, frame, reach)
            if flow.ends:
                if flow.status in _BAD_REQUEST and reach:
                    self._guard(conjoin(reach), flow.status, statement, frame)
                return flow
        return Flow()

    def statement(self, node: ast.stmt, frame: Frame, reach: list[c.Formula]) -> Flow:
        if isinstance(node, ast.If):
            return self._if(node, frame, reach)
        if isinstance(node, ast.Return):
            value = self.expr(node.value, frame) if node.value is not None else Const(None)
            frame.returns.append(value)
            return Flow(True, status_of(value))
        if isinstance(node, ast.Raise):
            return self._raise(node, frame)
        if isinstance(node, ast.Assign):
            value = self.expr(node.value, frame)
            for target in node.targets:
                self._assign(target, value, frame)
            return Flow()
        if isinstance(node, ast.AnnAssign):
            if node.value is not None:
                self._assign(node.target, self.expr(node.value, frame), frame)
            return Flow()
        if isinstance(node, ast.AugAssign):
            self.expr(node.value, frame)
            if isinstance(node.target, ast.Name):
                frame.env[node.target.id] = UNKNOWN
            return Flow()
        if isinstance(node, ast.Expr):
            return self._expression_statement(node.value, frame)
        if isinstance(node, ast.Try) or type(node).__name__ == "TryStar":
            return self._try(node, frame)
        if isinstance(node, (ast.For, ast.AsyncFor)):
            iterated = self.expr(node.iter, frame)
            self._assign(node.target, self._item_of(iterated, frame), frame)
            self.block(node.body, frame)
            self.block(node.orelse, frame)
            return Flow()
        if isinstance(node, ast.While):
            self.condition(node.test, frame)
            self.block(node.body, frame)
            self.block(node.orelse, frame)
            return Flow()
        if isinstance(node, (ast.With, ast.AsyncWith)):
            for item in node.items:
                value = self.expr(item.context_expr, frame)
                if item.optional_vars is not None:
                    self._assign(item.optional_vars, value, frame)
            return self.block(node.body, frame)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            frame.env[node.name] = Lambda(node, frame)
            return Flow()
        if isinstance(node, ast.Match):
            self.expr(node.subject, frame)
            for case in node.cases:
                self.block(case.body, frame)
            return Flow()
        return Flow()

    def _expression_statement(self, node: ast.expr, frame: Frame) -> Flow:
        value = self.expr(node, frame)
        if isinstance(value, Stop):
            return Flow(True, value.status)
        return Flow()

    def _assign(self, target: ast.expr, value: Any, frame: Frame) -> None:
        if isinstance(target, ast.Name):
            frame.env[target.id] = value
        elif isinstance(target, (ast.Tuple, ast.List)):
            items = value.items if isinstance(value, Tup) else ()
            for index, element in enumerate(target.elts):
                item = items[index] if index < len(items) else UNKNOWN
                self._assign(element, item, frame)
        elif isinstance(target, ast.Attribute):
            base = self.expr(target.value, frame)
            if isinstance(target.value, ast.Name) and isinstance(base, Resp):
                frame.env[target.value.id] = response_attribute(base, target.attr, value)
            else:
                self._escape(value, "stored on an object", frame)
        elif isinstance(target, ast.Subscript):
            self._subscript_store(target, value, frame)

    def _subscript_store(self, target: ast.Subscript, value: Any, frame: Frame) -> None:
        # resp.headers["Location"] = url
        holder = target.value
        if (
            isinstance(holder, ast.Attribute)
            and holder.attr == "headers"
            and isinstance(holder.value, ast.Name)
        ):
            base = frame.env.get(holder.value.id)
            key = self.expr(target.slice, frame)
            if isinstance(base, Resp) and isinstance(key, Const) and is_location(key.value):
                frame.env[holder.value.id] = Resp(base.status, base.media, True)
                return
        self.expr(target.value, frame)
        self.expr(target.slice, frame)
        self._escape(value, "stored in a container", frame)

    def _if(self, node: ast.If, frame: Frame, reach: list[c.Formula]) -> Flow:
        pruned = _none_test(node.test)
        if pruned is not None:
            name, when_none = pruned
            if name in frame.present:
                return self.block(node.orelse if when_none else node.body, frame)
            if name in frame.absent:
                return self.block(node.body if when_none else node.orelse, frame)
        test = self.condition(node.test, frame)
        body_frame = guarded(frame, present_refs(test))
        body = self.block(node.body, body_frame)
        merge_env(frame, body_frame)
        else_frame = guarded(frame, present_refs(c.negate(test)))
        orelse = self.block(node.orelse, else_frame)
        merge_env(frame, else_frame)
        if body.status in _BAD_REQUEST and orelse.status != body.status:
            self._guard(conjoin([*reach, test]), body.status, node, frame)
        if orelse.status in _BAD_REQUEST and body.status != orelse.status:
            self._guard(conjoin([*reach, c.Not(test)]), orelse.status, node, frame)
        if body.ends and orelse.ends:
            return Flow(True, body.status if body.status == orelse.status else None)
        if body.ends and body.status not in _BAD_REQUEST:
            reach.append(c.Not(test))  # the rest of this block runs only when test was false
        elif orelse.ends and orelse.status not in _BAD_REQUEST and node.orelse:
            reach.append(test)
        return Flow()

    def _raise(self, node: ast.Raise, frame: Frame) -> Flow:
        if node.exc is None:
            return Flow(True)
        exc = node.exc
        target = exc.func if isinstance(exc, ast.Call) else exc
        if isinstance(exc, ast.Call):
            for arg in exc.args:
                self.expr(arg, frame)
        value = self.expr(target, frame)
        cls = value.obj if isinstance(value, Obj) else None
        status = self._exception_status(cls, frame)
        return Flow(True, status)

    def _try(self, node: Any, frame: Frame) -> Flow:
        handlers = [self._handler_flow(h, frame) for h in node.handlers]
        catches = [_caught(h, frame) for h in node.handlers]
        # A handler that carries on (or answers a success) makes a failed read harmless.
        swallowing = [
            flow
            for flow, caught in zip(handlers, catches, strict=True)
            if caught and not (flow.ends and (flow.status is None or flow.status >= 400))
        ]
        inner = Frame(
            frame.function,
            frame.env,
            frame.depth,
            frame.present,
            frame.absent,
            frame.guarded,
            frame.tolerant or bool(swallowing),
            frame.returns,
        )
        body = self.block(node.body, inner)
        self.block(node.orelse, frame)
        final = self.block(getattr(node, "finalbody", []), frame)
        if final.ends:
            return final
        if body.ends and all(h.ends for h in handlers):
            statuses = {body.status, *(h.status for h in handlers)}
            return Flow(True, statuses.pop() if len(statuses) == 1 else None)
        return Flow()

    def _handler_flow(self, handler: ast.ExceptHandler, frame: Frame) -> Flow:
        if handler.name:
            frame.env[handler.name] = UNKNOWN
        return self.block(handler.body, frame)


def _none_default_parameters(function: types.FunctionType) -> frozenset[str]:
    """Parameters whose default is None, read off the code object (inspect.signature is slow)."""
    code = function.__code__
    positional = code.co_varnames[: code.co_argcount]
    defaults = function.__defaults__ or ()
    found = {
        name
        for name, default in zip(
            positional[len(positional) - len(defaults) :], defaults, strict=True
        )
        if default is None
    }
    found.update(k for k, v in (function.__kwdefaults__ or {}).items() if v is None)
    return frozenset(found)


def _none_test(test: ast.AST) -> tuple[str, bool] | None:
    """``X is None`` -> (X, True); ``X is not None`` -> (X, False); anything else -> None."""
    if (
        isinstance(test, ast.Compare)
        and isinstance(test.left, ast.Name)
        and len(test.ops) == 1
        and isinstance(test.comparators[0], ast.Constant)
        and test.comparators[0].value is None
    ):
        if isinstance(test.ops[0], ast.Is):
            return test.left.id, True
        if isinstance(test.ops[0], ast.IsNot):
            return test.left.id, False
    return None


def _caught(handler: ast.ExceptHandler, frame: Frame) -> bool:
    """Does the handler catch what a missing key or a failed conversion raises?"""
    if handler.type is None:
        return True
    names = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    for name in names:
        text = ast.unparse(name).rsplit(".", 1)[-1]
        if text in (
            "Exception",
            "KeyError",
            "ValueError",
            "TypeError",
            "BadRequestKeyError",
            "LookupError",
            "BaseException",
        ):
            return True
    return False
