"""Atomic file writes: a report or spec is either fully written or not there at all."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path

from contract_tools.errors import UsageError


def write_atomic(path: str | os.PathLike[str], text: str) -> Path:
    """Write to a temporary file beside ``path`` and rename it into place.

    The file gets the mode a plain ``open(path, "w")`` would give (an existing file keeps its
    own): mkstemp's 0600 would make every report unreadable to the rest of a CI job's users.
    A symlink is followed (its target is written, the link stays), and a read-only file is
    refused rather than replaced: a rename would silently do both.
    """
    target = Path(path)
    if target.is_symlink():
        target = Path(os.path.realpath(target))
    if target.is_file() and not stat.S_IMODE(target.stat().st_mode) & 0o222:
        raise UsageError(f"{path}: the file is read-only; not replaced")
    directory = target.parent if str(target.parent) else Path(".")
    if not directory.is_dir():
        raise UsageError(f"{target}: directory {str(directory)!r} does not exist")
    if target.is_dir():
        raise UsageError(f"{target}: is a directory, not a file")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise UsageError(f"{target}: cannot write ({exc.strerror})") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        os.chmod(tmp, _mode_for(target))
        os.replace(tmp, target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise UsageError(f"{target}: cannot write ({exc.strerror})") from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return target


def _mode_for(target: Path) -> int:
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
