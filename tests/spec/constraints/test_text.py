"""Regexes a view matches with, as JSON Schema patterns."""

from __future__ import annotations

from contract_tools.spec import constraints as c


def test_regexes_as_patterns() -> None:
    assert c.regex_for("97[89]\\d{10}", "fullmatch") == "^97[89]\\d{10}$(?!\\n)"
    assert c.regex_for("a|b", "fullmatch") == "^(?:a|b)$(?!\\n)"
    assert c.regex_for("a|b", "match") == "^(?:a|b)"
    assert c.regex_for("(", "search") is None
