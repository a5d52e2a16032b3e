"""Dependencies shared by the routers."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timezone
from typing import Annotated

from fastapi import Depends, Request


def get_db(request: Request) -> sqlite3.Connection:
    """The connection of this app instance (each instance owns its own database)."""
    conn: sqlite3.Connection = request.app.state.db
    return conn


Db = Annotated[sqlite3.Connection, Depends(get_db)]


def now_iso() -> str:
    # Same format as the legacy service: always with microseconds, so the shape never varies.
    return datetime.now(timezone.utc).isoformat(timespec="microseconds")
