"""A fault server for live-target tests: raw HTTP/1.1 answers a well-behaved framework would
never give, on 127.0.0.1 and an ephemeral port, stopped by its context manager."""

from __future__ import annotations

import socket
import socketserver
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager


class _Handler(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = self.request.recv(4096)
            if not chunk:
                return
            data += chunk
        path = data.split(b" ", 2)[1].decode()
        sock: socket.socket = self.request
        if path == "/redirect-cookie":
            # Set-Cookie with a byte that is not ASCII on a redirect (seen on httpbin).
            sock.sendall(
                b"HTTP/1.1 302 Found\r\nLocation: /x\r\nSet-Cookie: a=\xc4\x80\r\n"
                b"Content-Length: 0\r\n\r\n"
            )
        elif path == "/trickle":
            # A byte every 20 ms for 4 s: each read is quick, only the total is too long.
            sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 200\r\n\r\n")
            for _ in range(200):
                try:
                    sock.sendall(b"x")
                except OSError:
                    return
                time.sleep(0.02)
        elif path == "/hang":
            time.sleep(4)
        elif path == "/drop":
            return  # closes without a word
        else:
            sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


@contextmanager
def fault_server() -> Iterator[str]:
    server = _Server(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
