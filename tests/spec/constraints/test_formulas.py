"""Conditions as formulas, in negation normal form."""

from __future__ import annotations

from contract_tools.spec import constraints as c
from contract_tools.spec.constraints import Atom, Read, Ref

AGE = Read(Ref("json", ("age",)), default=None)
NAME = Read(Ref("json", ("name",)))


def test_negation_normal_form() -> None:
    a, b = Atom("truthy", AGE), Atom("present", Read(NAME.ref))
    assert c.negate(c.All((a, c.Not(b)))) == c.AnyOf((c.Not(a), b))
    assert c.nnf(c.Not(c.AnyOf((a, b)))) == c.All((c.Not(a), c.Not(b)))
