"""Getting a document to a printer: a file folder, a raw TCP port (9100, the JetDirect convention),
or the system print queue (CUPS `lp` on Linux and macOS; on Windows the console prints through Qt's
spooler access, which lives with the Qt code, not here)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from printing.errors import PrinterUnreachable, PrintingError
from sync.paths import documents_dir


class Transport(Protocol):
    def describe(self) -> str: ...

    def send(self, data: bytes, *, name: str, raw: bool) -> str:
        """Deliver ``data``; returns where it went (a path, a queue job id). Raises PrinterUnreachable."""
        ...


@dataclass(frozen=True)
class FileTransport:
    folder: Path

    def describe(self) -> str:
        return f"file:{self.folder}"

    def send(self, data: bytes, *, name: str, raw: bool) -> str:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.folder, prefix=".writing-")
            with os.fdopen(handle, "wb") as file:
                file.write(data)
            target = self.folder / name
            os.replace(temporary, target)
        except OSError as exc:
            raise PrinterUnreachable(
                f"cannot write the label to {self.folder}: {exc.strerror or exc}",
                f"无法把面单写入 {self.folder}:{exc.strerror or exc}",
            ) from exc
        return str(target)


def _drain(connection: socket.socket) -> None:
    """A raw port answers nothing, and many printers close once they have every byte; some keep the
    connection open. Every byte is already sent, so a printer that stays silent is not a failure."""
    connection.settimeout(1.0)
    try:
        while connection.recv(4096):
            pass
    except OSError:
        pass


@dataclass(frozen=True)
class RawTcpTransport:
    host: str
    port: int = 9100
    timeout_s: float = 5.0

    def describe(self) -> str:
        return f"tcp://{self.host}:{self.port}"

    def send(self, data: bytes, *, name: str, raw: bool) -> str:
        where = f"{self.host}:{self.port}"
        try:
            with socket.create_connection((self.host, self.port), timeout=self.timeout_s) as connection:
                connection.settimeout(self.timeout_s)
                connection.sendall(data)
                connection.shutdown(socket.SHUT_WR)
                _drain(connection)
        except TimeoutError as exc:
            raise PrinterUnreachable(
                f"printer {where} did not answer within {self.timeout_s:g} s (off, asleep, or the wrong address?)",
                f"打印机 {where} 在 {self.timeout_s:g} 秒内无响应(未开机、休眠或地址有误?)",
            ) from exc
        except ConnectionRefusedError as exc:
            raise PrinterUnreachable(
                f"printer {where} refused the connection (is it on, and is port {self.port} its raw port?)",
                f"打印机 {where} 拒绝连接(是否已开机?{self.port} 是否为其原始打印端口?)",
            ) from exc
        except OSError as exc:
            raise PrinterUnreachable(
                f"printer {where} is unreachable: {exc.strerror or exc}",
                f"无法连接打印机 {where}:{exc.strerror or exc}",
            ) from exc
        return where


@dataclass(frozen=True)
class SystemQueueTransport:
    queue: str
    timeout_s: float = 30.0

    def describe(self) -> str:
        return f"queue:{self.queue}"

    def send(self, data: bytes, *, name: str, raw: bool) -> str:
        lp = shutil.which("lp")
        if lp is None or sys.platform == "win32":
            raise PrinterUnreachable(
                "no system print queue here (CUPS `lp` not found); print from the console, or use a raw TCP printer",
                "本机没有系统打印队列(找不到 CUPS 的 lp);请在控制台中打印,或改用网络(TCP)打印机",
            )
        command = [lp, "-t", name, *(["-o", "raw"] if raw else [])]
        if self.queue != "default":
            command[1:1] = ["-d", self.queue]
        try:
            done = subprocess.run(command, input=data, capture_output=True, timeout=self.timeout_s, check=False)
        except subprocess.TimeoutExpired as exc:
            raise PrinterUnreachable(
                f"print queue {self.queue} did not take the job within {self.timeout_s:g} s",
                f"打印队列 {self.queue} 在 {self.timeout_s:g} 秒内未接收任务",
            ) from exc
        if done.returncode != 0:
            why = done.stderr.decode(errors="replace").strip()
            raise PrinterUnreachable(
                f"print queue {self.queue} refused the job: {why}", f"打印队列 {self.queue} 拒绝了任务:{why}"
            )
        return done.stdout.decode(errors="replace").strip()


def transport_from(spec: dict[str, Any]) -> Transport:
    kind = spec["kind"]
    if kind == "tcp":
        return RawTcpTransport(spec["host"], int(spec.get("port", 9100)), float(spec.get("timeout_s", 5)))
    if kind == "queue":
        return SystemQueueTransport(spec["queue"])
    if kind == "file":
        folder = Path(spec.get("folder") or "labels").expanduser()
        if not folder.is_absolute():
            folder = documents_dir() / folder
        return FileTransport(folder)
    raise PrintingError(f"unknown transport kind {kind!r}", f"未知的传输方式 {kind!r}")


def transport_from_uri(uri: str) -> Transport:
    """`tcp://host:port`, `file:/folder` or `queue:NAME` (for `--to`)."""
    if uri.startswith("tcp://"):
        host, _, port = uri[len("tcp://") :].rpartition(":")
        if not host or not port.isdigit():
            raise PrintingError(f"--to {uri!r}: write tcp://HOST:PORT", f"--to {uri!r}:应写作 tcp://主机:端口")
        return RawTcpTransport(host, int(port))
    if uri.startswith("file:"):
        return FileTransport(Path(uri[len("file:") :]).expanduser())
    if uri.startswith("queue:"):
        return SystemQueueTransport(uri[len("queue:") :])
    raise PrintingError(
        f"--to {uri!r}: write tcp://HOST:PORT, file:FOLDER or queue:NAME",
        f"--to {uri!r}:应写作 tcp://主机:端口、file:目录 或 queue:队列名",
    )
