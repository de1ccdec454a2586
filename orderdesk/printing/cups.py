"""The system print queue through CUPS's `lp` (Linux, macOS).

Every job carries the label's media (``-o media=Custom.76x130mm``) and portrait orientation (the
page is already in the label's own orientation), and a PDF ``-o fit-to-page`` (a printer whose
printable area is a little smaller than the label shrinks it rather than cutting the barcode off):
without them a queue whose default paper is A4 prints a 76×130 label in the middle of an A4 sheet
(tried with CUPS 2.4 and a cups-pdf queue: docs/labels.md, "Printers"). `lp` runs in the C locale so its
answer can be read: the job id goes to the log, "sent to print queue X" to the packer; a refusal is
said in words — no such queue or no CUPS at all is a setting to change (not retryable), a stopped
scheduler or a queue not accepting jobs is worth retrying."""

from __future__ import annotations

import logging
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass

from orderdesk.printing.delivery import Delivery, Media
from orderdesk.printing.errors import PrinterMisconfigured, PrinterUnreachable
from orderdesk.sync.said import Said

log = logging.getLogger(__name__)
_REQUEST_ID = re.compile(r"request id is (\S+)")
_C_LOCALE = {"LC_ALL": "C", "LANG": "C"}
SETTINGS_HINT = ("Settings → Printers", "“设置 → 打印机”")


def lp_command(lp: str, queue: str, *, name: str, raw: bool, media: Media | None) -> list[str]:
    """The `lp` command line for one job (the document comes on stdin)."""
    command = [lp]
    if queue and queue != "default":  # empty (or the old "default"): the system's default queue
        command += ["-d", queue]
    command += ["-t", name]
    if media is not None:
        command += ["-o", f"media={media.cups}", "-o", "orientation-requested=3"]
    command += ["-o", "raw"] if raw else ["-o", "fit-to-page"]
    return command


def _run(command: list[str], data: bytes | None, timeout_s: float) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        command, input=data, capture_output=True, timeout=timeout_s, check=False, env={**os.environ, **_C_LOCALE}
    )


def _scheduler_running(lp: str) -> bool:
    lpstat = shutil.which("lpstat") or os.path.join(os.path.dirname(lp), "lpstat")
    try:
        done = _run([lpstat, "-r"], None, 10)
    except (OSError, subprocess.TimeoutExpired):
        return True  # cannot tell: do not blame the scheduler
    return b"not running" not in done.stdout + done.stderr


def _queues(lp: str) -> list[str]:
    lpstat = shutil.which("lpstat") or os.path.join(os.path.dirname(lp), "lpstat")
    try:
        done = _run([lpstat, "-e"], None, 10)
    except (OSError, subprocess.TimeoutExpired):
        return []
    return done.stdout.decode(errors="replace").split() if done.returncode == 0 else []


def refusal(queue: str, said: str, lp: str) -> PrinterUnreachable:
    """`lp`'s refusal (its stderr, C locale) in words, with what to do."""
    shown = queue or "(default)"
    if "does not exist" in said or "No default destination" in said:
        if not _scheduler_running(lp):
            return PrinterUnreachable(
                en="the print service (CUPS) is not running on this computer: start it (or ask IT), then retry",
                zh="本机的打印服务(CUPS)没有运行:请启动它(或联系 IT)后重试",
            )
        known = ", ".join(_queues(lp)) or "none"
        if not queue or queue == "default":
            return PrinterMisconfigured(
                en=f"this computer has no default print queue: name the queue in {SETTINGS_HINT[0]} (queues here: {known})",
                zh=f"本机没有默认打印队列:请在{SETTINGS_HINT[1]}中填写队列名(本机队列:{known})",
            )
        return PrinterMisconfigured(
            en=f"there is no print queue {shown} on this computer: choose one in {SETTINGS_HINT[0]} (queues here: {known})",
            zh=f"本机没有打印队列 {shown}:请在{SETTINGS_HINT[1]}中选择(本机队列:{known})",
        )
    if "not accepting jobs" in said:
        return PrinterUnreachable(
            en=f"print queue {shown} is not accepting jobs: an administrator stopped it (cupsaccept {shown} starts it "
            "again); retry then",
            zh=f"打印队列 {shown} 暂不接受任务:已被管理员停用(cupsaccept {shown} 可恢复),恢复后重试",
        )
    if "document-format" in said:
        return PrinterMisconfigured(
            en=f"print queue {shown} does not take this kind of document: for ZPL/TSPL/ESC-POS set it up as a raw "
            "queue, or choose a PDF profile for it",
            zh=f"打印队列 {shown} 不接受此类文档:ZPL/TSPL/ESC-POS 需要原始(raw)队列,或为它选择 PDF 配置",
        )
    detail = said.strip().removeprefix("lp:").strip()[:200] or "no reason given"
    return PrinterUnreachable(
        en=f"print queue {shown} did not take the job (CUPS said: {detail})",
        zh=f"打印队列 {shown} 未接收任务(CUPS 提示:{detail})",
    )


@dataclass(frozen=True)
class SystemQueueTransport:
    queue: str  # empty (or "default"): the system's default queue
    timeout_s: float = 30.0

    def describe(self) -> str:
        return f"queue:{self.queue or 'default'}"

    def send(self, data: bytes, *, name: str, raw: bool, media: Media | None = None) -> Delivery:
        lp = shutil.which("lp")
        if lp is None or sys.platform == "win32":
            raise PrinterMisconfigured(
                en="no system print queue here (CUPS `lp` not found): choose a printer that saves PDF files into a "
                f"folder, or a network (TCP 9100) printer, in {SETTINGS_HINT[0]}",
                zh=f"本机没有系统打印队列(找不到 CUPS 的 lp):请在{SETTINGS_HINT[1]}中改用保存 PDF 文件的打印机或网络(TCP 9100)打印机",
            )
        command = lp_command(lp, self.queue, name=name, raw=raw, media=media)
        shown = self.queue or "(default)"
        try:
            done = _run(command, data, self.timeout_s)
        except subprocess.TimeoutExpired as exc:
            raise PrinterUnreachable(
                en=f"print queue {shown} did not take the job within {self.timeout_s:g} s",
                zh=f"打印队列 {shown} 在 {self.timeout_s:g} 秒内未接收任务",
            ) from exc
        except OSError as exc:
            raise PrinterMisconfigured(
                en=f"cannot run {lp}: {exc.strerror or exc}", zh=f"无法运行 {lp}:{exc.strerror or exc}"
            ) from exc
        if done.returncode != 0:
            raise refusal(self.queue, done.stderr.decode(errors="replace"), lp)
        answer = done.stdout.decode(errors="replace")
        found = _REQUEST_ID.search(answer)
        reference = found.group(1) if found else None
        log.info("print queue %s took %s as %s (%s)", shown, name, reference, " ".join(command[1:]))
        where = self.queue or "default"
        return Delivery(where, Said(en=f"sent to print queue {where}", zh=f"已送到打印队列 {where}"), reference)
