"""Raw-9100 printers played by local socket servers: one that records every job's bytes, and one
that resets the connection in the middle of a job."""

from __future__ import annotations

import socket
import struct
import threading
import time


class RecordingPrinter:
    """A raw-9100 printer: takes connections, keeps each job's bytes, closes when the sender does —
    or, slow like a real thermal printer, ``hang_up_after_s`` later. ``stop()`` / ``start()`` switch it
    off and on again at the same port."""

    def __init__(self, hang_up_after_s: float = 0.0) -> None:
        self.hang_up_after_s = hang_up_after_s
        self.received: list[bytes] = []
        self.port = 0
        self.start()

    def start(self) -> None:
        self.server = socket.create_server(("127.0.0.1", self.port))  # SO_REUSEADDR: the same port again
        self.port = self.server.getsockname()[1]
        threading.Thread(target=self._serve, args=(self.server,), daemon=True).start()

    def _serve(self, server: socket.socket) -> None:
        while True:
            try:
                connection, _ = server.accept()
            except OSError:
                return
            with connection:
                chunks = []
                while chunk := connection.recv(65536):
                    chunks.append(chunk)
                self.received.append(b"".join(chunks))
                time.sleep(self.hang_up_after_s)  # the label comes out, then the printer hangs up

    def stop(self) -> None:
        self.server.close()

    close = stop


class ResettingPrinter:
    """Reads ``take`` bytes of each job, waits ``pause_s`` (the sender has handed every byte of a small
    job to its kernel by then, and closed its side), then resets the connection (SO_LINGER 0: RST)."""

    def __init__(self, take: int, pause_s: float = 0.2) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.take = take
        self.pause_s = pause_s
        self.read: list[int] = []
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                connection, _ = self.server.accept()
            except OSError:
                return
            got = 0
            while got < self.take and (chunk := connection.recv(min(4096, self.take - got))):
                got += len(chunk)
            self.read.append(got)
            time.sleep(self.pause_s)
            connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            connection.close()

    def close(self) -> None:
        self.server.close()
