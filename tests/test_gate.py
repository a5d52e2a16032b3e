"""Gate semantics: fail-on levels, and the accepted-drift file (accepted/expired/stale/new)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from contract_tools.errors import LoadError
from contract_tools.gate import (
    OLDER_NOTE,
    Accepted,
    AcceptedEntry,
    apply,
    failing,
    older_shape,
    update,
)
from contract_tools.models import (
    DriftKey,
    Exchange,
    Finding,
    Level,
    Report,
    Request,
    Response,
    ResponsePath,
)

TODAY = dt.date(2026, 6, 1)


def finding(
    op: str, fid: str, paths: list[str], level: Level = Level.ERROR, target: str = "/x"
) -> Finding:
    exchange = Exchange(Request.build("GET", target), Response(200), Response(200))
    return Finding(
        id=fid,
        level=level,
        operation=op,
        message="m",
        paths=tuple(ResponsePath.parse(p) for p in paths),
        exchange=exchange,
    )


REPORT = Report.of(
    "parity",
    [
        finding("GET /a", "body-mismatch", ["$.x", "$.y"], target="/a?seed=1"),
        finding("GET /b", "status-mismatch", []),
        finding("GET /c", "body-mismatch", ["$.z"]),
    ],
    baseline="old",
    candidate="new",
)

BASELINE_YAML = """\
version: 1
accepted:
  - operation: GET /a
    id: body-mismatch
    paths: ["$.y", "$.x", "$.x"]    # order and duplicates don't matter
    reason: ids became strings on purpose
  - operation: GET /b
    id: status-mismatch
    reason: 422 is the port's validation status
    expires: 2026-05-31
  - operation: GET /gone
    id: crash
    paths: []
    reason: fixed long ago
    expires: "2027-01-01"
