"""Getting a document to a printer: a file folder, a raw TCP port (9100, the JetDirect convention),
or the system print queue (CUPS `lp`, in printing/cups.py; on Windows the console will print through
Qt's spooler access, which lives with the Qt code, not here).

A raw port says nothing back, so "sent" is decided carefully: every byte handed to the connection,
the connection closed for writing, and then either the printer closes too, or it stays silent while
its TCP stack has acknowledged every byte. A reset or broken pipe at any point is a failure (it may
have printed nothing, or half a label), never "sent"."""

from __future__ import annotations

import errno
import os
import socket
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from orderdesk.printing.cups import SystemQueueTransport
from orderdesk.printing.delivery import Delivery, Media, Transport
from orderdesk.printing.errors import PrinterMisconfigured, PrinterUnreachable
from orderdesk.sync.said import Said

__all__ = ["Delivery", "FileTransport", "Media", "RawTcpTransport", "SystemQueueTransport", "Transport"]
_BROKEN_OFF = {errno.ECONNRESET, errno.EPIPE, errno.ENOTCONN, errno.ECONNABORTED}
_NO_SUCH_NAME = {socket.EAI_NONAME, getattr(socket, "EAI_NODATA", socket.EAI_NONAME)}


@dataclass(frozen=True)
class FileTransport:
    folder: Path

    def describe(self) -> str:
        return f"file:{self.folder}"

    def send(self, data: bytes, *, name: str, raw: bool, media: Media | None = None) -> Delivery:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.folder, prefix=".writing-")
            with os.fdopen(handle, "wb") as file:
                file.write(data)
            target = self.folder / name
            os.replace(temporary, target)
        except OSError as exc:
            raise PrinterUnreachable(
                en=f"cannot write the label to {self.folder}: {exc.strerror or exc}",
                zh=f"无法把面单写入 {self.folder}:{exc.strerror or exc}",
            ) from exc
        return Delivery(str(target), Said(en=f"saved as {target}", zh=f"已保存为 {target}"))


def _unacknowledged(connection: socket.socket) -> int:
    """Bytes the peer's TCP stack has not acknowledged yet (Linux: SIOCOUTQ); 0 where unknown."""
    if not sys.platform.startswith("linux"):
        return 0
    import fcntl
    import termios

    try:
        return int.from_bytes(fcntl.ioctl(connection.fileno(), termios.TIOCOUTQ, b"\0\0\0\0"), sys.byteorder)
    except OSError:
        return 0


class _NotAPrinter(Exception):
    """The peer answered like a web, SSH or mail server: a raw printer port never says a word unasked."""

    def __init__(self, said: bytes) -> None:
        self.said = said.decode("ascii", "replace").splitlines()[0] if said else ""


class _Stalled(Exception):
    def __init__(self, left: int) -> None:
        self.left = left


def _wait_until_taken(connection: socket.socket, timeout_s: float) -> None:
    """After the last byte: the printer closes (it has them all), or stays silent while every byte is
    acknowledged (many printers keep the connection open). A reset raises (ConnectionResetError);
    bytes still unacknowledged after ``timeout_s`` raise _Stalled (out of paper, cover open)."""
    deadline = time.monotonic() + timeout_s
    connection.settimeout(min(1.0, timeout_s))
    while True:
        try:
            answer = connection.recv(4096)
            if answer == b"":
                return
            if answer.lstrip().startswith((b"HTTP/", b"<!DOCTYPE", b"<html", b"SSH-", b"220 ")):
                raise _NotAPrinter(answer[:40])
            silent = False
        except TimeoutError:
            silent = True
        left = _unacknowledged(connection)
        if silent and left == 0:
            return
        if time.monotonic() >= deadline:
            if left:
                raise _Stalled(left)
            return


