"""What a print job's outcome says: a label missing a required field is refused (and kept as a
failed job saying what is missing), a reset is a retryable failure, a setting to change is not, a
CUPS job carries the label's media, and the template setting is what lays the label out."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from orderdesk.app.cli.main import main
from orderdesk.app.services.packing import PackingStation
from orderdesk.printing import jobs
from orderdesk.printing.errors import LabelIncomplete, PrintingError
from orderdesk.printing.printer_spec import PrinterSpec
from orderdesk.printing.printers import Printer
from orderdesk.printing.profiles import load_profile
from orderdesk.printing.transports import RawTcpTransport
from orderdesk.sync.cache import Cache
from orderdesk.sync.cache.apply import CacheWriter
from tests.conftest import obs, order, ref
from tests.recording_printer import ResettingPrinter


@pytest.fixture
def orders(cache: Cache, writer: CacheWriter) -> dict[str, str]:
    paid = [obs("douyin", 105, "2026-01-24 14:23:00", ref(no)) for no in ("DD5001", "DD5002")]
    writer.apply([order("DD5001"), order("DD5002", waybill_no="")], paid)
    with cache.read() as c:
        return {no: d for no, d in c.exec_driver_sql("SELECT channel_order_no, domain_id FROM orders").all()}


def outbox(cache: Cache) -> list[str]:
    with cache.read() as c:
        return [r[0] for r in c.exec_driver_sql("SELECT kind FROM outbox")]


def test_a_label_without_its_waybill_no_is_refused_saying_what_is_missing(cache, orders, printer_server) -> None:
    printer = Printer("zebra", load_profile("zpl-203-76x130"), RawTcpTransport("127.0.0.1", printer_server.port), True)
    with pytest.raises(LabelIncomplete) as refused:
        jobs.print_label(cache, orders["DD5002"], printer, operator="packer")
    assert refused.value.fields == ["waybill_no"] and not refused.value.retryable
    assert "waybill no." in refused.value.en and "运单号" in refused.value.zh
    assert printer_server.received == [] and outbox(cache) == []
    with cache.read() as c:  # kept where a person sees it: the order's print history
        (job,) = jobs.jobs_of(c, orders["DD5002"])
    assert job["state"] == "failed" and "运单号" in job["error_zh"] and job["id"] == refused.value.job_id
    done = jobs.print_label(cache, orders["DD5001"], printer, operator="packer")
    assert done.state == "done" and len(printer_server.received) == 1


def test_the_cli_refuses_it_too(tmp_path: Path, capsys) -> None:
    cache = str(tmp_path / "cli.sqlite3")
    (tmp_path / "o.jsonl").write_text(json.dumps({"order": order("DD5003", waybill_no="")}) + "\n")
    assert main(["--cache", cache, "orders", "import", str(tmp_path / "o.jsonl")]) == 0
    capsys.readouterr()
    code = main(["--cache", cache, "labels", "print", "DD5003", "--to", f"file:{tmp_path / 'out'}", "--confirm"])
    assert code == 2 and "缺少运单号" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_a_reset_mid_job_is_a_retryable_failure_and_reports_nothing(cache, orders) -> None:
    server = ResettingPrinter(take=500)
    try:
        printer = Printer("zebra", load_profile("zpl-203-76x130"), RawTcpTransport("127.0.0.1", server.port, 2), True)
        outcome = jobs.print_label(cache, orders["DD5001"], printer, operator="packer")
    finally:
        server.close()
    assert (outcome.state, outcome.retryable, outcome.delivery) == ("failed", True, None)
    assert "断开了连接" in outcome.said.zh and outcome.as_json()["retryable"] is True
    assert outbox(cache) == []


def test_an_address_that_names_no_machine_fails_without_a_retry_that_could_help(cache, orders) -> None:
    spec = PrinterSpec("warehouse", "zpl-203-76x130", "tcp", host="printer-nowhere.invalid", timeout_s=2)
    outcome = jobs.print_label(cache, orders["DD5001"], Printer.of(spec, configured=True), operator="packer")
    assert outcome.state == "failed" and outcome.retryable is False
    assert outcome.error is not None and "Settings → Printers" in outcome.error.en


def test_a_cups_job_carries_the_media_and_says_the_queue_not_lps_words(cache, orders, fake_cups) -> None:
    printer = Printer.of(PrinterSpec("office", "pdf-100x150", "queue", queue="Zebra_ZD421"), configured=True)
    outcome = jobs.print_label(cache, orders["DD5001"], printer, operator="packer")
    assert outcome.state == "done", outcome.error
    (call,) = fake_cups.calls()
    assert "media=Custom.100x150mm" in call["argv"] and "fit-to-page" in call["argv"]
    assert call["stdin"].startswith(b"%PDF")
    assert outcome.said.zh == "已送到打印队列 Zebra_ZD421" and outcome.delivery.reference == "Zebra_ZD421-1"
    assert outcome.delivered_to == "Zebra_ZD421"


def test_the_template_setting_lays_the_label_out(cache, orders, tmp_path: Path) -> None:
    printer = Printer.of(PrinterSpec("files", "pdf-76x130", "file", folder=str(tmp_path)), configured=True)
    station = PackingStation(cache, printer, "packer", template="waybill-100x150")
    with pytest.raises(PrintingError, match="100×150 mm but printer profile pdf-76x130 prints 76×130"):
        station.look_up("DD5001")  # the setting is read: a template of another size is refused
    with pytest.raises(PrintingError) as refused:  # refused before it becomes a job: a setting to change
        jobs.print_label(cache, orders["DD5001"], printer, operator="p", template="waybill-100x150")
    assert not refused.value.retryable and "面单模板" in refused.value.zh
    station.set_template("waybill-76x130")
    scanned = station.look_up("DD5001")
    assert scanned.label.layout.width_mm == 76
    wide = Printer.of(PrinterSpec("wide", "pdf-100x150", "file", folder=str(tmp_path)), configured=True)
    station.set_printer(wide)
    station.set_template(None)
    assert station.look_up("DD5001").label.layout.width_mm == 100


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(waybill=st.one_of(st.just(""), st.text(alphabet=" \t", max_size=3), st.from_regex(r"\ASF[0-9]{10}\Z")))
def test_only_a_label_with_every_required_field_prints(cache, writer, tmp_path: Path, waybill: str) -> None:
    number = f"DD6{len(outbox(cache)) + abs(hash(waybill)) % 10**9:09d}"
    report = writer.apply([order(number, waybill_no=waybill)], [obs("douyin", 105, "2026-01-24 14:23:00", ref(number))])
    assert report.quarantined == []
    with cache.read() as c:
        domain_id = c.exec_driver_sql("SELECT domain_id FROM orders WHERE channel_order_no = ?", (number,)).scalar_one()
        printed_before = c.exec_driver_sql("SELECT count(*) FROM print_jobs WHERE state = 'done'").scalar_one()
    printer = Printer.of(PrinterSpec("files", "pdf-76x130", "file", folder=str(tmp_path / "out")), configured=True)
    if waybill.strip():
        assert jobs.print_label(cache, domain_id, printer, operator="p", reason="again").state == "done"
    else:
        with pytest.raises(LabelIncomplete):
            jobs.print_label(cache, domain_id, printer, operator="p", reason="again")
        with cache.read() as c:
            assert (
                c.exec_driver_sql("SELECT count(*) FROM print_jobs WHERE state = 'done'").scalar_one() == printed_before
            )
