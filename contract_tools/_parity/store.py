"""The drift store: every shrunk drift request, kept between runs and checked again.

A drift found once should be checked next time, whatever the seed. Stored requests are replayed
after the seeded exploration and reported apart ("also seen before"), so a seed repeats its run
exactly on every machine. Hypothesis's example databases are the storage (a directory; Redis
through ``RedisExampleDatabase`` for a ``redis://`` URL), keyed by operation and generation mode
(a positive run never replays invalid inputs), one JSON-encoded request per value. Off unless
``--database`` says where.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from hypothesis.database import DirectoryBasedExampleDatabase, ExampleDatabase

from contract_tools.errors import UsageError
from contract_tools.models import Request

_KEY_PREFIX = b"contract-tools:drift:"


class DriftStore:
    """Shrunk drift requests per operation, in a Hypothesis example database."""

    def __init__(self, database: ExampleDatabase) -> None:
        self.database = database

    @classmethod
    def at(cls, location: str) -> DriftStore:
        """A directory path, or a ``redis://`` URL (needs the ``redis`` package)."""
        if location.startswith(("redis://", "rediss://", "unix://")):
            try:
                import redis
                from hypothesis.extra.redis import RedisExampleDatabase
            except ImportError:
                raise UsageError(
                    f"--database {location}: Redis needs the 'redis' package (pip install redis)"
                ) from None
            return cls(RedisExampleDatabase(redis.Redis.from_url(location)))
        path = Path(location)
        if path.exists() and not path.is_dir():
            raise UsageError(f"--database {location}: not a directory")
        try:
            path.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UsageError(f"--database {location}: cannot create it ({exc.strerror})") from None
        if not os.access(path, os.W_OK):
            raise UsageError(f"--database {location}: not writable")
        return cls(DirectoryBasedExampleDatabase(location))

    def requests(self, operation: str, mode: str) -> list[Request]:
        """Stored requests of ``operation`` in a stable order; unreadable values are dropped."""
        found: list[Request] = []
        key = _key(operation, mode)
        for value in sorted(self.database.fetch(key)):
            request = _decode(value)
            if request is None:
                self.database.delete(key, value)
            else:
                found.append(request)
        return found

    def save(self, operation: str, mode: str, request: Request) -> None:
        self.database.save(_key(operation, mode), _encode(request))

    def forget(self, operation: str, mode: str, request: Request) -> None:
        """A stored request that no longer shows a drift: the drift was fixed."""
        self.database.delete(_key(operation, mode), _encode(request))


def store_order(requests: Iterable[Request]) -> list[Request]:
    """Requests as ``DriftStore.requests`` gives them back once saved: each once, by encoding."""
    unique = {_encode(request): request for request in requests}
    return [unique[encoded] for encoded in sorted(unique)]


def _key(operation: str, mode: str) -> bytes:
    return _KEY_PREFIX + f"{mode}:{operation}".encode()


def _encode(request: Request) -> bytes:
    return json.dumps(request.to_dict(), sort_keys=True, ensure_ascii=False).encode("utf-8")


def _decode(value: bytes) -> Request | None:
    try:
        data: Any = json.loads(value)
        return Request.from_dict(data)
    except ValueError:
        return None
