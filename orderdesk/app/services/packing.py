"""The packing station's work, Qt-free: a scanned code → the order, its state and its label
preflight at once → print (a job of that order's own) → retry, dismiss, or reprint with a reason;
and the rare-character handling queue. Every method may run in a worker thread. The printer and the
label template can be switched while the console runs (Settings): the next scan and print use them."""

from __future__ import annotations

import asyncio
import threading
import time
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from orderdesk.printing import jobs, scan
from orderdesk.printing.eligibility import PRINTABLE, Verdict, verdict
from orderdesk.printing.errors import PrintingError
from orderdesk.printing.printers import Printer
from orderdesk.sync.cache import Cache
from orderdesk.sync.cache.queries import find_orders, order_document

if TYPE_CHECKING:  # rendering (reportlab, Pillow) is imported off the UI thread, not at start-up
    from orderdesk.printing.render import RenderedLabel

REPRINT_REASONS = (  # (zh, en): the packer picks one with a key instead of typing
    ("卡纸", "paper jam"),
    ("面单损坏", "label damaged"),
    ("打印模糊", "print unreadable"),
    ("贴错包裹", "stuck on the wrong parcel"),
    ("快递员要求", "the courier asked for it"),
)
UNFINISHED_HOURS = 24  # failed or unconfirmed jobs this recent stay in view until printed or dismissed

SAMPLE = {  # warms fonts, pinyin and barcodes up before the first real scan
    "domain_id": "DB20260101WARMUP000000",
    "channel_order_no": "WARMUP",
    "waybill_no": "SF0000000000000",
    "carrier": "SF",
    "receiver": {
        "name": "龘𠀾",
        "phone": "13800000000",
        "province": "浙江省",
        "city": "杭州市",
        "district": "西湖区",
        "address": "文三路1号",
    },
    "lines": [{"title": "商品", "quantity": 1}],
}


@dataclass(frozen=True)
class Scanned:
    domain_id: str
    document: dict[str, Any]
    label: RenderedLabel  # preflight, layout, and the preview the printer will get
    printed_by: int | None  # the job that printed it already, if any
    verdict: Verdict = PRINTABLE
    typed: Mapping[str, str] = field(default_factory=dict)  # replacements a person typed for markers


@dataclass(frozen=True)
class PrintRequest:
    """One label to print, with every decision a person made about it."""

    scanned: Scanned
    reason: str | None = None  # why it is printed again
    override: str | None = None  # a supervisor's reason to print a refused order
    confirmed: bool = False  # the packer said yes to a warning (already shipped, refund open…)
    markers_accepted: bool = False  # print markers knowingly

    @property
    def domain_id(self) -> str:
        return self.scanned.domain_id


