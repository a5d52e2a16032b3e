"""An app that loads in the process the run started in and in no worker process: what a
worker says when the app it rebuilds from the reference does not load."""

from __future__ import annotations

from multiprocessing import parent_process
from typing import Any

from tests.parity.apps import bookshop_flask


def create_app() -> Any:
    if parent_process() is not None:
        raise RuntimeError("loads in the parent process only")
    return bookshop_flask.create_app()
