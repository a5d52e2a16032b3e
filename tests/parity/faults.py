"""A fault server for live-target tests: raw HTTP/1.1 answers a well-behaved framework would
never give, on 127.0.0.1 and an ephemeral port, stopped by its context manager."""

from __future__ import annotations

import socket
import socketserver
import time
from contextlib import AbstractContextManager

from tests.raw_server import raw_server, read_head


class _Handler(socketserver.BaseRequestHandler):
    # One answer per connection, and it says so (Connection: close): without it the client may
    # reuse a connection this server has already closed, and the next case fails at random.
    def handle(self) -> None:
        data = read_head(self.request)
        if data is None:
            return
        path = data.split(b" ", 2)[1].decode()
        sock: socket.socket = self.request
        if path == "/redirect-cookie":
            # Set-Cookie with a byte that is not ASCII on a redirect (seen on httpbin).
            sock.sendall(
                b"HTTP/1.1 302 Found\r\nLocation: /x\r\nSet-Cookie: a=\xc4\x80\r\n"
                b"Content-Length: 0\r\nConnection: close\r\n\r\n"
            )
        elif path == "/trickle":
            # A byte every 20 ms for 4 s: each read is quick, only the total is too long.
            sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 200\r\nConnection: close\r\n\r\n")
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
            sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")


def fault_server() -> AbstractContextManager[str]:
    return raw_server(_Handler)