"""


@pytest.mark.parametrize(
    ("fail_on", "count"),
    [(Level.ERROR, 0), (Level.WARNING, 1), (Level.INFO, 1), (None, 0)],
)
def test_failing_at_each_level(fail_on: Level | None, count: int) -> None:
    report = Report.of("diff", [finding("GET /a", "x", [], Level.WARNING)])
    assert len(failing(report, fail_on)) == count


def test_an_empty_report_never_fails() -> None:
    assert failing(Report.of("diff", []), Level.INFO) == ()


def test_apply_accepted_expired_stale_new(tmp_path: Path) -> None:
    path = tmp_path / "drift.yaml"
    path.write_text(BASELINE_YAML, encoding="utf-8")
    accepted = Accepted.load(path)
    result = apply(REPORT, accepted, TODAY)

    assert [(f.operation, e.reason) for f, e in result.accepted] == [
        ("GET /a", "ids became strings on purpose")
    ]
    assert [(f.operation, e.expires) for f, e in result.expired] == [
        ("GET /b", dt.date(2026, 5, 31))
    ]
    assert [e.key.operation for e in result.stale] == ["GET /gone"]
    assert [f.operation for f in result.new] == ["GET /c"]
    # Grouped into causes again, cause by cause: "Body differs at $.z" sorts before "Status".
    assert [f.operation for f in result.report.findings] == ["GET /c", "GET /b"]
    assert [c.findings for c in result.report.causes] == [(1,), (2,)]
    assert len(result.failing(Level.ERROR)) == 2
    drift = result.report.meta["accepted_drift"]
    assert drift["file"] == str(path)
    assert [e["operation"] for e in drift["accepted"]] == ["GET /a"]
    assert [e["operation"] for e in drift["expired"]] == ["GET /b"]
    assert [e["operation"] for e in drift["stale"]] == ["GET /gone"]
    assert drift["accepted"][0]["message"] == "m"
    assert result.report.meta["baseline"] == "old"
    summary = result.report.meta["summary"]
    assert (summary["accepted"], summary["expired"], summary["stale"]) == (1, 1, 1)


def status_finding(op: str, base: int, cand: int) -> Finding:
    exchange = Exchange(Request.build("POST", "/orders"), Response(base), Response(cand))
    return Finding(
        id="status-mismatch",
        level=Level.ERROR,
        operation=op,
        message=f"status {base} (baseline) vs {cand} (candidate)",
        paths=(ResponsePath.status(),),
        exchange=exchange,
        about=f"status {base} -> {cand}",
    )


TWO_STATUSES = Report.of(
    "parity",
    [status_finding("POST /orders", 400, 422), status_finding("POST /orders", 201, 200)],
)


def test_accepting_one_status_pair_never_accepts_another() -> None:
    key = DriftKey("POST /orders", "status-mismatch", ("status 400 -> 422",))
    result = apply(TWO_STATUSES, Accepted((AcceptedEntry(key, "422 is the port's"),)), TODAY)
    assert [f.about for f, _ in result.accepted] == ["status 400 -> 422"]
    assert [f.about for f in result.new] == ["status 201 -> 200"]
    assert len(result.failing(Level.ERROR)) == 1


def test_an_entry_written_by_0_1_accepts_nothing_and_says_so() -> None:
    old = AcceptedEntry(DriftKey("POST /orders", "status-mismatch", ("status",)), "422 is ok")
    result = apply(TWO_STATUSES, Accepted((old,)), TODAY)
    assert result.accepted == ()
    assert result.outdated == (old,)
    assert len(result.new) == 2
    drift = result.report.meta["accepted_drift"]
    assert (drift["stale"], [e["paths"] for e in drift["outdated"]]) == ([], [["status"]])


def test_update_replaces_an_entry_written_by_0_1_and_asks_to_check_its_reason() -> None:
    old = AcceptedEntry(DriftKey("POST /orders", "status-mismatch", ("status",)), "422 is ok")
    updated = update(Accepted((old,)), TWO_STATUSES)
    assert [(e.key.subject, e.reason) for e in updated.entries] == [
        (("status 201 -> 200",), f"422 is ok [{OLDER_NOTE}]"),
        (("status 400 -> 422",), f"422 is ok [{OLDER_NOTE}]"),
    ]


@pytest.mark.parametrize(
    ("key", "older"),
    [
        (DriftKey("GET /a", "status-mismatch", ("status",)), True),
        (DriftKey("GET /a", "crash", ("probe=x", "status")), True),
        (DriftKey("GET /a", "missing-operation", ("status",)), True),
        (DriftKey("GET /a", "header-mismatch", ("header:a", "header:b")), True),
        (DriftKey("GET /a", "header-mismatch", ("header:a",)), False),
        (DriftKey("GET /a", "status-mismatch", ("status 400 -> 422",)), False),
        (DriftKey("GET /a", "body-mismatch", ("$.a", "$.b")), False),
    ],
)
def test_older_shapes(key: DriftKey, older: bool) -> None:
    assert older_shape(key) is older


def test_entry_accepts_through_its_expiry_date() -> None:
    entry = AcceptedEntry(DriftKey("GET /b", "status-mismatch"), "r", dt.date(2026, 5, 31))
    assert not entry.expired(dt.date(2026, 5, 31))
    assert entry.expired(dt.date(2026, 6, 1))


def test_everything_accepted_passes_the_gate() -> None:
    accepted = update(Accepted(), REPORT)
    result = apply(REPORT, accepted, TODAY)
    assert result.report.findings == ()
    assert len(result.accepted) == 3
    assert result.failing(Level.INFO) == ()


def test_matching_ignores_generated_values() -> None:
    accepted = Accepted((AcceptedEntry(DriftKey("GET /a", "body-mismatch", ("$.x", "$.y")), "r"),))
    other_seed = Report.of(
        "parity", [finding("GET /a", "body-mismatch", ["$.y", "$.x"], target="/a?seed=99")]
    )
    assert len(apply(other_seed, accepted, TODAY).accepted) == 1
    different_paths = Report.of("parity", [finding("GET /a", "body-mismatch", ["$.x"])])
    assert len(apply(different_paths, accepted, TODAY).new) == 1


def test_update_merges_and_dump_roundtrips(tmp_path: Path) -> None:
    existing = Accepted.loads(BASELINE_YAML, source="drift.yaml")
    merged = update(existing, REPORT)
    assert [(e.key.operation, e.reason) for e in merged.entries] == [
        ("GET /a", "ids became strings on purpose"),
        ("GET /b", "422 is the port's validation status"),
        ("GET /c", "accepted with --update-accepted; say why"),
        ("GET /gone", "fixed long ago"),
    ]
    # An expired entry is kept as written: renewing it is a human decision.
    assert merged.entries[1].expires == dt.date(2026, 5, 31)
    pruned = update(existing, REPORT, prune=True)
    assert [e.key.operation for e in pruned.entries] == ["GET /a", "GET /b", "GET /c"]

    assert merged.dump().splitlines()[:8] == [
        "version: 1",
        "accepted:",
        "- operation: GET /a",
        "  id: body-mismatch",
        "  paths:",
        "  - $.x",
        "  - $.y",
        "  reason: ids became strings on purpose",
    ]
    for fmt in ("yaml", "json"):
        again = Accepted.loads(merged.dump(fmt), source=f"x.{fmt}")
        assert again.entries == merged.entries


def test_load_accepts_a_plain_json_list(tmp_path: Path) -> None:
    path = tmp_path / "drift.json"
    path.write_text(
        '[{"operation": "GET /a", "id": "crash", "reason": "known", "expires": "2026-01-02"}]',
        encoding="utf-8",
    )
    assert Accepted.load(path).entries == (
        AcceptedEntry(DriftKey("GET /a", "crash"), "known", dt.date(2026, 1, 2)),
    )


def test_load_missing_file(tmp_path: Path) -> None:
    with pytest.raises(LoadError, match=r"drift\.yaml: accepted-drift file not found$"):
        Accepted.load(tmp_path / "drift.yaml")
    assert Accepted.load(tmp_path / "drift.yaml", missing_ok=True).entries == ()


def test_a_file_that_is_not_utf8_is_a_one_line_load_error(tmp_path: Path) -> None:
    path = tmp_path / "drift.yaml"
    path.write_bytes(b"accepted:\n- reason: caf\xe9\n")
    with pytest.raises(LoadError) as info:
        Accepted.load(path)
    assert str(info.value) == f"{path}: not UTF-8 text (byte 23): not an accepted-drift file"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("accepted: [1]", "b.yaml: entry 1: expected a mapping with operation, id, paths, reason"),
        (
            "- {operation: GET /a, id: crash}",
            "b.yaml: entry 1 (GET /a crash): 'reason' must be a non-empty string",
        ),
        (
            "- {operation: GET /a, id: crash, reason: r, expires: 2026-13-01}",
            "b.yaml: entry 1 (GET /a crash): 'expires' must be a date YYYY-MM-DD, not '2026-13-01'",
        ),
        (
            "- {operation: GET /a, id: crash, reason: r, path: [x]}",
            "b.yaml: entry 1 (GET /a crash): unknown key 'path'",
        ),
        (
            "- {operation: GET /a, id: crash, reason: r, paths: x}",
            "b.yaml: entry 1 (GET /a crash): 'paths' must be a list of strings",
        ),
        (
            "- {operation: GET /a, id: crash, reason: r}\n"
            "- {operation: GET /a, id: crash, reason: s}",
            "b.yaml: entry 2 (GET /a crash) duplicates entry 1",
        ),
        (
            "accepted: [\n",
            "b.yaml: not valid YAML or JSON at line 2 (invalid YAML: expected the node content, "
            "but found '<stream end>')",
        ),
        ("entries: []", "b.yaml: unknown key 'entries' (expected version, accepted)"),
        ("just text", "b.yaml: expected a list of entries under 'accepted'"),
    ],
)
def test_malformed_accepted_file(text: str, message: str) -> None:
    with pytest.raises(LoadError) as info:
        Accepted.loads(text, source="b.yaml")
    assert str(info.value) == message
    assert "\n" not in str(info.value)


def test_drift_keys_read_paths_as_a_set() -> None:
    one = finding("GET /a", "body-mismatch", ["$.b", "$.a", "$.a"])
    other = finding("GET /a", "body-mismatch", ["$.a", "$.b"])
    assert one.key == other.key == DriftKey("GET /a", "body-mismatch", ("$.a", "$.b"))
