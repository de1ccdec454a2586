"""One printer as a person sets it up: a name, a profile (what kind of label printer it is: language,
dpi, label size) and how a label gets there — PDF files into a folder, a network printer's raw port
(TCP 9100), or a system print queue (CUPS). Checked field by field; a refused field is named with
its value, in Chinese and English, with what to write instead."""

from __future__ import annotations

import ipaddress
import math
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from orderdesk.printing.errors import PrinterSettingRefused
from orderdesk.printing.profiles import PrinterProfile, load_profile, profile_names
from orderdesk.printing.transports import FileTransport, RawTcpTransport, SystemQueueTransport, Transport
from orderdesk.sync.paths import documents_dir
from orderdesk.sync.text_rules import first_refused

KINDS = ("file", "tcp", "queue")
NAME_MAX = 40
_HOST_LABEL = re.compile(r"(?!-)[A-Za-z0-9-]{1,63}(?<!-)")
_QUEUE_FORBIDDEN = re.compile(r"[\s/\\#]")


def documents_home() -> Path:
    """The folder relative label folders are under (sync/paths.py: ``$ORDERDESK_DOCUMENTS_DIR``, the
    run's home, or the user's documents folder + ``OrderDesk``)."""
    return documents_dir()


def _text(field: str, value: Any, *, what_en: str, what_zh: str, limit: int) -> str:
    if not isinstance(value, str):
        raise PrinterSettingRefused(field, value, en=f"{what_en} is text", zh=f"{what_zh}应为文本")
    text = value.strip()
    refused = first_refused(text, code=True)  # the one rule for text coming in (sync/text_rules.py)
    if refused is not None:
        index, char = refused
        position = index + 1
        raise PrinterSettingRefused(field, value, en=f"holds the invisible or control character U+{ord(char):04X} at "
                                    f"position {position}", zh=f"第 {position} 个字符 U+{ord(char):04X} 是不可见字符或控制字符")  # fmt: skip
    if len(text) > limit:
        raise PrinterSettingRefused(field, value, en=f"at most {limit} characters", zh=f"最多 {limit} 个字符")
    return text


def check_host(value: Any) -> str:
    """An IPv4 or IPv6 address or a host name, without scheme or port."""
    host = _text("host", value, what_en="the printer's address", what_zh="打印机地址", limit=253)
    if not host:
        raise PrinterSettingRefused(
            "host",
            value,
            en="a network printer needs its address (e.g. 192.168.1.50)",
            zh="网络打印机需要填写地址(如 192.168.1.50)",
        )
    if "://" in host or "/" in host:
        raise PrinterSettingRefused(
            "host", value, en="write only the address, without http:// or a path", zh="只填地址,不要 http:// 或路径"
        )
    bare = host[1:-1] if host.startswith("[") and host.endswith("]") else host
    try:
        return str(ipaddress.ip_address(bare))
    except ValueError:
        pass
    if re.fullmatch(r"[0-9.]+", bare):
        raise PrinterSettingRefused(
            "host",
            value,
            en="not an IPv4 address: four numbers 0–255 with dots between",
            zh="不是有效的 IPv4 地址:应为四个 0–255 的数,以点分隔",
        )
    if ":" in bare:
        raise PrinterSettingRefused(
            "host",
            value,
            en="write the port in the port field, the address alone here",
            zh="端口请填在“端口”一栏,这里只填地址",
        )
    labels = bare.rstrip(".").split(".")
    if not all(_HOST_LABEL.fullmatch(label) for label in labels) or labels[-1].isdigit():
        raise PrinterSettingRefused(
            "host",
            value,
            en="not a host name: letters, digits and hyphens between dots (or an IP address)",
            zh="不是有效的主机名:应由字母、数字和连字符组成,以点分隔(或填 IP 地址)",
        )
    return bare


def check_port(value: Any) -> int:
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 65535:
        raise PrinterSettingRefused(
            "port",
            value,
            en="a port is a whole number 1–65535 (raw printing: 9100)",
            zh="端口应为 1–65535 的整数(原始打印一般为 9100)",
        )
    return value


def check_queue(value: Any) -> str:
    """A CUPS queue name (empty: the system's default queue)."""
    queue = _text("queue", value, what_en="the queue's name", what_zh="队列名", limit=127)
    if _QUEUE_FORBIDDEN.search(queue):
        raise PrinterSettingRefused(
            "queue",
            value,
            en="a queue name has no spaces, /, \\ or # (see lpstat -e)",
            zh="队列名不能含空格、/、\\ 或 #(见 lpstat -e)",
        )
    return queue


def check_folder(value: Any) -> str:
    folder = _text("folder", value, what_en="the folder", what_zh="目录", limit=1024)
    path = resolve_folder(folder)
    if path.exists() and not path.is_dir():
        raise PrinterSettingRefused("folder", value, en=f"{path} is a file, not a folder", zh=f"{path} 是文件,不是目录")
    return folder


def resolve_folder(folder: str) -> Path:
    """A label folder as written: absolute, ``~/…``, or relative to :func:`documents_home`
    (empty: ``labels`` there)."""
    path = Path(folder or "labels").expanduser()
    return path if path.is_absolute() else documents_home() / path