@dataclass(frozen=True)
class RawTcpTransport:
    host: str
    port: int = 9100
    timeout_s: float = 5.0

    def describe(self) -> str:
        return f"tcp://{self._where()}"

    def _where(self) -> str:
        return f"[{self.host}]:{self.port}" if ":" in self.host else f"{self.host}:{self.port}"

    def send(self, data: bytes, *, name: str, raw: bool, media: Media | None = None) -> Delivery:
        where = self._where()
        connection = self._connect(where)
        try:
            with connection:
                connection.settimeout(self.timeout_s)
                connection.sendall(data)
                connection.shutdown(socket.SHUT_WR)
                _wait_until_taken(connection, self.timeout_s)
        except _NotAPrinter as other:
            raise PrinterMisconfigured(
                en=f"{where} is not a raw printer port: it answered like another server ({other.said!r}). Nothing was "
                "printed: check the printer's address and port (usually 9100) in Settings → Printers",
                zh=f"{where} 不是打印机的原始打印端口:它像别的服务器一样应答了({other.said!r})。没有打印任何内容:"
                "请在“设置 → 打印机”中检查地址和端口(通常为 9100)",
            ) from None
        except _Stalled as stalled:
            raise PrinterUnreachable(
                en=f"printer {where} stopped taking the label ({stalled.left} of {len(data)} bytes not taken after "
                f"{self.timeout_s:g} s): out of labels, cover open, or paused? Fix it, then retry",
                zh=f"打印机 {where} 停止接收面单({self.timeout_s:g} 秒后仍有 {len(data)} 字节中的 {stalled.left} 字节未接收):"
                "缺纸、开盖或暂停?处理后再重试",
            ) from None
        except TimeoutError as exc:
            raise PrinterUnreachable(
                en=f"printer {where} stopped taking the label for {self.timeout_s:g} s: out of labels, cover open, or "
                "paused? Fix it, then retry",
                zh=f"打印机 {where} 已 {self.timeout_s:g} 秒不再接收面单:缺纸、开盖或暂停?处理后再重试",
            ) from exc
        except OSError as exc:
            if exc.errno in _BROKEN_OFF or isinstance(exc, ConnectionError):
                raise PrinterUnreachable(
                    en=f"printer {where} broke off the connection while taking the label ({exc.strerror or exc}): it may "
                    "have printed nothing or part of it; look at the printer, then retry",
                    zh=f"打印机 {where} 在接收面单时断开了连接({exc.strerror or exc}):可能什么都没打印,或只打印了一部分;"
                    "请先查看打印机,再重试",
                ) from exc
            raise PrinterUnreachable(
                en=f"sending to printer {where} failed: {exc.strerror or exc}",
                zh=f"向打印机 {where} 发送失败:{exc.strerror or exc}",
            ) from exc
        return Delivery(where, Said(en=f"sent to printer {where}", zh=f"已发送到打印机 {where}"))

    def _connect(self, where: str) -> socket.socket:
        try:
            return socket.create_connection((self.host, self.port), timeout=self.timeout_s)
        except socket.gaierror as exc:
            if exc.errno in _NO_SUCH_NAME:
                raise PrinterMisconfigured(
                    en=f"no machine is called {self.host} on this network: check the printer's address in "
                    "Settings → Printers (its IP address is on its configuration label)",
                    zh=f"网络中找不到名为 {self.host} 的设备:请在“设置 → 打印机”中检查打印机地址(打印机的配置页上有其 IP 地址)",
                ) from exc
            raise PrinterUnreachable(
                en=f"cannot look up printer {self.host} ({exc.strerror or exc}): is the network up?",
                zh=f"无法解析打印机地址 {self.host}({exc.strerror or exc}):网络是否正常?",
            ) from exc
        except TimeoutError as exc:
            raise PrinterUnreachable(
                en=f"printer {where} did not answer within {self.timeout_s:g} s (off, asleep, or the wrong address?)",
                zh=f"打印机 {where} 在 {self.timeout_s:g} 秒内无响应(未开机、休眠或地址有误?)",
            ) from exc
        except ConnectionRefusedError as exc:
            raise PrinterUnreachable(
                en=f"printer {where} refused the connection (is it on, and is port {self.port} its raw port?)",
                zh=f"打印机 {where} 拒绝连接(是否已开机?{self.port} 是否为其原始打印端口?)",
            ) from exc
        except OSError as exc:
            raise PrinterUnreachable(
                en=f"printer {where} is unreachable: {exc.strerror or exc}",
                zh=f"无法连接打印机 {where}:{exc.strerror or exc}",
            ) from exc
