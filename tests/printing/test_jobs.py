"""Print jobs against a real cache file, a raw-9100 printer played by a local socket server that
records the bytes, and the outbox and audit trail they leave."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest

from orderdesk.printing import jobs, scan
from orderdesk.printing.errors import PrintingError
from orderdesk.printing.printers import Printer
from orderdesk.printing.profiles import load_profile
from orderdesk.printing.transports import FileTransport, RawTcpTransport
from orderdesk.sync.cache import Cache, audit
from orderdesk.sync.cache.apply import CacheWriter
from tests.conftest import obs, order, ref
from tests.recording_printer import RecordingPrinter


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def stocked(cache: Cache, writer: CacheWriter) -> dict[str, str]:
    writer.apply([order("DD1001", receiver={"name": "张龘", "phone": "13800138000", "address": "文三路1号"}),
                  order("DD1002", receiver={"name": "李𠀾", "phone": "13900139000", "address": "犇牛路2号"}),
                  order("DD1003", receiver={"name": "王伟", "phone": "13700137000", "address": "西湖区"})],
                 [obs("douyin", 105, "2026-01-24 14:23:00", ref(no)) for no in ("DD1001", "DD1002", "DD1003")])  # paid  # fmt: skip
    with cache.read() as c:
        return {no: r for no, r in c.exec_driver_sql("SELECT channel_order_no, domain_id FROM orders").all()}


def zpl_printer(port: int, *, timeout: float = 2.0) -> Printer:
    return Printer("zebra", load_profile("zpl-203-76x130-gb2312"), RawTcpTransport("127.0.0.1", port, timeout), True)


def outbox_kinds(cache: Cache) -> list[str]:
    with cache.read() as c:
        return [r[0] for r in c.exec_driver_sql("SELECT kind FROM outbox ORDER BY id")]


def test_print_sends_one_document_and_records_everything(cache, stocked, printer_server) -> None:
    outcome = jobs.print_label(cache, stocked["DD1001"], zpl_printer(printer_server.port), operator="packer1")
    assert outcome.state == "done", outcome.error
    assert len(printer_server.received) == 1
    sent = printer_server.received[0]
    assert sent.count(b"^XA") == 1 and b"_E5_BC_A0D_C3_A1" in sent  # 张Dá, hex-escaped UTF-8
    with cache.read() as c:
        job = c.exec_driver_sql("SELECT state, attempts, document FROM print_jobs").one()
        assert (job.state, job.attempts, bytes(job.document)) == ("done", 1, sent)
        logged = c.exec_driver_sql(
            "SELECT field, original, replacement, method, profile, operator FROM label_substitutions"
        ).all()
        assert [tuple(r) for r in logged] == [
            ("receiver_name", "龘", "Dá", "pinyin", "zpl-203-76x130-gb2312", "packer1")
        ]
        actions = {
            r.kind: json.loads(r.payload_json) for r in c.exec_driver_sql("SELECT kind, payload_json FROM outbox")
        }
        assert actions["rare_char_substitution"]["substitutions"][0]["replacement"] == "Dá"
        assert actions["print_result"]["state"] == "done"
        assert audit.verify(c).ok
        assert c.exec_driver_sql("SELECT action FROM audit_log ORDER BY seq DESC LIMIT 1").scalar_one() == "label.print"


def test_reprint_needs_a_reason_and_leaves_an_audit_entry(cache, stocked, printer_server) -> None:
    printer = zpl_printer(printer_server.port)
    first = jobs.print_label(cache, stocked["DD1003"], printer, operator="packer1")
    with pytest.raises(PrintingError, match="reprint needs a reason") as refused:
        jobs.print_label(cache, stocked["DD1003"], printer, operator="packer1")
    assert "补打需要填写原因" in refused.value.zh
    again = jobs.print_label(cache, stocked["DD1003"], printer, operator="packer2", reason="label torn")
    assert again.state == "done" and len(printer_server.received) == 2
    with cache.read() as c:
        row = c.exec_driver_sql("SELECT reprint_of, reason FROM print_jobs WHERE id = ?", (again.job_id,)).one()
        assert tuple(row) == (first.job_id, "label torn")
        entry = c.exec_driver_sql(
            "SELECT action, operator, payload_json FROM audit_log ORDER BY seq DESC LIMIT 1"
        ).one()
        assert entry.action == "label.reprint" and entry.operator == "packer2"
        assert json.loads(entry.payload_json)["reason"] == "label torn"


def test_unreachable_printer_fails_clearly_and_retry_sends_the_same_bytes(cache, stocked) -> None:
    port = free_port()  # nobody listens: refused
    outcome = jobs.print_label(cache, stocked["DD1002"], zpl_printer(port), operator="packer1", markers_accepted=True)
    assert outcome.state == "failed"
    assert outcome.error is not None
    assert f"127.0.0.1:{port}" in outcome.error.en and "refused" in outcome.error.en
    assert "拒绝连接" in outcome.error.zh
    assert outbox_kinds(cache) == []  # nothing reported until it printed
    server = RecordingPrinter()
    try:
        done = jobs.retry(cache, outcome.job_id, zpl_printer(server.port), operator="packer1")
        assert done.state == "done" and done.job_id == outcome.job_id
        with cache.read() as c:
            stored = bytes(
                c.exec_driver_sql("SELECT document FROM print_jobs WHERE id = ?", (done.job_id,)).scalar_one()
            )
        assert server.received == [stored]
        assert outbox_kinds(cache) == ["rare_char_substitution", "print_result"]
    finally:
        server.close()
    with pytest.raises(PrintingError, match="only a failed"):
        jobs.retry(cache, outcome.job_id, zpl_printer(port), operator="packer1")


def test_black_hole_printer_times_out_and_one_failure_leaves_others_alone(cache, stocked, printer_server) -> None:
    silent = socket.create_server(("127.0.0.1", 0), backlog=0)  # accepts into the backlog, never reads
    port = silent.getsockname()[1]
    try:
        big = Printer("zebra", load_profile("zpl-203-76x130"), RawTcpTransport("127.0.0.1", port, 0.5), True)
        blocker = socket.create_connection(("127.0.0.1", port))  # fill the backlog so the next one hangs
        failed = jobs.print_label(cache, stocked["DD1001"], big, operator="p")
        blocker.close()
    finally:
        silent.close()
    assert failed.state == "failed" and "did not answer within 0.5 s" in failed.said.en, failed.error
    ok = jobs.print_label(cache, stocked["DD1003"], zpl_printer(printer_server.port), operator="p")
    assert ok.state == "done" and len(printer_server.received) == 1
    with cache.read() as c:
        assert dict(c.exec_driver_sql("SELECT id, state FROM print_jobs").all()) == {
            failed.job_id: "failed", ok.job_id: "done"}  # fmt: skip


def test_file_transport_and_pdf(cache, stocked, tmp_path: Path) -> None:
    printer = Printer("pdf", load_profile("pdf-76x130"), FileTransport(tmp_path / "out"), True)
    outcome = jobs.print_label(cache, stocked["DD1002"], printer, operator="p", markers_accepted=True)
    path = Path(outcome.delivered_to or "")
    assert outcome.state == "done" and path.read_bytes().startswith(b"%PDF")
    assert path.name == f"{stocked['DD1002']}-{outcome.job_id}.pdf"


def test_scan_queues_orders_that_need_a_fallback_and_printing_resolves_them(cache, stocked, printer_server) -> None:
    profile = load_profile("zpl-203-76x130-gb2312")
    with cache.read() as c:
        scanned, findings = scan.find(c, profile, days=36500)
    assert scanned == 3
    found = {f.domain_id: [(s.field, s.char, s.method) for s in f.substitutions] for f in findings}
    assert found == {
        stocked["DD1001"]: [("receiver_name", "龘", "pinyin")],
        stocked["DD1002"]: [("receiver_name", "𠀾", "marker"), ("receiver_address", "犇", "pinyin")],
    }
    assert scan.enqueue(cache, profile, findings) == 2
    assert scan.enqueue(cache, profile, findings) == 2  # scanning again adds nothing
    jobs.print_label(cache, stocked["DD1001"], zpl_printer(printer_server.port), operator="p")
    with cache.read() as c:
        assert [e["order"] for e in scan.open_queue(c)] == [stocked["DD1002"]]
    assert scan.enqueue(cache, profile, findings) == 1  # a handled order stays handled


def test_scan_finds_rare_characters_in_item_titles_and_honours_the_date_range(cache, writer) -> None:
    lines = [{"line_no": 1, "sku": "SKU-Z", "title": "龘牌猫粮", "quantity": 1, "unit_price_fen": 100}]
    plain = {"name": "王伟", "phone": "13800138000", "address": "文三路1号"}
    writer.apply([order("DD3001", lines=lines, paid_amount_fen=100, receiver=plain, created_at="2026-11-20T10:00:00+08:00"),
                  order("DD3002", lines=lines, paid_amount_fen=100, receiver=plain, created_at="2026-10-01T10:00:00+08:00")])  # fmt: skip
    profile = load_profile("zpl-203-76x130-gb2312")
    with cache.read() as c:
        created = dict(c.exec_driver_sql("SELECT channel_order_no, created_at_ms FROM orders").all())
        now = created["DD3001"] + 86_400_000
        scanned, findings = scan.find(c, profile, days=7, now_ms=now)
    assert scanned == 1
    assert [[(s.field, s.char) for s in f.substitutions] for f in findings] == [[("items", "龘")]]


def test_a_marker_is_refused_until_a_person_types_a_replacement_or_accepts_it(cache, stocked, printer_server) -> None:
    printer = zpl_printer(printer_server.port)
    with pytest.raises(PrintingError) as refused:
        jobs.print_label(cache, stocked["DD1002"], printer, operator="p")
    assert "U+2003E" in refused.value.zh and "替代" in refused.value.zh
    with cache.read() as c:
        assert c.exec_driver_sql("SELECT count(*) FROM print_jobs").scalar_one() == 0  # nothing refused is a job
    outcome = jobs.print_label(cache, stocked["DD1002"], printer, operator="p", typed={"𠀾": "Mo"})
    assert outcome.state == "done" and outcome.label is not None
    assert any("李Mo" in field.text for field in outcome.label.preflight.fields.values())
    with cache.read() as c:
        rows = c.exec_driver_sql("SELECT original, replacement, method FROM label_substitutions").all()
    assert ("𠀾", "Mo", "typed") in [tuple(r) for r in rows]


def test_a_cancelled_order_is_refused_unless_overridden_with_an_audited_reason(
    cache, writer, stocked, tmp_path
) -> None:
    writer.apply([], [obs("douyin", 4, "2026-01-25 10:00:00", ref("DD1003"), fields={"main_status": 4})])
    printer = Printer("pdf", load_profile("pdf-76x130"), FileTransport(tmp_path), True)
    with pytest.raises(PrintingError) as refused:
        jobs.print_label(cache, stocked["DD1003"], printer, operator="packer1", confirmed=True)
    assert "已取消" in refused.value.zh
    outcome = jobs.print_label(cache, stocked["DD1003"], printer, operator="lead", override="顾客当面取消了取消")
    assert outcome.state == "done"
    with cache.read() as c:
        entries = c.exec_driver_sql(
            "SELECT operator, payload_json FROM audit_log WHERE action = 'label.override'"
        ).all()  # fmt: skip
    assert [(e[0], json.loads(e[1])["reason"]) for e in entries] == [("lead", "顾客当面取消了取消")]
    with cache.read() as c:
        assert audit.verify(c).ok