def check_timeout(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not (0 < value <= 120) or math.isnan(value):
        raise PrinterSettingRefused(
            "timeout_s", value, en="a timeout is more than 0 and at most 120 seconds", zh="超时应大于 0 且不超过 120 秒"
        )
    return float(value)


def check_name(value: Any) -> str:
    name = _text("name", value, what_en="a printer's name", what_zh="打印机名称", limit=NAME_MAX)
    if not name:
        raise PrinterSettingRefused(
            "name", value, en="a printer needs a name (e.g. packing-1)", zh="打印机需要名称(如 打包台1)"
        )
    return name


def check_profile(value: Any) -> str:
    if not isinstance(value, str) or value not in profile_names():
        raise PrinterSettingRefused(
            "profile",
            value,
            en=f"no such printer profile; there are: {', '.join(profile_names())}",
            zh=f"没有此打印机配置;现有:{', '.join(profile_names())}",
        )
    return value


@dataclass(frozen=True)
class PrinterSpec:
    name: str
    profile: str  # a name from resources/printers (the kind of printer)
    kind: str  # file | tcp | queue
    host: str = ""
    port: int = 9100
    queue: str = ""  # empty: the system's default queue
    folder: str = ""  # empty: Documents/OrderDesk/labels; relative: under Documents/OrderDesk
    timeout_s: float = 5.0

    def checked(self) -> PrinterSpec:
        """This printer with every field checked and tidied; raises PrinterSettingRefused."""
        name, profile = check_name(self.name), check_profile(self.profile)
        if self.kind not in KINDS:
            raise PrinterSettingRefused(
                "kind", self.kind, en="write file (PDF folder), tcp (network printer) or queue (system queue)",
                zh="应为 file(PDF 目录)、tcp(网络打印机)或 queue(系统打印队列)",
            )  # fmt: skip
        made = replace(self, name=name, profile=profile, timeout_s=check_timeout(self.timeout_s))
        if self.kind == "tcp":
            return replace(made, host=check_host(self.host), port=check_port(self.port), queue="", folder="")
        made = replace(made, host="", port=9100, timeout_s=5.0)  # a queue and a folder wait as long as they need
        if self.kind == "queue":
            return replace(made, queue=check_queue(self.queue), folder="")
        return replace(made, folder=check_folder(self.folder), queue="")

    def where(self) -> str:
        """Where labels go, as a person reads it: ``tcp://HOST:PORT``, ``queue:NAME`` (``queue:`` the
        default queue), or the folder's full path."""
        if self.kind == "tcp":
            return f"tcp://[{self.host}]:{self.port}" if ":" in self.host else f"tcp://{self.host}:{self.port}"
        if self.kind == "queue":
            return f"queue:{self.queue}"
        return str(resolve_folder(self.folder))

    def load_profile(self) -> PrinterProfile:
        return load_profile(self.profile)

    def transport(self) -> Transport:
        if self.kind == "tcp":
            return RawTcpTransport(self.host, self.port, self.timeout_s)
        if self.kind == "queue":
            return SystemQueueTransport(self.queue)
        return FileTransport(resolve_folder(self.folder))

    def as_json(self) -> dict[str, Any]:
        """The form printers.json keeps."""
        transport: dict[str, Any] = {"kind": self.kind}
        if self.kind == "tcp":
            transport.update(host=self.host, port=self.port, timeout_s=self.timeout_s)
        elif self.kind == "queue":
            transport["queue"] = self.queue
        else:
            transport["folder"] = self.folder
        return {"profile": self.profile, "transport": transport}

    @classmethod
    def from_json(cls, name: str, document: Any) -> PrinterSpec:
        """One entry of printers.json, checked. An entry without a transport kind takes the profile's
        suggested one (``{"profile": "zpl-203-76x130", "transport": {"host": "10.0.0.9"}}``)."""
        if not isinstance(document, dict):
            raise PrinterSettingRefused(
                name, document, en="expected {profile, transport}", zh="应为 {profile, transport}"
            )
        profile = check_profile(document.get("profile"))
        transport = document.get("transport", {})
        if not isinstance(transport, dict):
            raise PrinterSettingRefused("transport", transport, en="expected an object", zh="应为对象")
        merged = {**load_profile(profile).suggested_transport, **transport}
        known = {"kind", "host", "port", "queue", "folder", "timeout_s"}
        if unknown := sorted(set(merged) - known):
            raise PrinterSettingRefused(
                f"transport.{unknown[0]}", merged[unknown[0]], en="not a printer setting", zh="不是打印机设置项"
            )
        queue = merged.get("queue", "")
        return cls(
            name=name, profile=profile, kind=merged.get("kind", "file"), host=merged.get("host", ""),
            port=merged.get("port", 9100), queue="" if queue == "default" else queue, folder=merged.get("folder", ""),
            timeout_s=merged.get("timeout_s", 5.0),
        ).checked()  # fmt: skip

    @classmethod
    def from_uri(cls, name: str, profile: str, uri: str) -> PrinterSpec:
        """``tcp://HOST[:PORT]`` (IPv6 in brackets), ``file:FOLDER`` or ``queue:NAME`` (``queue:`` alone:
        the system's default queue), as `--to` takes it; checked."""
        if uri.startswith("tcp://"):
            rest = uri[len("tcp://") :].rstrip("/")
            if rest.startswith("[") and "]" in rest:
                host, _, tail = rest[1:].partition("]")
                port = tail.removeprefix(":") or "9100"
            else:
                host, _, port = rest.rpartition(":") if ":" in rest else (rest, "", "9100")
            return cls(name, profile, "tcp", host=host, port=check_port(port)).checked()
        if uri.startswith("file:"):
            return cls(name, profile, "file", folder=uri[len("file:") :]).checked()
        if uri.startswith("queue:"):
            return cls(name, profile, "queue", queue=uri[len("queue:") :]).checked()
        raise PrinterSettingRefused(
            "--to",
            uri,
            en="write tcp://HOST:PORT, file:FOLDER or queue:NAME",
            zh="应写作 tcp://主机:端口、file:目录 或 queue:队列名",
        )
