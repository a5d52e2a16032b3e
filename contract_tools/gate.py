"""The CI gate: exit codes from ``--fail-on`` and the accepted-drift file (``--accepted``).

An accepted-drift file (YAML or JSON) lists drift the team accepted on purpose::

    version: 1
    accepted:
      - operation: GET /books/{id}
        id: body-mismatch
        paths: ["$.id"]
        reason: the port returns ids as strings; clients were updated in PR 12
        expires: 2026-09-30        # optional; after this date the drift fails again

A top-level list of entries is accepted too. An entry matches a finding by its ``DriftKey``
(operation + finding id + what differs), never by generated values, so it survives new seeds.
``paths`` (the 0.1 name) holds what differs: the status pair (``status 400 -> 422``), the side
(``crash on candidate``, ``missing on candidate``), one header (``header:etag``) or the body
paths. An entry written by 0.1 for a status, crash or missing-route finding (``paths:
["status"]``) or for several headers at once accepted every such difference of the operation;
it now matches nothing and is reported as stale, written by an older version, to re-accept
with ``--update-accepted``: accepting a 400 -> 422 must never accept a 201 -> 200 by accident.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from contract_tools.causes import with_causes
from contract_tools.documents import DocumentError, dump_yaml, load_yaml
from contract_tools.errors import LoadError, UsageError
from contract_tools.models import DriftKey, Finding, Level, Report
from contract_tools.settings import DEFAULT_REASON

_ENTRY_KEYS = ("operation", "id", "paths", "reason", "expires")
# Finding ids whose 0.1 subject was only "status", whatever the statuses or the side.
_STATUS_ONLY_IDS = frozenset({"status-mismatch", "crash", "missing-operation"})
OLDER_NOTE = "re-accepted from an entry written by 0.1 that matched every status pair; check it"


def older_shape(key: DriftKey) -> bool:
    """Whether an accepted entry has a shape only 0.1 wrote (and that no finding has now)."""
    subject = [s for s in key.subject if not s.startswith("probe=") and s != "sequence"]
    if key.id in _STATUS_ONLY_IDS:
        return subject == ["status"]
    if key.id == "header-mismatch":
        return len(subject) > 1
    return False


def legacy_key(finding: Finding) -> DriftKey:
    """The key 0.1 gave this finding: what an entry of the older shape was written from."""
    return DriftKey(finding.operation, finding.id, finding.legacy_subject)


def failing(report: Report, fail_on: Level | None) -> tuple[Finding, ...]:
    """The findings that fail the gate at ``fail_on`` (None: the gate is off)."""
    if fail_on is None:
        return ()
    return tuple(f for f in report.findings if f.level >= fail_on)


@dataclass(frozen=True)
class AcceptedEntry:
    """One accepted drift: which drift (its key), why it is accepted and until when."""

    key: DriftKey
    reason: str = DEFAULT_REASON
    expires: dt.date | None = None

    def expired(self, today: dt.date) -> bool:
        """An entry accepts through its expiry date and stops accepting the day after."""
        return self.expires is not None and today > self.expires

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {**self.key.to_dict(), "reason": self.reason}
        if self.expires is not None:
            data["expires"] = self.expires.isoformat()
        return data

    @classmethod
    def for_finding(cls, finding: Finding, reason: str = DEFAULT_REASON) -> AcceptedEntry:
        return cls(key=finding.key, reason=reason)


@dataclass(frozen=True)
class Accepted:
    """The accepted-drift file: entries, unique by drift key."""

    entries: tuple[AcceptedEntry, ...] = ()
    source: str | None = field(default=None, compare=False)

    @classmethod
    def load(cls, path: str | Path, *, missing_ok: bool = False) -> Accepted:
        """Read a YAML or JSON file; ``missing_ok`` gives an empty one (--update-accepted)."""
        target = Path(path)
        try:
            text = target.read_text(encoding="utf-8")
        except FileNotFoundError:
            if missing_ok:
                return cls(source=str(target))
            raise LoadError(f"{target}: accepted-drift file not found") from None
        except UnicodeDecodeError as exc:
            raise LoadError(
                f"{target}: not UTF-8 text (byte {exc.start}): not an accepted-drift file"
            ) from None
        except OSError as exc:
            raise LoadError(f"{target}: cannot read accepted-drift file: {exc.strerror}") from None
        return cls.loads(text, source=str(target))

    @classmethod
    def loads(cls, text: str, *, source: str = "<accepted>") -> Accepted:
        try:
            # YAML is a superset of JSON, so one parser reads both formats.
            data = load_yaml(text, dates=False)
        except DocumentError as exc:
            where = f" at line {exc.line}" if exc.line is not None else ""
            raise LoadError(f"{source}: not valid YAML or JSON{where} ({exc.problem})") from None
        if data is None:
            return cls(source=source)
        if isinstance(data, Mapping):
            unknown = sorted(set(map(str, data)) - {"version", "accepted"})
            if unknown:
                raise LoadError(
                    f"{source}: unknown key {unknown[0]!r} (expected version, accepted)"
                )
            if data.get("version", 1) != 1:
                raise LoadError(f"{source}: unsupported version {data.get('version')!r}")
            data = data.get("accepted") or []
        if not isinstance(data, list):
            raise LoadError(f"{source}: expected a list of entries under 'accepted'")
        entries: list[AcceptedEntry] = []
        seen: dict[DriftKey, int] = {}
        for number, raw in enumerate(data, 1):
            entry = _parse_entry(raw, source, number)
            if entry.key in seen:
                raise LoadError(
                    f"{source}: entry {number} ({entry.key.operation} {entry.key.id}) duplicates "
                    f"entry {seen[entry.key]}"
                )
            seen[entry.key] = number
            entries.append(entry)
        return cls(entries=tuple(entries), source=source)

    def dump(self, fmt: str = "yaml") -> str:
        """The file text, entries sorted so that updates make small, reviewable diffs."""
        doc = {"version": 1, "accepted": [e.to_dict() for e in _sorted(self.entries)]}
        if fmt == "json":
            return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
        if fmt == "yaml":
            return dump_yaml(doc)
        raise UsageError(f"unknown accepted-drift file format {fmt!r} (expected yaml or json)")


@dataclass(frozen=True)
class GateResult:
    """What the accepted-drift file did to a run: which findings it accepted, which still count."""

    report: Report
    accepted: tuple[tuple[Finding, AcceptedEntry], ...] = ()
    expired: tuple[tuple[Finding, AcceptedEntry], ...] = ()
    stale: tuple[AcceptedEntry, ...] = ()

    @property
    def outdated(self) -> tuple[AcceptedEntry, ...]:
        """Stale entries of a shape only an older version wrote: re-accept them."""
        return tuple(e for e in self.stale if older_shape(e.key))

    @property
    def new(self) -> tuple[Finding, ...]:
        """Findings no entry (expired or not) matches."""
        matched = {entry.key for _, entry in self.expired}
        return tuple(f for f in self.report.findings if f.key not in matched)

    def failing(self, fail_on: Level | None) -> tuple[Finding, ...]:
        return failing(self.report, fail_on)


def apply(report: Report, accepted_file: Accepted, today: dt.date) -> GateResult:
    """Drop accepted findings from ``report``; expired entries accept nothing.

    The returned ``GateResult.report`` keeps the remaining (new and expired) findings, grouped
    into causes again, and records the outcome under ``meta["accepted_drift"]`` (each accepted
    finding's entry, with its message) and the counts in ``summary`` (``accepted``, ``expired``,
    ``stale``), so every reporter lists accepted drift apart and a run never reads "0 findings"
    without saying what it accepted.
    """
    by_key = {entry.key: entry for entry in accepted_file.entries}
    accepted: list[tuple[Finding, AcceptedEntry]] = []
    expired: list[tuple[Finding, AcceptedEntry]] = []
    remaining: list[Finding] = []
    used: set[DriftKey] = set()
    for finding in report.findings:
        entry = by_key.get(finding.key)
        if entry is None:
            remaining.append(finding)
            continue
        used.add(entry.key)
        if entry.expired(today):
            expired.append((finding, entry))
            remaining.append(finding)
        else:
            accepted.append((finding, entry))
    stale = tuple(e for e in accepted_file.entries if e.key not in used)
    meta = dict(report.meta)
    meta["accepted_drift"] = {
        "file": accepted_file.source,
        "accepted": [{**e.to_dict(), "message": f.message} for f, e in accepted],
        "expired": [{**e.to_dict(), "message": f.message} for f, e in expired],
        "stale": [entry.to_dict() for entry in stale if not older_shape(entry.key)],
        "outdated": [entry.to_dict() for entry in stale if older_shape(entry.key)],
    }
    summary = dict(meta.get("summary") or {})
    summary.update(accepted=len(accepted), expired=len(expired), stale=len(stale))
    meta["summary"] = summary
    return GateResult(
        report=with_causes(replace(report, findings=tuple(remaining), meta=meta)),
        accepted=tuple(accepted),
        expired=tuple(expired),
        stale=stale,
    )


def update(
    accepted_file: Accepted, report: Report, *, reason: str = DEFAULT_REASON, prune: bool = False
) -> Accepted:
    """Merge: keep every entry as written (an expired one is not silently renewed), add an entry
    for each finding no entry matches; ``prune`` also drops entries the run no longer reproduces.

    Entries of a shape only 0.1 wrote are replaced: each finding they used to match gets its
    own entry, with the old reason and a note to check it (the old entry may have been about
    another status pair of the same operation).
    """
    found = {f.key: f for f in report.findings}
    older = {e.key: e for e in accepted_file.entries if older_shape(e.key)}
    kept = [
        e for e in accepted_file.entries if e.key not in older and (not prune or e.key in found)
    ]
    known = {e.key for e in kept}
    added = []
    for key, finding in found.items():
        if key in known:
            continue
        old = older.get(legacy_key(finding))
        why = f"{old.reason} [{OLDER_NOTE}]" if old is not None else reason
        added.append(AcceptedEntry(key=key, reason=why, expires=old.expires if old else None))
    return Accepted(entries=tuple(_sorted([*kept, *added])), source=accepted_file.source)


def _sorted(entries: Iterable[AcceptedEntry]) -> list[AcceptedEntry]:
    return sorted(entries, key=lambda e: e.key)


def _parse_entry(raw: Any, source: str, number: int) -> AcceptedEntry:
    where = f"{source}: entry {number}"
    if not isinstance(raw, Mapping):
        raise LoadError(f"{where}: expected a mapping with operation, id, paths, reason")
    label = f"{where} ({raw.get('operation', '?')} {raw.get('id', '?')})"
    unknown = sorted(set(map(str, raw)) - set(_ENTRY_KEYS))
    if unknown:
        raise LoadError(f"{label}: unknown key {unknown[0]!r}")
    for key in ("operation", "id", "reason"):
        value = raw.get(key)
        if not isinstance(value, str) or not value.strip():
            raise LoadError(f"{label}: {key!r} must be a non-empty string")
    paths = raw.get("paths", [])
    if paths is None:
        paths = []
    if not isinstance(paths, list) or not all(isinstance(p, str) for p in paths):
        raise LoadError(f"{label}: 'paths' must be a list of strings")
    return AcceptedEntry(
        key=DriftKey(raw["operation"].strip(), raw["id"].strip(), tuple(paths)),
        reason=raw["reason"].strip(),
        expires=_parse_date(raw.get("expires"), label),
    )


def _parse_date(value: Any, label: str) -> dt.date | None:
    if value is None:
        return None
    # YAML already turns an unquoted 2026-01-31 into a date; JSON and quoted YAML give a string.
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise LoadError(f"{label}: 'expires' must be a date YYYY-MM-DD, not {value!r}")
