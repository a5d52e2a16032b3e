"""What a check is: a test expression (``not isinstance(data, dict)``, ``len(name) > 80``,
``re.fullmatch(p, x) is None``, a check function of the app's own) as a formula over the values
read (``constraints``), which ``walk`` negates into what every valid request satisfies when the
check answers 400.
"""

from __future__ import annotations

import ast
import numbers
import types
from typing import Any

from contract_tools.spec import constraints as c
from contract_tools.spec.constraints import Read, Ref
from contract_tools.spec.source_code import function_nodes, qualified_name, unwrap
from contract_tools.spec.view.frame import MAX_DEPTH, Frame, WalkerBase, guarded
from contract_tools.spec.view.values import (
    FINITE,
    REGEX_FUNCTIONS,
    Const,
    Lambda,
    Length,
    Obj,
    Predicate,
    Tup,
)


class Checks(WalkerBase):
    """Conditions as formulas."""

    def condition(
        self, node: ast.expr, frame: Frame, *, evaluate: bool = True, value: Any = None
    ) -> c.Formula:
        """The formula a test expression stands for; its reads are recorded on the way."""
        if isinstance(node, ast.BoolOp):
            parts: list[c.Formula] = []
            guards: frozenset[Ref] = frozenset()
            for operand in node.values:
                sub = guarded(frame, guards)
                part = self.condition(operand, sub, evaluate=evaluate)
                parts.append(part)
                if isinstance(node.op, ast.And):
                    guards = guards | present_refs(part)
                else:
                    guards = guards | present_refs(c.negate(part))
            return c.All(tuple(parts)) if isinstance(node.op, ast.And) else c.AnyOf(tuple(parts))
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            return c.Not(self.condition(node.operand, frame, evaluate=evaluate))
        if isinstance(node, ast.Compare):
            return self._compare(node, frame)
        if isinstance(node, ast.Call):
            formula = self._call_condition(node, frame)
            if formula is not None:
                return formula
        if value is None:
            value = self.expr(node, frame)
        if isinstance(value, Read):
            return c.Atom("truthy", value)
        if isinstance(value, Predicate):
            return value.formula
        return c.Opaque(ast.unparse(node))

    def _compare(self, node: ast.Compare, frame: Frame) -> c.Formula:
        if (
            len(node.ops) == 1
            and isinstance(node.ops[0], (ast.Is, ast.IsNot))
            and isinstance(node.left, ast.Call)
            and isinstance(node.comparators[0], ast.Constant)
            and node.comparators[0].value is None
        ):
            # re.fullmatch(p, x) is not None
            matched = self._call_condition(node.left, frame)
            if matched is not None:
                return matched if isinstance(node.ops[0], ast.IsNot) else c.Not(matched)
        operands = [self.expr(node.left, frame)]
        operands += [self.expr(e, frame) for e in node.comparators]
        parts: list[c.Formula] = []
        for index, op in enumerate(node.ops):
            left, right = operands[index], operands[index + 1]
            parts.append(_comparison(left, op, right) or c.Opaque(ast.unparse(node)))
        return parts[0] if len(parts) == 1 else c.All(tuple(parts))

    def _call_condition(self, node: ast.Call, frame: Frame) -> c.Formula | None:
        func = node.func
        # x.isdigit(), re.fullmatch(p, x) ...
        if isinstance(func, ast.Attribute) and func.attr in c.STRING_PREDICATES and not node.args:
            base = self.expr(func.value, frame)
            if isinstance(base, Read):
                return c.Atom("chars", base, c.STRING_PREDICATES[func.attr])
        callee = self.expr(func, frame)
        if isinstance(callee, Obj):
            obj = callee.obj
            if obj is isinstance and len(node.args) == 2:
                value = self.expr(node.args[0], frame)
                kinds = _kinds_of(self.expr(node.args[1], frame))
                if isinstance(value, Read) and kinds is not None:
                    return c.Atom("kinds", value, kinds)
                return None
            how = REGEX_FUNCTIONS.get(id(obj))
            if how is not None and len(node.args) >= 2 and not node.keywords:
                pattern = self.expr(node.args[0], frame)
                value = self.expr(node.args[1], frame)
                if isinstance(value, Read) and isinstance(pattern, Const):
                    regex = c.regex_for(str(pattern.value), how)
                    if regex is not None and len(node.args) == 2:
                        return c.Atom("match", value, regex)
                return None
            if obj is bool and len(node.args) == 1:
                value = self.expr(node.args[0], frame)
                if isinstance(value, Read):
                    return c.Atom("truthy", value)
            if id(obj) in FINITE and node.args:
                value = self.expr(node.args[0], frame)
                if isinstance(value, Read):
                    return c.TRUE  # JSON numbers are finite; only non-standard input is not
            if isinstance(obj, types.FunctionType) and self.own.owns(unwrap(obj)):
                args = [self.expr(a, frame) for a in node.args]
                if any(isinstance(a, Read) for a in args):
                    formula = self._predicate(unwrap(obj), args, frame)
                    if formula is not None:
                        return formula
        if isinstance(callee, Lambda):
            args = [self.expr(a, frame) for a in node.args]
            if any(isinstance(a, Read) for a in args):
                return self._local_predicate(callee, args, frame)
        return None

    def _predicate(self, function: Any, args: list[Any], frame: Frame) -> c.Formula | None:
        """A check function (``is_int(value)``) as a formula over its arguments."""
        nodes = function_nodes(function)
        if len(nodes) != 1 or frame.depth >= MAX_DEPTH or id(function) in self.stack:
            return None
        inner = Frame(function, {}, frame.depth + 1)
        self.stack.append(id(function))
        try:
            self._bind(nodes[0], inner, args, {})
            return self._predicate_body(nodes[0], inner)
        finally:
            self.stack.pop()

    def _local_predicate(self, callee: Lambda, args: list[Any], frame: Frame) -> c.Formula:
        defining: Frame = callee.frame
        if defining.depth >= MAX_DEPTH or id(callee.node) in self.stack:
            return c.Opaque("a check the draft cannot read")
        inner = Frame(defining.function, dict(defining.env), defining.depth + 1)
        self._bind(callee.node, inner, args, {})
        self.stack.append(id(callee.node))
        try:
            formula = self._predicate_body(callee.node, inner)
        finally:
            self.stack.pop()
        return formula if formula is not None else c.Opaque("a check the draft cannot read")

    def _predicate_body(self, node: Any, frame: Frame) -> c.Formula | None:
        if isinstance(node, ast.Lambda):
            return self.condition(node.body, frame)
        conjuncts: list[c.Formula] = []
        for statement in node.body:
            if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant):
                continue  # docstring
            if isinstance(statement, ast.Return) and statement.value is not None:
                returned = statement.value
                if isinstance(returned, ast.Constant) and isinstance(returned.value, bool):
                    final: c.Formula = c.TRUE if returned.value else c.FALSE
                else:
                    final = self.condition(returned, frame)
                return c.All((*conjuncts, final)) if conjuncts else final
            if (
                isinstance(statement, ast.If)
                and not statement.orelse
                and len(statement.body) == 1
                and isinstance(statement.body[0], ast.Return)
                and isinstance(statement.body[0].value, ast.Constant)
                and isinstance(statement.body[0].value.value, bool)
            ):
                test = self.condition(statement.test, frame)
                if statement.body[0].value.value:
                    rest = self._predicate_body(
                        ast.FunctionDef(
                            name="rest",
                            args=node.args,
                            body=node.body[node.body.index(statement) + 1 :],
                            decorator_list=[],
                        ),
                        frame,
                    )
                    if rest is None:
                        return None
                    tail = c.AnyOf((test, rest))
                    return c.All((*conjuncts, tail)) if conjuncts else tail
                conjuncts.append(c.Not(test))
                continue
            if isinstance(statement, ast.Assign):
                self.statement(statement, frame, [])
                continue
            return None
        return None

    def _guard(self, condition: c.Formula, status: int | None, node: ast.AST, frame: Frame) -> None:
        """A bad-request answer when ``condition`` holds: valid requests satisfy its negation."""
        text = ast.unparse(node.test if isinstance(node, ast.If) else node)
        if len(text) > 100:
            text = text[:97] + "..."
        where = f"{qualified_name(frame.function)}:{getattr(node, 'lineno', 0)}"
        note = f"{where}: {status} when {text}"
        valid = c.negate(condition)
        if not c.mentions_request(condition):
            self.reading.table.notes.append(note)
            return
        self.reading.table.require(valid, note)


