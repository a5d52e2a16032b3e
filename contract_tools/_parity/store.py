"""The drift store: every shrunk drift request, kept between runs and replayed first.

A drift found once should be checked first next time, whatever the seed. Hypothesis's example
databases are the storage (a directory by default; Redis through ``RedisExampleDatabase`` when
the location is a ``redis://`` URL), keyed by operation, one JSON-encoded request per value.
"""

from __future__ import annotations

import json
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
        return cls(DirectoryBasedExampleDatabase(location))

    def requests(self, operation: str) -> list[Request]:
        """Stored requests of ``operation`` in a stable order; unreadable values are dropped."""
        found: list[Request] = []
        for value in sorted(self.database.fetch(_key(operation))):
            request = _decode(value)
            if request is None:
                self.database.delete(_key(operation), value)
            else:
                found.append(request)
        return found

    def save(self, operation: str, request: Request) -> None:
        self.database.save(_key(operation), _encode(request))

    def forget(self, operation: str, request: Request) -> None:
        """A stored request that no longer shows a drift: the drift was fixed."""
        self.database.delete(_key(operation), _encode(request))


def _key(operation: str) -> bytes:
    return _KEY_PREFIX + operation.encode("utf-8")


def _encode(request: Request) -> bytes:
    return json.dumps(request.to_dict(), sort_keys=True, ensure_ascii=False).encode("utf-8")


def _decode(value: bytes) -> Request | None:
    try:
        data: Any = json.loads(value)
        return Request.from_dict(data)
    except ValueError:
        return None
