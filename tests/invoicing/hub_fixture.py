"""The real hub and the local 诺诺-protocol platform on loopback ports, and the hub's invoicer between
them (cycled by the test, not by a thread, so a test sees each step)."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from orderdesk.hub.demo import _uscc
from orderdesk.hub.invoicer import Invoicer
from orderdesk.hub.server import BackgroundHub
from orderdesk.hub.store import HubStore
from orderdesk.invoicing.platform.local import DEMO_SELLER, LocalPlatform
from orderdesk.invoicing.platform.nuonuo import NuonuoPlatform
from orderdesk.sync.contract import ObservationRecord, OrderRecord
from tests.conftest import obs, order, ref, token_for

BUYER_ID = _uscc(random.Random("杭州云帆科技有限公司"))
COMPANY = {"kind": "pc", "buyer_type": "company", "title": "杭州云帆科技有限公司", "taxpayer_id": BUYER_ID}
SIGNED = [("douyin", 105, "2026-11-24T14:01:00+08:00"), ("douyin", 3, "2026-11-24T18:00:00+08:00"),
          ("douyin", 5, "2026-11-25T10:00:00+08:00")]  # fmt: skip


@dataclass
class Invoicing:
    hub: BackgroundHub
    store: HubStore
    platform: LocalPlatform
    invoicer: Invoicer
    clerk: httpx.Client

    def put(self, orders: list[dict[str, Any]], observations: list[dict[str, Any]]) -> list[str]:
        with self.store.write() as c:
            ids = self.store.put_orders(c, [OrderRecord.model_validate(o) for o in orders])
            self.store.put_observations(c, [ObservationRecord.model_validate(o) for o in observations])
        return ids

    def signed_order(self, no: str, *, invoice: dict[str, Any] | None = COMPANY, **overrides: Any) -> str:
        record = order(no, **({"invoice": invoice} if invoice else {}), **overrides)
        return self.put([record], [obs(s, st, at, ref(no)) for s, st, at in SIGNED])[0]

    def refund(self, no: str, line_no: int, fen: int, refund_id: str) -> None:
        self.put([], [obs("douyin", 12, "2026-11-26T10:00:00+08:00", ref(no), status_field="after_sale_status",
                          fields={"refund_status": 3}, line_no=line_no, refund_id=refund_id, refund_fen=fen)])  # fmt: skip

    def act(self, kind: str, key: str, order: str | None = None, **payload: Any) -> httpx.Response:
        body = {"kind": kind, "payload": payload, **({"order": order} if order else {})}
        return self.clerk.post("/v1/actions", json=body, headers={"Idempotency-Key": f"test-key-{key}"})

    def invoices_of(self, domain_id: str) -> list[dict[str, Any]]:
        return self.clerk.get(f"/v1/orders/{domain_id}/invoices").json()["invoices"]


def invoicing_setup(tmp_path: Path, *, timeout: float = 5.0) -> Iterator[Invoicing]:
    store = HubStore(f"sqlite:///{tmp_path / 'hub.sqlite3'}")
    store.ensure_demo_users()
    hub = BackgroundHub(store)
    platform = LocalPlatform(delay=0.05, answer_late=1.0)
    platform.start()
    adapter = NuonuoPlatform(platform.url, app_key=platform.app_key, app_secret=platform.app_secret,
                             tax_num=DEMO_SELLER.taxpayer_id, timeout=timeout)  # fmt: skip
    invoicer = Invoicer(store, adapter, resend_after_s=0.2, today="2026-11-27")
    hub.app.state.invoicer = invoicer
    hub.start()
    clerk = httpx.Client(
        base_url=hub.url, headers={"Authorization": f"Bearer {token_for(hub.url, 'clerk')}"}, timeout=10
    )
    try:
        yield Invoicing(hub, store, platform, invoicer, clerk)
    finally:
        clerk.close()
        adapter.close()
        hub.stop()
        platform.stop()
        store.close()
