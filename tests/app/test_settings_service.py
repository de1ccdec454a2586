"""Settings that take effect: a new sync interval wakes the sleeping sync at once (against the real
hub), a saved printer and template reach the packing station, and what cannot work is refused naming
the field and the value."""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from orderdesk.app.services.background_sync import BackgroundSync, SyncStatus
from orderdesk.app.services.packing import PackingStation
from orderdesk.app.services.session import Session
from orderdesk.app.services.settings import SettingRefused, Settings, SettingsSaved, apply_saved, resolve_printer
from orderdesk.printing.printer_spec import PrinterSpec
from orderdesk.printing.printers import PrinterBook
from tests.conftest import token_for


def session_for(hub, user: str) -> Session:
    return Session(hub.url, user, user, token_for(hub.url, user), 2_000_000_000, False)


def runs_of(hub, cache, first_interval: float, then: float, watch_s: float) -> tuple[int, int]:
    """Syncs before and after the interval changes from ``first_interval`` to ``then``."""

    async def watch() -> tuple[int, int]:
        finished: list[float] = []

        def on_status(status: SyncStatus) -> None:
            if not status.syncing:
                finished.append(time.monotonic())

        sync = BackgroundSync(session_for(hub, "packer"), cache, interval_s=first_interval, on_status=on_status)
        sync.start()
        while not finished:
            await asyncio.sleep(0.02)
        await asyncio.sleep(0.3)
        before = len(finished)
        sync.set_interval(then)
        await asyncio.sleep(watch_s)
        await sync.stop()
        return before, len(finished) - before

    return asyncio.run(watch())


def test_a_shorter_interval_applies_at_once_not_after_the_old_one_runs_out(hub, cache) -> None:
    before, after = runs_of(hub, cache, first_interval=60, then=0.2, watch_s=1.5)
    assert before == 1 and after >= 3  # with the old 60 s wait there would be none


def test_a_longer_interval_stops_the_quick_rhythm_at_once(hub, cache) -> None:
    before, after = runs_of(hub, cache, first_interval=0.1, then=60, watch_s=1.0)
    assert before >= 2 and after <= 1  # at most the run already under way


def test_a_sync_asked_for_during_a_run_is_not_lost(hub, cache) -> None:
    async def go() -> int:
        runs: list[bool] = []
        sync = BackgroundSync(session_for(hub, "packer"), cache, interval_s=60,
                              on_status=lambda s: runs.append(s.syncing))  # fmt: skip
        sync.start()
        while not runs:
            await asyncio.sleep(0.001)
        sync.sync_now()  # while the first run is under way (a label printed meanwhile)
        await asyncio.sleep(1.0)
        await sync.stop()
        return runs.count(False)

    assert asyncio.run(go()) == 2


def test_saved_settings_reach_the_running_sync_and_station(hub, cache, tmp_path: Path) -> None:
    book = PrinterBook(tmp_path / "printers.json")
    book.add(PrinterSpec("wide", "pdf-100x150", "file", folder=str(tmp_path / "wide")))
    book.set_default("wide")
    chosen = Settings(template="waybill-100x150", sync_interval_s=30)

    async def go() -> tuple[float, str, str | None]:
        sync = BackgroundSync(session_for(hub, "packer"), cache, interval_s=5, on_status=lambda _s: None)
        station = PackingStation(cache, book.get("pdf-folder"), "packer")
        apply_saved(SettingsSaved(chosen, resolve_printer(chosen, book), frozenset({"template"})), sync=sync,
                    station=station)  # fmt: skip
        return sync.interval_s, station.printer.name, station.template

    assert asyncio.run(go()) == (30.0, "wide", "waybill-100x150")


def test_an_old_settings_file_naming_a_shipped_profile_prints_on_the_default_printer(tmp_path: Path) -> None:
    book = PrinterBook(tmp_path / "printers.json")
    assert resolve_printer(Settings(printer="pdf-76x130"), book).name == "pdf-folder"
    book.add(PrinterSpec("mine", "pdf-76x130", "file"))
    assert resolve_printer(Settings(printer="mine"), book).name == "mine"


def test_what_cannot_work_is_refused_naming_field_and_value() -> None:
    for field, settings_ in (("hub_url", Settings(hub_url="127.0.0.1:8765")), ("hub_url", Settings(hub_url="http://h:99999")),
                             ("sync_interval_s", Settings(sync_interval_s=0.1))):  # fmt: skip
        with pytest.raises(SettingRefused) as refused:
            settings_.checked()
        assert refused.value.field == field and refused.value.en.startswith(field) and "应" in refused.value.zh
    assert Settings(hub_url=" https://hub.example.com:8443/ ").checked().hub_url == "https://hub.example.com:8443"


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(stored=st.dictionaries(st.sampled_from(["hub_url", "printer", "template", "language", "sync_interval_s",
                                               "scan_days", "other"]),
                              st.one_of(st.text(max_size=40), st.integers(), st.floats(), st.booleans(), st.none()),
                              max_size=7))  # fmt: skip
def test_any_settings_file_loads_typed_within_range(tmp_path_factory, stored) -> None:
    path = tmp_path_factory.mktemp("settings") / "settings.json"
    path.write_text(json.dumps(stored), encoding="utf-8")
    loaded = Settings.load(path)
    assert loaded.language in ("zh_CN", "en") and 1 <= loaded.sync_interval_s <= 3600
    assert all(isinstance(getattr(loaded, name), type(getattr(Settings(), name))) for name in vars(Settings()))


def test_the_demo_keeps_a_config_of_its_own_naming_its_hub_and_printer(tmp_path: Path) -> None:
    from orderdesk.app.services.settings import ConsoleConfig

    config, demo = ConsoleConfig.demo(tmp_path / "demo", "http://127.0.0.1:40001", Settings(language="en"))
    printer = resolve_printer(demo, config.printers)
    assert (demo.hub_url, demo.language, printer.name) == ("http://127.0.0.1:40001", "en", "demo-pdf")
    assert printer.transport.describe() == f"file:{tmp_path / 'demo' / 'labels'}"
    assert Settings.load(config.settings_path).hub_url == "http://127.0.0.1:40001"
    assert not (tmp_path / "config").exists()  # the user's config folder untouched
    assert ConsoleConfig.user().printers.load().default == "pdf-folder"


@given(url=st.one_of(st.text(max_size=60), st.builds(lambda rest: "http://" + rest, st.text(max_size=40))))
def test_any_hub_address_is_either_an_http_url_or_refused_naming_it(url: str) -> None:
    from orderdesk.app.services.settings import check_hub_url

    try:
        checked = check_hub_url(url)
    except SettingRefused as exc:
        assert exc.field == "hub_url" and repr(url)[:20] in exc.en
        return
    assert checked.startswith(("http://", "https://")) and not checked.endswith("/")
