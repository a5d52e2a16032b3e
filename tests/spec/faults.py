"""A fault server for remote spec reads: raw HTTP/1.1 answers that never end, or end too big,
on 127.0.0.1 and an ephemeral port, stopped by its context manager (the pattern of
tests/parity/faults.py)."""

from __future__ import annotations

import json
import socket
import socketserver
import time
from contextlib import AbstractContextManager

from tests.raw_server import raw_server, read_head

SPEC = json.dumps({"openapi": "3.1.0", "paths": {}}).encode()


class _Handler(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        data = read_head(self.request)
        if data is None:
            return
        path = data.split(b" ", 2)[1].decode()
        sock: socket.socket = self.request
        try:
            if path == "/trickle":
                # A spec a byte at a time, a byte every 0.2 s, for a minute: no read ever waits
                # long enough for a read timeout.
                sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 300\r\n\r\n")
                for _ in range(300):
                    sock.sendall(b" ")
                    time.sleep(0.2)
            elif path == "/endless":
                sock.sendall(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
                chunk = b"x" * 65536
                while True:
                    sock.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            elif path == "/declared-huge":
                sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 999999999999\r\n\r\n{")
                time.sleep(5)
            elif path == "/silent":
                time.sleep(5)
            else:
                sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s" % (len(SPEC), SPEC))
        except OSError:
            return  # the client hung up, as it should


def fault_server() -> AbstractContextManager[str]:
    return raw_server(_Handler)