class PackingStation:
    def __init__(self, cache: Cache, printer: Printer, operator: str, *, template: str | None = None) -> None:
        self.cache = cache
        self.printer = printer
        self.operator = operator
        self.template = template or None  # None: the printer profile's own

    def set_printer(self, printer: Printer) -> None:
        """Print on ``printer`` from the next scan on. A label already on screen was laid out for the
        old printer: scan it again (a failed job is retried on the printer it was made for, or anew)."""
        self.printer = printer

    def set_template(self, template: str | None) -> None:
        """Lay labels out with ``template`` (None or empty: the printer profile's own) from the next
        scan on; a template of another label size than the printer's is refused when the label is made."""
        self.template = template or None

    def warm_up(self) -> float:
        """Render a sample label once (fonts, pinyin, barcodes loaded); seconds it took."""
        from orderdesk.printing.render import render

        started = time.perf_counter()
        render(self.printer.profile, SAMPLE, printed_at=datetime.now(), template=self.template)
        return time.perf_counter() - started

    def look_up(self, code: str, typed: Mapping[str, str] | None = None) -> Scanned:
        """A keyboard-wedge scan: unified id (any case), channel order no. or waybill no."""
        from orderdesk.printing.render import render

        code = unicodedata.normalize("NFKC", code).strip()  # a scanner through a full-width IME: ＳＦ１… is SF1…
        if not code:
            raise PrintingError(en="nothing was scanned", zh="没有扫到内容")
        shown = code if len(code) <= 40 else code[:40] + "…"
        with self.cache.read() as c:
            ids = find_orders(c, code)
            if not ids:
                raise PrintingError(en=f"no order {shown} on this computer (not synced yet?)",
                                    zh=f"本机还没有与 {shown} 对应的订单(可能尚未同步)")  # fmt: skip
            if len(ids) > 1:
                raise PrintingError(
                    en=f"{shown} names {len(ids)} orders: scan the waybill or the unified id",
                    zh=f"{shown} 对应 {len(ids)} 个订单:请扫运单号或统一订单号",
                )
            document = order_document(c, ids[0])
            printed_by = jobs.last_done_job(c, ids[0])
        label = render(self.printer.profile, document, template=self.template, typed=typed)
        return Scanned(document["domain_id"], document, label, printed_by, verdict(document), dict(typed or {}))

    def retype(self, scanned: Scanned, typed: Mapping[str, str]) -> Scanned:
        """The same order with replacements typed for its markers (checked to print themselves)."""
        from orderdesk.printing.preflight import check_text

        for char, text in typed.items():
            if not text.strip():
                raise PrintingError(en=f"type what to print for {char}", zh=f"请输入 {char} 的替代文字")
            _, substitutions = check_text(self.printer.profile, "typed", text)
            if any(s.method != "font" for s in substitutions):
                bad = " ".join(s.char for s in substitutions if s.method != "font")
                raise PrintingError(en=f"the replacement {text!r} cannot print as written either ({bad})",
                                    zh=f"替代文字 {text!r} 同样无法原样打印({bad})")  # fmt: skip
        return replace(self.look_up(scanned.domain_id, typed), typed=dict(typed))

    def print(self, request: PrintRequest) -> jobs.JobOutcome:
        return jobs.print_label(
            self.cache,
            request.domain_id,
            self.printer,
            operator=self.operator,
            reason=request.reason,
            override=request.override,
            confirmed=request.confirmed,
            typed=request.scanned.typed or None,
            markers_accepted=request.markers_accepted,
            template=self.template,
        )

    def retry(self, job_id: int) -> jobs.JobOutcome:
        return jobs.retry(self.cache, job_id, self.printer, operator=self.operator)

    def dismiss(self, job_id: int) -> None:
        jobs.dismiss(self.cache, job_id, operator=self.operator)

    def unfinished(self) -> list[dict[str, Any]]:
        with self.cache.read() as c:
            return jobs.unfinished(c, int((time.time() - UNFINISHED_HOURS * 3600) * 1000))

    def handling_queue(self) -> list[dict[str, Any]]:
        with self.cache.read() as c:
            return scan.open_queue(c)

    def history(self, domain_id: str) -> list[dict[str, Any]]:
        with self.cache.read() as c:
            return jobs.jobs_of(c, domain_id)

    def batch_scan(self, days: float, keep_going: Any) -> tuple[int, int]:
        """Scan recent orders for rare characters into the handling queue: (scanned, findings); nothing
        is queued when ``keep_going`` says stop."""
        with self.cache.read() as c:
            scanned, findings = scan.find(c, self.printer.profile, days=days, on_progress=keep_going)
        if keep_going(scanned):
            scan.enqueue(self.cache, self.printer.profile, findings)
        return scanned, len(findings)

    async def scan_recent(self, days: float, cancel: threading.Event) -> tuple[int, int, bool]:
        """``batch_scan`` in a worker thread: (scanned, findings, cancelled); ``cancel`` set from the UI
        stops it between orders and queues nothing."""
        scanned, found = await asyncio.to_thread(self.batch_scan, days, lambda _n: not cancel.is_set())
        return scanned, found, cancel.is_set()

    def rare_name_order(self) -> str | None:
        """An order whose receiver has a rare character in the name (for the demo's screenshots)."""
        with self.cache.read() as c:
            found = c.exec_driver_sql(
                "SELECT domain_id FROM orders WHERE receiver_name GLOB '*[龘堃喆𠀾𪚥]*' LIMIT 1"
            ).scalar()
        return str(found) if found else None