def _kinds_of(value: Any) -> frozenset[str] | None:
    """``isinstance(x, (int, float))`` -> the JSON kinds those classes admit."""
    items = value.items if isinstance(value, Tup) else (value,)
    kinds: set[str] = set()
    for item in items:
        if not isinstance(item, Obj):
            return None
        cls = item.obj
        if cls is type(None):
            kinds.add("null")
        elif cls is bool:
            kinds.add("boolean")
        elif cls is int or cls is numbers.Integral:
            kinds.update({"integer", "boolean"})
        elif cls is float:
            kinds.add("float")
        elif cls in (numbers.Number, numbers.Real):
            kinds.update({"integer", "boolean", "float"})
        elif cls is str:
            kinds.add("string")
        elif cls is list:
            kinds.add("array")
        elif cls is dict:
            kinds.add("object")
        elif cls in (tuple, set, bytes):
            continue  # JSON never decodes to these
        else:
            import collections.abc as abc

            if cls in (abc.Mapping, abc.MutableMapping):
                kinds.add("object")
            elif cls in (abc.Sequence, abc.MutableSequence):
                kinds.update({"array", "string"})
            else:
                return None
    return frozenset(kinds)


_OPERATORS = {
    ast.Lt: "<",
    ast.LtE: "<=",
    ast.Gt: ">",
    ast.GtE: ">=",
    ast.Eq: "==",
    ast.NotEq: "!=",
}


