"""A test print: a sample label (a rare character included) straight to a printer — no order, no
job, nothing reported to the hub. It renders and sends in the calling thread (about 1.6 s the first
time, while fonts load): the console calls it from a worker thread."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from orderdesk.printing.delivery import Delivery, Media
from orderdesk.printing.printers import Printer

SAMPLE: dict[str, Any] = {
    "domain_id": "DB20261125TESTPRINT000",
    "channel_order_no": "TEST-0001",
    "waybill_no": "TEST1234567890",
    "carrier": "测试 TEST",
    "receiver": {
        "name": "测试打印 龘",
        "phone": "13800000000",
        "province": "浙江省",
        "city": "杭州市",
        "district": "西湖区",
        "address": "文三路 1 号 Test print",
    },
    "lines": [{"title": "测试商品 Test item", "quantity": 1}],
}


def print_sample(printer: Printer, *, template: str | None = None, printed_at: datetime | None = None) -> Delivery:
    """Render the sample for ``printer`` (with ``template``, else its profile's own) and send it.
    Raises PrintingError (PrinterUnreachable / PrinterMisconfigured when it did not arrive)."""
    from orderdesk.printing.render import render

    label = render(printer.profile, SAMPLE, template=template, printed_at=printed_at or datetime.now())
    return printer.transport.send(
        label.data,
        name=f"test-print{label.suffix}",
        raw=printer.profile.language != "pdf",
        media=Media.of(printer.profile),
    )
