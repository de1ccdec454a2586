"""Setting printers up (printers.json): a fresh machine prints PDF files into a folder it names;
printers are added, edited, renamed, removed and made default; every refusal names the field and
the value in both languages; an entry that cannot work is kept and reported while the rest work."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from orderdesk.printing.errors import PrinterSettingRefused
from orderdesk.printing.printer_spec import KINDS, PrinterSpec
from orderdesk.printing.printers import BUILT_IN, PrinterBook, get_printer, printers_file
from orderdesk.printing.profiles import profile_names
from orderdesk.printing.transports import FileTransport, RawTcpTransport, SystemQueueTransport


@pytest.fixture
def book(tmp_path: Path) -> PrinterBook:
    return PrinterBook(tmp_path / "printers.json")


def test_a_fresh_machine_prints_pdf_files_into_the_documents_folder(tmp_path: Path) -> None:
    printer = get_printer()
    assert printer.name == "pdf-folder" and printer.profile.name == "pdf-76x130"
    assert printer.transport == FileTransport(tmp_path / "documents" / "labels")  # ORDERDESK_DOCUMENTS_DIR in tests
    assert not printers_file().exists()  # nothing written until something is set up


def test_add_edit_rename_make_default_and_remove(book: PrinterBook) -> None:
    book.add(PrinterSpec(" packing-1 ", "zpl-203-76x130", "tcp", host=" 192.168.1.50 ", port=9100))
    book.add(PrinterSpec("office", "pdf-76x130", "queue", queue="Zebra_ZD421"))
    assert [s.name for s in book.load().specs] == ["pdf-folder", "office", "packing-1"]
    assert book.get("packing-1").transport == RawTcpTransport("192.168.1.50", 9100, 5.0)
    book.set_default("packing-1")
    assert book.default().name == "packing-1"
    book.edit("packing-1", PrinterSpec("打包台1", "tspl-203-76x130", "tcp", host="printer-7.local", port=9101))
    listing = book.load()
    assert listing.default == "打包台1" and "packing-1" not in {s.name for s in listing.specs}  # the default follows
    assert book.default().transport == RawTcpTransport("printer-7.local", 9101, 5.0)
    assert book.get("office").transport == SystemQueueTransport("Zebra_ZD421")
    assert book.remove("打包台1") == "pdf-folder"  # the default removed: the built-in printer again
    stored = json.loads(book.path.read_text(encoding="utf-8"))
    assert stored == {"version": 2, "default": None,
                      "printers": {"office": {"profile": "pdf-76x130", "transport": {"kind": "queue", "queue": "Zebra_ZD421"}}}}  # fmt: skip


def test_refusals_name_the_field_and_the_value_in_both_languages(book: PrinterBook) -> None:
    cases = {
        ("host", "10.0.0.300"): PrinterSpec("a", "zpl-203-76x130", "tcp", host="10.0.0.300"),
        ("host", "10.0.0.5:9100"): PrinterSpec("a", "zpl-203-76x130", "tcp", host="10.0.0.5:9100"),
        ("host", "http://10.0.0.5"): PrinterSpec("a", "zpl-203-76x130", "tcp", host="http://10.0.0.5"),
        ("host", ""): PrinterSpec("a", "zpl-203-76x130", "tcp", host=""),
        ("port", 70000): PrinterSpec("a", "zpl-203-76x130", "tcp", host="10.0.0.5", port=70000),
        ("queue", "my queue"): PrinterSpec("a", "pdf-76x130", "queue", queue="my queue"),
        ("profile", "zpl-600"): PrinterSpec("a", "zpl-600", "tcp", host="10.0.0.5"),
        ("kind", "usb"): PrinterSpec("a", "zpl-203-76x130", "usb"),
        ("name", ""): PrinterSpec("  ", "zpl-203-76x130", "tcp", host="10.0.0.5"),
        ("name", "pdf-folder"): PrinterSpec("pdf-folder", "pdf-76x130", "file"),
    }
    for (field, value), spec in cases.items():
        with pytest.raises(PrinterSettingRefused) as refused:
            book.add(spec)
        assert (refused.value.field, refused.value.value if field != "name" else value) == (field, value)
        assert refused.value.en.startswith(f"{field} {str(value)!r}") or field == "name", refused.value.en
        assert refused.value.zh.startswith(f"{field} ") and refused.value.zh != refused.value.en
    assert not book.path.exists()  # nothing refused was written


def test_a_file_where_the_folder_should_be_is_refused(book: PrinterBook, tmp_path: Path) -> None:
    (tmp_path / "taken").write_text("x")
    with pytest.raises(PrinterSettingRefused, match="is a file, not a folder") as refused:
        book.add(PrinterSpec("files", "pdf-76x130", "file", folder=str(tmp_path / "taken")))
    assert "不是目录" in refused.value.zh


def test_the_built_in_printer_stays_but_can_be_edited(book: PrinterBook, tmp_path: Path) -> None:
    with pytest.raises(PrinterSettingRefused, match="cannot be removed"):
        book.remove("pdf-folder")
    book.edit("pdf-folder", PrinterSpec("pdf-folder", "pdf-100x150", "file", folder=str(tmp_path / "big")))
    assert book.get("pdf-folder").profile.name == "pdf-100x150"
    assert book.remove("pdf-folder") == "pdf-folder"  # the edit undone: built in again
    assert book.get("pdf-folder").spec == BUILT_IN


def test_an_entry_that_cannot_work_is_kept_and_reported_while_the_rest_work(book: PrinterBook) -> None:
    book.path.write_text(json.dumps({"version": 2, "default": "broken", "printers": {
        "broken": {"profile": "zpl-203-76x130", "transport": {"kind": "tcp", "host": "10.0.0.300"}},
        "good": {"profile": "zpl-203-76x130", "transport": {"kind": "tcp", "host": "10.0.0.9"}}}}))  # fmt: skip
    listing = book.load()
    assert [s.name for s in listing.specs] == ["pdf-folder", "good"] and listing.default == "pdf-folder"
    said = [p.en for p in listing.problems]
    assert any("'broken'" in p and "10.0.0.300" in p for p in said) and any(
        "default printer 'broken'" in p for p in said
    )
    book.add(PrinterSpec("third", "pdf-76x130", "file"))
    assert json.loads(book.path.read_text())["printers"]["broken"]["transport"]["host"] == "10.0.0.300"  # kept as is
    book.remove("broken")  # …until someone removes it
    assert "broken" not in json.loads(book.path.read_text())["printers"]


def test_an_unreadable_file_offers_the_built_in_printer_and_is_kept_on_the_next_change(book: PrinterBook) -> None:
    book.path.write_text("{not json")
    listing = book.load()
    assert [s.name for s in listing.specs] == ["pdf-folder"] and "cannot be read" in listing.problems[0].en
    book.add(PrinterSpec("new", "pdf-76x130", "file"))
    (kept,) = book.path.parent.glob("printers.json.unreadable-*")
    assert kept.read_text() == "{not json" and book.get("new").name == "new"


def test_the_first_format_is_still_read_with_the_profiles_suggested_transport(book: PrinterBook) -> None:
    book.path.write_text(json.dumps({"packing-1": {"profile": "tspl-203-76x130", "transport": {"host": "10.1.2.3"}},
                                     "office": {"profile": "pdf-76x130", "transport": {"queue": "default"}}}))  # fmt: skip
    assert book.get("packing-1").transport.describe() == "tcp://10.1.2.3:9100"
    assert book.get("office").transport == SystemQueueTransport("")


def test_a_uri_makes_a_checked_printer() -> None:
    assert PrinterSpec.from_uri("a", "zpl-203-76x130", "tcp://[::1]:9101").where() == "tcp://[::1]:9101"
    assert PrinterSpec.from_uri("a", "zpl-203-76x130", "tcp://10.0.0.5").port == 9100
    assert PrinterSpec.from_uri("a", "pdf-76x130", "queue:").queue == ""
    with pytest.raises(PrinterSettingRefused, match="write tcp://HOST:PORT"):
        PrinterSpec.from_uri("a", "pdf-76x130", "usb:/dev/lp0")


texts = st.text(max_size=80)
anything = st.one_of(texts, st.integers(), st.floats(), st.booleans(), st.none())


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=texts, profile=st.one_of(st.sampled_from(profile_names()), texts), kind=st.one_of(st.sampled_from(KINDS), texts),
       host=texts, port=anything, queue=texts, folder=texts, timeout=anything)  # fmt: skip
def test_any_printer_is_either_refused_by_field_or_stored_and_read_back_the_same(
    tmp_path_factory, name, profile, kind, host, port, queue, folder, timeout
) -> None:
    book = PrinterBook(tmp_path_factory.mktemp("book") / "printers.json")
    spec = PrinterSpec(name, profile, kind, host=host, port=port, queue=queue, folder=folder, timeout_s=timeout)
    try:
        added = book.add(spec)
    except PrinterSettingRefused as exc:
        assert exc.field in {"name", "profile", "kind", "host", "port", "queue", "folder", "timeout_s"}
        assert exc.en and exc.zh and len(exc.en) < 600
        return
    assert book.get(added.name).spec == added
    assert PrinterSpec.from_json(added.name, added.as_json()) == added


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(document=st.recursive(st.one_of(anything, texts), lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(texts, inner, max_size=3)), max_leaves=12))  # fmt: skip
def test_whatever_printers_json_holds_the_built_in_printer_still_prints(tmp_path_factory, document) -> None:
    path = tmp_path_factory.mktemp("book") / "printers.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    listing = PrinterBook(path).load()
    assert listing.specs[0] == BUILT_IN and listing.default in {s.name for s in listing.specs}
    assert all(p.en and p.zh for p in listing.problems)


@given(uri=st.one_of(st.text(max_size=60), st.builds(lambda rest: "tcp://" + rest, st.text(max_size=40)),
                     st.builds(lambda rest: "queue:" + rest, st.text(max_size=40))))  # fmt: skip
def test_any_to_uri_is_either_a_checked_printer_or_refused_by_field(uri: str) -> None:
    try:
        spec = PrinterSpec.from_uri("cli", "zpl-203-76x130", uri)
    except PrinterSettingRefused as exc:
        assert exc.field in {"--to", "host", "port", "queue", "folder"} and exc.zh
        return
    assert spec.checked() == spec and spec.transport().describe()
