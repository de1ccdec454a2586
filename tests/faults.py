"""A fault-injecting HTTP proxy for tests: it stands between the client and the real hub on loopback
and, per request, passes it on, or misbehaves the way networks and servers do."""

from __future__ import annotations

import threading
import time
from collections import deque
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx


@dataclass(frozen=True)
class Fault:
    """What to do to the next matching request. kinds:
    reset      - forward to the hub (the effect happens), then drop the connection: the answer is lost
    reset_early- drop the connection without forwarding
    cut        - forward, then send only half of the answer's body
    blackhole  - hold the request without answering for ``seconds``
    status     - answer ``status`` (500, 503, 429…) without forwarding, with ``retry_after`` if set"""

    kind: str
    method: str = ""
    path: str = ""
    status: int = 503
    retry_after: float | None = None
    seconds: float = 30.0


class FaultProxy:
    def __init__(self, upstream: str) -> None:
        self.upstream = upstream
        self.faults: deque[Fault] = deque()
        self.seen: list[tuple[str, str, str]] = []  # (method, path, what happened)
        self._lock = threading.Lock()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:  # quiet
                pass

            def _handle(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                fault = proxy._take(self.command, self.path)
                proxy.seen.append((self.command, self.path, fault.kind if fault else "pass"))
                if fault and fault.kind == "reset_early":
                    self.close_connection = True
                    self.connection.close()
                    return
                if fault and fault.kind == "blackhole":
                    time.sleep(fault.seconds)
                    self.close_connection = True
                    return
                if fault and fault.kind == "status":
                    payload = b'{"detail":"injected fault"}'
                    self.send_response(fault.status)
                    if fault.retry_after is not None:
                        self.send_header("Retry-After", str(fault.retry_after))
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                    return
                headers = {
                    k: v for k, v in self.headers.items() if k.lower() not in ("host", "content-length", "connection")
                }
                answer = httpx.request(
                    self.command, proxy.upstream + self.path, content=body, headers=headers, timeout=60
                )
                if fault and fault.kind == "reset":
                    self.close_connection = True
                    self.connection.close()
                    return
                content = answer.content
                self.send_response(answer.status_code)
                for name, value in answer.headers.items():
                    if name.lower() not in ("content-length", "transfer-encoding", "connection", "content-encoding"):
                        self.send_header(name, value)
                self.send_header("Content-Length", str(len(content)))
                self.end_headers()
                if fault and fault.kind == "cut":
                    self.wfile.write(content[: len(content) // 2])
                    self.close_connection = True
                    return
                self.wfile.write(content)

            do_GET = do_POST = do_PUT = do_DELETE = _handle

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def _take(self, method: str, path: str) -> Fault | None:
        with self._lock:
            for fault in list(self.faults):
                if (not fault.method or fault.method == method) and path.startswith(fault.path):
                    self.faults.remove(fault)
                    return fault
        return None

    def add(self, *faults: Fault) -> None:
        with self._lock:
            self.faults.extend(faults)

    def start(self) -> FaultProxy:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
