"""The packing station's work, Qt-free: a scanned code → the order and its label preflight at once
→ print (a job) → retry or reprint with a reason; and the rare-character handling queue. The printer
and the label template can be switched while the console runs (Settings): the next scan and print
use them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from printing import jobs, scan
from printing.errors import PrintingError
from printing.printers import Printer
from sync.cache import Cache
from sync.cache.queries import find_orders, order_document

if TYPE_CHECKING:  # rendering (reportlab, Pillow) is imported at the first scan, not at start-up
    from printing.render import RenderedLabel


@dataclass(frozen=True)
class Scanned:
    domain_id: str
    document: dict[str, Any]
    label: RenderedLabel  # preflight, layout, and the preview the printer will get
    printed_by: int | None  # the job that printed it already, if any


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

    def look_up(self, code: str) -> Scanned:
        """A keyboard-wedge scan: unified id, channel order no. or waybill no."""
        from printing.render import render

        code = code.strip()
        if not code:
            raise PrintingError("nothing was scanned", "没有扫到内容")
        with self.cache.read() as c:
            ids = find_orders(c, code)
            if not ids:
                raise PrintingError(f"no cached order for {code}", f"缓存中没有与 {code} 对应的订单")
            if len(ids) > 1:
                raise PrintingError(
                    f"{code} names {len(ids)} orders: scan the waybill or the unified id",
                    f"{code} 对应 {len(ids)} 个订单:请扫运单号或统一订单号",
                )
            document = order_document(c, ids[0])
            printed_by = jobs.last_done_job(c, ids[0])
        label = render(self.printer.profile, document, template=self.template)
        return Scanned(document["domain_id"], document, label, printed_by)

    def print(self, scanned: Scanned, *, reason: str | None = None) -> jobs.JobOutcome:
        """A job for the scanned order. Raises LabelIncomplete when a required field is empty (the
        preview shows which), PrintingError when a reprint lacks its reason."""
        return jobs.print_label(
            self.cache, scanned.domain_id, self.printer, operator=self.operator, reason=reason, template=self.template
        )

    def retry(self, job_id: int) -> jobs.JobOutcome:
        return jobs.retry(self.cache, job_id, self.printer, operator=self.operator)

    def handling_queue(self) -> list[dict[str, Any]]:
        with self.cache.read() as c:
            return scan.open_queue(c)

    def history(self, domain_id: str) -> list[dict[str, Any]]:
        with self.cache.read() as c:
            return jobs.jobs_of(c, domain_id)
