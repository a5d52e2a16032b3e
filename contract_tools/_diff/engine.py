"""The contract diff: canonicalise both documents, pair operations, run every rule."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from contract_tools._diff.pair import OperationPair
from contract_tools._diff.registry import all_rules
from contract_tools.models import SUBJECT_KEYS, Finding, Level, SchemaChange
from contract_tools.spec.canonical import CanonicalSpec, canonicalize


def diff_specs(
    base: Mapping[str, Any],
    revision: Mapping[str, Any],
    *,
    levels: Mapping[str, Level] | None = None,
) -> list[Finding]:
    """Findings for every contract change from ``base`` to ``revision``.

    ``levels`` overrides default levels by rule id; ids of other tools' rules are ignored so
    that one configuration table can serve every command.
    """
    return diff_canonical(canonicalize(base), canonicalize(revision), levels=levels)


def diff_canonical(
    base: CanonicalSpec,
    revision: CanonicalSpec,
    *,
    levels: Mapping[str, Level] | None = None,
) -> list[Finding]:
    rules = all_rules()
    overrides = levels or {}
    findings: list[Finding] = []
    for key in sorted(base.operations.keys() | revision.operations.keys()):
        pair = OperationPair.build(base.operations.get(key), revision.operations.get(key))
        label = pair.label
        for rule in rules:
            level = overrides.get(rule.id, rule.level)
            for hit in rule.check(pair):
                change = schema_change(str(rule.direction), hit.details)
                findings.append(Finding(rule.id, level, label, hit.message, change=change))
    return findings


def schema_change(direction: str, details: Mapping[str, Any]) -> SchemaChange:
    """A check's details as typed evidence. The subject is what the finding is about, never the
    values it found: two findings of one rule on one operation (two removed properties, say)
    stay apart in the accepted-drift file, which matches on it."""
    return SchemaChange(
        direction=direction,
        where=tuple((key, str(details[key])) for key in SUBJECT_KEYS if key in details),
        base=details.get("base"),
        revision=details.get("revision"),
        has_values="base" in details or "revision" in details,
        observed=tuple(sorted((details.get("observed") or {}).items())),
    )
