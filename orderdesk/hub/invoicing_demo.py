"""Invoicing for the demo (and `orderdesk hub --local-platform`): the local 诺诺-protocol platform on
a loopback port, the hub's invoicer on a thread, and — so every tab of the Finance workspace has work
on the first start — a few refunds after invoicing (finance's REFUND_SETTLED for one line) and a
platform that now and then fails (failed, seal failed, lost answers, duplicates)."""

from __future__ import annotations

import logging
import threading
from datetime import UTC, datetime

from fastapi import FastAPI

from orderdesk.hub import invoice_store as book
from orderdesk.hub.invoicer import Invoicer
from orderdesk.hub.store import HubStore
from orderdesk.invoicing.platform.local import DEMO_SELLER, LocalPlatform
from orderdesk.invoicing.platform.nuonuo import NuonuoPlatform
from orderdesk.invoicing.states import InvoiceState
from orderdesk.sync.contract import ObservationRecord

log = logging.getLogger(__name__)
PLANTED_REFUNDS = 3


class DemoInvoicing:
    def __init__(self, store: HubStore, app: FastAPI, *, failure_rate: float = 0.08, credit_fen: int | None = 50_000_000,
                 interval: float = 1.0) -> None:  # fmt: skip
        self.store, self.app, self.interval = store, app, interval
        self.platform = LocalPlatform(failure_rate=failure_rate, delay=0.3)
        self.credit_fen = credit_fen
        self.adapter: NuonuoPlatform | None = None
        self.invoicer: Invoicer | None = None
        self._settling: threading.Thread | None = None
        self._stopped = threading.Event()

    def start(self) -> DemoInvoicing:
        """The platform now; the history invoiced on a thread (the console is usable meanwhile and
        sees invoices arrive), then refunds after invoicing planted, then invoicing goes on as orders do."""
        self.platform.start()
        self.adapter = NuonuoPlatform(self.platform.url, app_key=self.platform.app_key,
                                      app_secret=self.platform.app_secret, tax_num=DEMO_SELLER.taxpayer_id, timeout=5.0)  # fmt: skip
        self.invoicer = Invoicer(self.store, self.adapter, credit_fen=self.credit_fen)
        self.app.state.invoicer = self.invoicer
        self._settling = threading.Thread(target=self._settle, name="demo-invoicing", daemon=True)
        self._settling.start()
        return self

    def _settle(self) -> None:
        assert self.invoicer is not None
        try:
            self.invoicer.until_quiet(most=40, pause=0.1)
            self.plant_refunds()
        except Exception:  # the demo goes on without the planted refunds; the log says why
            log.exception("settling the demo's invoices failed")
        if not self._stopped.is_set():
            self.invoicer.start(self.interval)

    def plant_refunds(self) -> int:
        with self.store.read() as c:
            issued = [b for b in book.in_states(c, [InvoiceState.ISSUED], limit=200) if not b["red_of"]]
        planted = []
        for body in issued[:: max(1, len(issued) // PLANTED_REFUNDS)][:PLANTED_REFUNDS]:
            line = body["lines"][0]
            planted.append(ObservationRecord.model_validate({
                "source": "finance", "status": "REFUND_SETTLED", "line_no": line["line_no"],
                "refund_id": f"RF-INV-{body['order_no'][-6:]}", "refund_fen": max(1, line["included_fen"] // 2),
                "observed_at": datetime.now(UTC).isoformat(), "order": {"domain_id": line["order"]},
            }))  # fmt: skip
        with self.store.write() as c:
            self.store.put_observations(c, planted)
        return len(planted)

    def stop(self) -> None:
        self._stopped.set()
        if self._settling is not None:
            self._settling.join(timeout=60)
        if self.invoicer is not None:
            self.invoicer.stop()
        if self.adapter is not None:
            self.adapter.close()
        self.platform.stop()