_REVERSED = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!="}


def _comparison(left: Any, op: ast.cmpop, right: Any) -> c.Formula | None:
    if isinstance(op, (ast.In, ast.NotIn)):
        formula: c.Formula | None = None
        if isinstance(left, Const) and isinstance(right, Read) and isinstance(left.value, str):
            formula = c.Atom("present", Read(right.ref.child(left.value)))
        elif isinstance(left, Read) and isinstance(right, (Const, Tup)):
            if isinstance(right, Tup):
                if not all(isinstance(item, Const) for item in right.items):
                    return None
                right = Const(tuple(item.value for item in right.items))
            values = right.value
            if isinstance(values, (tuple, list, frozenset, set)):
                formula = c.Atom("member", left, tuple(values))
        if formula is None:
            return None
        return c.Not(formula) if isinstance(op, ast.NotIn) else formula
    if isinstance(op, (ast.Is, ast.IsNot)):
        if isinstance(left, Read) and isinstance(right, Const) and right.value is None:
            atom = c.Atom("none", left)
            return c.Not(atom) if isinstance(op, ast.IsNot) else atom
        return None
    symbol = _OPERATORS.get(type(op))
    if symbol is None:
        return None
    if isinstance(right, (Read, Length)) and isinstance(left, Const):
        left, right, symbol = right, left, _REVERSED[symbol]
    if not isinstance(right, Const):
        return None
    if isinstance(left, Length) and isinstance(right.value, int):
        return c.Atom("length", left.read, (symbol, right.value))
    if isinstance(left, Read) and isinstance(right.value, (int, float, str, bool)):
        if symbol in ("==", "!=") and right.value is None:
            return None
        return c.Atom("compare", left, (symbol, right.value))
    return None


def present_refs(formula: c.Formula) -> frozenset[Ref]:
    """Keys surely present when ``formula`` holds (``"x" in data``, ``isinstance(d.get(k))``)."""
    if isinstance(formula, c.Atom):
        if formula.kind == "present":
            return frozenset({formula.read.ref})
        return frozenset()
    if isinstance(formula, c.All):
        found: frozenset[Ref] = frozenset()
        for part in formula.operands:
            found = found | present_refs(part)
        return found
    if isinstance(formula, c.Not) and isinstance(formula.operand, c.AnyOf):
        return present_refs(c.negate(formula.operand))
    return frozenset()
