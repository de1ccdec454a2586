"""End to end over loopback: demo orders synced from the real hub, a rare-name label printed to a
recording raw-9100 printer, and the next sync delivering the substitution and the print result."""

from __future__ import annotations

import json
import shutil

import pytest

from orderdesk.hub.demo import seed
from orderdesk.printing import jobs
from orderdesk.printing.errors import PrinterUnreachable
from orderdesk.printing.printers import Printer, get_printer, list_printers, printers_file
from orderdesk.printing.profiles import load_profile
from orderdesk.printing.transports import RawTcpTransport, SystemQueueTransport
from tests.conftest import token_for
from tests.printing.test_jobs import RecordingPrinter
from tests.sync.test_syncer import sync


def test_a_printed_rare_name_reaches_the_hub(hub, cache) -> None:
    seed(hub.store, 300, seed_value=11)
    token = token_for(hub.url, "packer")
    sync(hub.url, cache, token)
    with cache.read() as c:
        names = c.exec_driver_sql("SELECT domain_id, receiver_name FROM orders").all()
    domain_id = next(d for d, name in names if any(ch in name for ch in "龘堃喆昇赟犇淼焱𠀾𪚥"))
    server = RecordingPrinter()
    try:
        printer = Printer(
            "zebra", load_profile("zpl-203-76x130-gb2312"), RawTcpTransport("127.0.0.1", server.port), True
        )
        outcome = jobs.print_label(cache, domain_id, printer, operator="packer", confirmed=True, markers_accepted=True)
    finally:
        server.close()
    assert outcome.state == "done" and len(server.received) == 1
    substitutions = outcome.label.preflight.substitutions if outcome.label else []
    assert substitutions and all(s.method in ("pinyin", "marker") for s in substitutions)
    summary = sync(hub.url, cache, token)
    assert (summary["actions_pushed"], summary["actions_pending"]) == (2, 0)
    with hub.store.read() as c:
        actions = {
            kind: json.loads(body)
            for kind, body in c.exec_driver_sql(
                "SELECT kind, request_json FROM hub_actions WHERE order_domain_id = ?", (domain_id,)
            )
        }
    assert actions["print_result"]["payload"]["state"] == "done"
    sent = actions["rare_char_substitution"]["payload"]["substitutions"]
    assert [s["char"] for s in sent] == [s.char for s in substitutions]


def test_configured_printers_come_from_the_users_printers_json() -> None:
    path = printers_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"packing-1": {"profile": "tspl-203-76x130", "transport": {"host": "10.1.2.3"}}}))
    printer = get_printer("packing-1")
    assert printer.configured and printer.transport.describe() == "tcp://10.1.2.3:9100"
    assert len(list_printers()) == len(list({p.name for p in list_printers()}))


def test_no_system_queue_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda _: None)
    with pytest.raises(PrinterUnreachable, match="CUPS") as refused:
        SystemQueueTransport("default").send(b"%PDF", name="x.pdf", raw=False)
    assert "系统打印队列" in refused.value.zh
