"""write_atomic: whole files or none, with the mode a plain open() would give."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from contract_tools.errors import UsageError
from contract_tools.fileio import write_atomic


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_writes_and_replaces(tmp_path: Path) -> None:
    target = tmp_path / "r.json"
    write_atomic(target, "one")
    write_atomic(target, "two")
    assert target.read_text() == "two"
    assert [p.name for p in tmp_path.iterdir()] == ["r.json"]


def test_new_files_follow_the_umask_and_existing_ones_keep_their_mode(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        fresh = write_atomic(tmp_path / "fresh.txt", "x")
        assert mode(fresh) == 0o644  # not mkstemp's 0600
        kept = tmp_path / "kept.txt"
        kept.write_text("old")
        kept.chmod(0o640)
        write_atomic(kept, "new")
        assert mode(kept) == 0o640
    finally:
        os.umask(old)


@pytest.mark.parametrize(
    ("name", "message"),
    [("missing/x.json", "does not exist"), ("adir", "is a directory, not a file")],
)
def test_unusable_targets_are_usage_errors(tmp_path: Path, name: str, message: str) -> None:
    (tmp_path / "adir").mkdir()
    with pytest.raises(UsageError, match=message):
        write_atomic(tmp_path / name, "x")


def test_a_failed_write_leaves_nothing_behind(tmp_path: Path) -> None:
    target = tmp_path / "r.txt"
    target.write_text("kept")
    with pytest.raises(UnicodeEncodeError):
        write_atomic(target, "\udc80")  # a lone surrogate cannot be written as UTF-8
    assert target.read_text() == "kept"
    assert [p.name for p in tmp_path.iterdir()] == ["r.txt"]


def test_a_symlink_is_followed_and_stays_a_link(tmp_path: Path) -> None:
    real = tmp_path / "reports" / "parity.json"
    real.parent.mkdir()
    real.write_text("old")
    link = tmp_path / "latest.json"
    link.symlink_to(real)
    write_atomic(link, "new")
    assert link.is_symlink() and real.read_text() == "new"


def test_a_read_only_file_is_refused_not_replaced(tmp_path: Path) -> None:
    target = tmp_path / "parity.json"
    target.write_text("keep")
    target.chmod(0o444)
    with pytest.raises(UsageError) as info:
        write_atomic(target, "new")
    assert str(info.value) == f"{target}: the file is read-only; not replaced"
    assert target.read_text() == "keep"
