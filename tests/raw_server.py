"""A raw TCP server on 127.0.0.1 and an ephemeral port, for fault servers that answer with bytes
no HTTP framework would write (tests/parity/faults.py, tests/spec/faults.py)."""

from __future__ import annotations

import socket
import socketserver
import threading
from collections.abc import Iterator
from contextlib import contextmanager


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


@contextmanager
def raw_server(handler: type[socketserver.BaseRequestHandler]) -> Iterator[str]:
    """Serve ``handler`` in a daemon thread; yields the base URL and stops the server after."""
    server = _Server(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def read_head(sock: socket.socket) -> bytes | None:
    """A request's line and headers, read up to the blank line; None when the client closed."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(4096)
        if not chunk:
            return None
        data += chunk
    return data
