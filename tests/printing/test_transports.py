"""Transports against real sockets and a recorded `lp`: a reset while sending is a failure, a printer
that stops reading is a failure, an address that names no machine is a setting to change, and every
CUPS job carries the label's media. The real-CUPS test runs only where a cups-pdf queue answers."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from orderdesk.printing.cups import SystemQueueTransport, lp_command, refusal
from orderdesk.printing.delivery import Media
from orderdesk.printing.errors import PrinterMisconfigured, PrinterUnreachable
from orderdesk.printing.profiles import load_profile
from orderdesk.printing.transports import RawTcpTransport
from tests.printing.test_jobs import free_port
from tests.recording_printer import RecordingPrinter, ResettingPrinter

LABEL = Media(76, 130)


@pytest.fixture
def resetting() -> Iterator[ResettingPrinter]:
    server = ResettingPrinter(take=1000)
    yield server
    server.close()


@pytest.mark.parametrize("size", [200_000, 20_000_000], ids=["fits-in-the-buffers", "larger-than-the-buffers"])
def test_a_reset_while_sending_is_a_failure_never_sent(resetting, size: int) -> None:
    with pytest.raises(PrinterUnreachable) as failed:
        RawTcpTransport("127.0.0.1", resetting.port, 2.0).send(b"^XA" + b"0" * size, name="x.zpl", raw=True)
    assert failed.value.retryable
    assert "broke off the connection" in failed.value.en and "断开了连接" in failed.value.zh
    assert resetting.read and resetting.read[0] <= 1000


def test_a_printer_that_stops_reading_is_a_failure_said_as_such() -> None:
    silent = socket.create_server(("127.0.0.1", 0))  # accepts, never reads: the buffers fill up
    port = silent.getsockname()[1]
    accepted: list[socket.socket] = []
    threading.Thread(target=lambda: accepted.append(silent.accept()[0]), daemon=True).start()
    try:
        started = time.monotonic()
        with pytest.raises(PrinterUnreachable) as failed:
            RawTcpTransport("127.0.0.1", port, 0.5).send(b"0" * 30_000_000, name="x.zpl", raw=True)
        assert time.monotonic() - started < 10
    finally:
        for connection in accepted:
            connection.close()
        silent.close()
    assert failed.value.retryable and "stopped taking the label" in failed.value.en


def test_a_whole_label_taken_is_sent_and_says_where(printer_server: RecordingPrinter) -> None:
    delivery = RawTcpTransport("127.0.0.1", printer_server.port).send(b"^XA^XZ", name="x.zpl", raw=True)
    assert printer_server.received == [b"^XA^XZ"]
    assert (delivery.where, delivery.said.zh) == (f"127.0.0.1:{printer_server.port}",
                                             f"已发送到打印机 127.0.0.1:{printer_server.port}")  # fmt: skip


def test_an_address_that_names_no_machine_is_a_setting_to_change_and_a_refusal_is_worth_retrying() -> None:
    with pytest.raises(PrinterMisconfigured) as unknown:
        RawTcpTransport("printer-nowhere.invalid", 9100, 2.0).send(b"x", name="x.zpl", raw=True)
    assert not unknown.value.retryable
    assert "printer-nowhere.invalid" in unknown.value.en and "Settings → Printers" in unknown.value.en
    assert "找不到" in unknown.value.zh
    with pytest.raises(PrinterUnreachable) as refused:
        RawTcpTransport("127.0.0.1", free_port(), 2.0).send(b"x", name="x.zpl", raw=True)
    assert refused.value.retryable and not isinstance(refused.value, PrinterMisconfigured)


def test_every_cups_job_carries_the_labels_media_and_orientation(fake_cups) -> None:
    pdf = SystemQueueTransport("Zebra_ZD421").send(b"%PDF-1.4 label", name="DB1-7.pdf", raw=False, media=LABEL)
    zpl = SystemQueueTransport("").send(b"^XA^XZ", name="DB1-8.zpl", raw=True, media=LABEL)
    first, second = fake_cups.calls()
    assert first["argv"] == ["-d", "Zebra_ZD421", "-t", "DB1-7.pdf", "-o", "media=Custom.76x130mm",
                             "-o", "orientation-requested=3", "-o", "fit-to-page"]  # fmt: skip
    assert first["stdin"] == b"%PDF-1.4 label" and first["lc_all"] == "C"
    assert second["argv"] == ["-t", "DB1-8.zpl", "-o", "media=Custom.76x130mm", "-o", "orientation-requested=3",
                              "-o", "raw"]  # fmt: skip
    assert (pdf.where, pdf.reference, pdf.said.zh, pdf.said.en) == (
        "Zebra_ZD421",
        "Zebra_ZD421-1",
        "已送到打印队列 Zebra_ZD421",
        "sent to print queue Zebra_ZD421",
    )
    assert "request id" not in zpl.said.en + zpl.said.zh and zpl.reference == "PDF-2"  # fmt: skip


def test_the_media_is_the_profiles_label_size() -> None:
    assert Media.of(load_profile("zpl-300-100x180")).cups == "Custom.100x180mm"
    assert Media.of(load_profile("escpos-80mm")).cups == "Custom.72x120mm"


def test_cups_refusals_in_words_and_only_a_setting_is_not_retryable(fake_cups) -> None:
    fake_cups.set(lp_stderr="lp: Error - The printer or class does not exist.\n")
    with pytest.raises(PrinterMisconfigured) as missing:
        SystemQueueTransport("Label").send(b"%PDF", name="x.pdf", raw=False, media=LABEL)
    assert "no print queue Label" in missing.value.en and "PDF, Zebra_ZD421" in missing.value.en
    assert "本机没有打印队列 Label" in missing.value.zh and "lp:" not in missing.value.en
    fake_cups.set(running=False)  # CUPS says "does not exist" when its scheduler is down, too
    with pytest.raises(PrinterUnreachable) as stopped:
        SystemQueueTransport("Label").send(b"%PDF", name="x.pdf", raw=False, media=LABEL)
    assert stopped.value.retryable and "not running" in stopped.value.en
    fake_cups.set(running=True, lp_stderr='lp: Destination "Label" is not accepting jobs.\n')
    with pytest.raises(PrinterUnreachable) as rejecting:
        SystemQueueTransport("Label").send(b"%PDF", name="x.pdf", raw=False, media=LABEL)
    assert rejecting.value.retryable and "cupsaccept Label" in rejecting.value.en


def test_no_cups_at_all_is_a_setting_to_change(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda _: None)
    with pytest.raises(PrinterMisconfigured) as refused:
        SystemQueueTransport("").send(b"%PDF", name="x.pdf", raw=False)
    assert not refused.value.retryable and "PDF files into a folder" in refused.value.en


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(said=st.text(max_size=300), queue=st.text(max_size=20))
def test_any_words_lp_may_say_become_a_bilingual_error(fake_cups, said: str, queue: str) -> None:
    error = refusal(queue, said, str(fake_cups.folder / "bin" / "lp"))
    assert isinstance(error, PrinterUnreachable) and error.en and error.zh
    assert len(error.en) < 400


@given(queue=st.text(max_size=30), name=st.text(min_size=1, max_size=30), raw=st.booleans())
def test_the_lp_command_line_always_names_the_media(queue: str, name: str, raw: bool) -> None:
    command = lp_command("lp", queue, name=name, raw=raw, media=LABEL)
    assert command[command.index("-t") + 1] == name
    assert "media=Custom.76x130mm" in command and ("raw" in command) == raw


def _cups_pdf_queue() -> str | None:
    queue = os.environ.get("ORDERDESK_CUPS_PDF_QUEUE", "PDF")
    if not shutil.which("lpstat"):
        return None
    try:
        running = subprocess.run(["lpstat", "-r"], capture_output=True, text=True, timeout=5, check=False)
        queues = subprocess.run(["lpstat", "-e"], capture_output=True, text=True, timeout=5, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return queue if "is running" in running.stdout and queue in queues.stdout.split() else None


@pytest.mark.skipif(
    _cups_pdf_queue() is None,
    reason="needs a running CUPS server with a cups-pdf queue (ORDERDESK_CUPS_PDF_QUEUE, default PDF); "
    "the fake lp above covers the rest",
)
def test_a_real_cups_pdf_queue_prints_the_label_on_label_sized_paper(tmp_path: Path) -> None:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    from orderdesk.printing.render import render
    from tests.printing.conftest import DOCUMENT

    profile = load_profile("pdf-76x130")
    title = f"orderdesk-test-{os.getpid()}-{time.time_ns()}"
    delivery = SystemQueueTransport(_cups_pdf_queue() or "").send(
        render(profile, DOCUMENT).data, name=title, raw=False, media=Media.of(profile)
    )
    assert delivery.reference
    out = Path(os.environ.get("ORDERDESK_CUPS_PDF_DIR", Path.home() / "PDF"))
    deadline = time.monotonic() + 30
    pages = None
    while pages is None and time.monotonic() < deadline:
        for made in out.glob(f"{title}*.pdf"):
            try:
                pages = PdfReader(made).pages  # cups-pdf may still be writing it
            except (PdfReadError, OSError, ValueError):
                time.sleep(0.2)
        time.sleep(0.1)
    assert pages, f"cups-pdf wrote no readable PDF named {title}* into {out}"
    box = pages[0].mediabox
    assert (round(float(box.width) / 72 * 25.4), round(float(box.height) / 72 * 25.4)) == (76, 130)


@pytest.mark.parametrize(
    "answer", [b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n", b"SSH-2.0-OpenSSH_9.2\r\n"]
)
def test_an_address_that_answers_like_another_server_is_not_printed_to(answer: bytes) -> None:
    """Found by trying: a wrong address whose port 9100 was a web server took the label, answered
    "HTTP/1.1 400", and the job was recorded as printed."""
    server = socket.create_server(("127.0.0.1", 0))

    def serve() -> None:
        connection, _ = server.accept()
        with connection:
            connection.recv(65536)
            connection.sendall(answer)
            time.sleep(0.5)

    threading.Thread(target=serve, daemon=True).start()
    try:
        with pytest.raises(PrinterMisconfigured) as refused:
            RawTcpTransport("127.0.0.1", server.getsockname()[1], 3.0).send(b"^XA^FDx^FS^XZ", name="x.zpl", raw=True)
    finally:
        server.close()
    assert not refused.value.retryable and "9100" in refused.value.zh and "不是打印机" in refused.value.zh
