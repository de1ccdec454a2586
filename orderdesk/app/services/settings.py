"""The console's settings: typed, with defaults, in `settings.json` in the user's config folder.
No secrets here: tokens live in the keyring. Printers live in printers.json (printing/printers.py).

When each setting takes effect (:data:`APPLIES`): the printer, the label template and the sync
interval at once (:func:`apply_saved` hands them to the running sync and packing station); the hub
address at the next sign-in (the session's token belongs to the hub it came from); the language at
the next start (every window would have to be rebuilt)."""

from __future__ import annotations

import asyncio
import json
import logging
import math
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from orderdesk.sync.errors import BilingualError
from orderdesk.sync.paths import config_dir

if TYPE_CHECKING:  # the services below are imported by whoever applies settings, not at start-up
    from orderdesk.app.services.background_sync import BackgroundSync
    from orderdesk.app.services.packing import PackingStation
    from orderdesk.printing.delivery import Delivery
    from orderdesk.printing.printers import Printer, PrinterBook

log = logging.getLogger(__name__)
INTERVAL_RANGE = (1.0, 3600.0)
RETENTION_MAX_DAYS = 3650
APPLIES = {"printer": "now", "template": "now", "sync_interval_s": "now", "hub_url": "next sign-in",
           "language": "next start"}  # fmt: skip


def settings_file() -> Path:
    return config_dir() / "settings.json"


class SettingRefused(BilingualError, ValueError):
    """A setting that cannot work, naming the field and the value, in Chinese and English."""

    def __init__(self, field: str, value: object, *, en: str, zh: str) -> None:
        shown = repr(value)[:60]
        super().__init__(en=f"{field} {shown}: {en}", zh=f"{field} {shown}:{zh}")
        self.field = field
        self.value = value


@dataclass
class Settings:
    hub_url: str = "http://127.0.0.1:8765"
    printer: str = ""  # empty: the default printer of printers.json; a name: this console's own choice
    template: str = ""  # empty: the printer profile's own
    language: str = "zh_CN"  # zh_CN or en
    sync_interval_s: float = 5.0
    scan_days: float = 7.0
    report_time: str = "09:00"  # the daily report's time (China time, HH:MM): made and pushed once a day
    retention_days: int = 90  # the cache keeps the last N days and every open order (0: keeps everything)

    @classmethod
    def load(cls, path: Path | None = None) -> Settings:
        path = path or settings_file()
        try:
            stored: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return cls()
        except (OSError, ValueError) as exc:  # a damaged file: defaults, and say so in the log
            log.warning("settings %s unreadable (%s): using defaults", path, exc)
            return cls()
        made = cls()
        if not isinstance(stored, dict):
            log.warning("settings %s: not an object: using defaults", path)
            return made
        for f in fields(cls):
            value = stored.get(f.name)
            default = getattr(made, f.name)
            if isinstance(value, type(default)) or (isinstance(default, float) and type(value) is int):
                setattr(made, f.name, type(default)(value))
        if made.language not in ("zh_CN", "en"):
            made.language = "zh_CN"
        if report_minutes(made.report_time) is None:
            made.report_time = cls.report_time
        if not (INTERVAL_RANGE[0] <= made.sync_interval_s <= INTERVAL_RANGE[1]):
            made.sync_interval_s = cls.sync_interval_s
        if isinstance(made.retention_days, bool) or not 0 <= made.retention_days <= RETENTION_MAX_DAYS:
            made.retention_days = cls.retention_days
        return made

    def save(self, path: Path | None = None) -> None:
        path = path or settings_file()
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(".tmp")
        temporary.write_text(json.dumps(asdict(self), ensure_ascii=False, indent=2), encoding="utf-8")
        temporary.replace(path)

    def checked(self) -> Settings:
        """These settings tidied, or SettingRefused naming the first that cannot work."""
        return replace(self, hub_url=check_hub_url(self.hub_url), sync_interval_s=check_interval(self.sync_interval_s),
                       retention_days=check_retention(self.retention_days))  # fmt: skip

    def changes(self, other: Settings) -> frozenset[str]:
        """The names of the settings that differ from ``other``."""
        return frozenset(f.name for f in fields(self) if getattr(self, f.name) != getattr(other, f.name))


def check_hub_url(value: str) -> str:
    url = value.strip().rstrip("/")
    try:
        parts = urlsplit(url)
        port_ok = parts.port is None or parts.port > 0  # a port out of range raises here
    except ValueError:  # "http://[", a port that is no number
        parts, port_ok = None, False
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname or not port_ok \
            or any(c.isspace() for c in url) or len(url) > 300:  # fmt: skip
        raise SettingRefused(
            "hub_url", value, en="write the order centre's address as http://HOST:PORT (or https://…), port 1–65535",
            zh="订单中心地址应写作 http://主机:端口(或 https://…),端口为 1–65535",
        )  # fmt: skip
    return url


def check_interval(value: float) -> float:
    low, high = INTERVAL_RANGE
    if isinstance(value, bool) or not isinstance(value, int | float) or math.isnan(value) or not low <= value <= high:
        raise SettingRefused(
            "sync_interval_s",
            value,
            en=f"sync every {low:g} to {high:g} seconds",
            zh=f"同步间隔应为 {low:g}–{high:g} 秒",
        )
    return float(value)


def check_retention(value: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= RETENTION_MAX_DAYS:
        raise SettingRefused(
            "retention_days",
            value,
            en=f"keep 1 to {RETENTION_MAX_DAYS} days of closed orders (0: keep everything)",
            zh=f"已结束订单保留 1–{RETENTION_MAX_DAYS} 天(0:全部保留)",
        )
    return value


def resolve_printer(settings: Settings, book: PrinterBook) -> Printer:
    """The printer this console prints on: ``settings.printer`` when it names a printer of ``book``,
    else the book's default (an old settings file may name a shipped profile, no longer a printer)."""
    from orderdesk.printing.errors import PrintingError

    if settings.printer:
        try:
            return book.get(settings.printer)
        except PrintingError as exc:
            log.warning("settings name printer %r: %s; using the default printer", settings.printer, exc.en)
    return book.default()


@dataclass(frozen=True)
class ConsoleConfig:
    """Where a console keeps its settings and its printers: the user's config folder, or for the demo
    a folder of its own, so the demo's settings page shows the hub and the printer it really uses and
    nothing the demo changes reaches the user's own settings."""

    settings_path: Path
    printers: PrinterBook

    @classmethod
    def user(cls) -> ConsoleConfig:
        from orderdesk.printing.printers import PrinterBook

        return cls(settings_file(), PrinterBook())

    @classmethod
    def demo(cls, folder: Path, hub_url: str, base: Settings) -> tuple[ConsoleConfig, Settings]:
        """The demo's own: its hub, and a printer saving PDF labels into ``folder``/labels as the default
        (language and sync interval taken from ``base``, the user's)."""
        from orderdesk.printing.printer_spec import PrinterSpec
        from orderdesk.printing.printers import PrinterBook

        book = PrinterBook(folder / "printers.json")
        if "demo-pdf" not in {spec.name for spec in book.load().specs}:
            book.add(PrinterSpec("demo-pdf", "pdf-76x130", "file", folder=str(folder / "labels")))
        book.set_default("demo-pdf")
        settings = Settings(hub_url=hub_url, language=base.language, sync_interval_s=base.sync_interval_s)
        config = cls(folder / "settings.json", book)
        settings.save(config.settings_path)
        return config, settings


def report_minutes(text: str) -> int | None:
    """``09:00`` → 540 minutes after midnight; None when it is not a time of day."""
    hours, sep, minutes = text.strip().partition(":")
    if not (sep and hours.isdigit() and minutes.isdigit() and len(minutes) == 2):
        return None
    value = int(hours) * 60 + int(minutes)
    return value if int(hours) < 24 and int(minutes) < 60 else None


@dataclass(frozen=True)
class SettingsSaved:
    """What a saved settings page hands on: the settings, the printer to print on, what changed."""

    settings: Settings
    printer: Printer
    changed: frozenset[str]  # setting names, and "printers" when the printers list changed

    @property
    def needs_sign_in(self) -> bool:
        return "hub_url" in self.changed

    @property
    def needs_restart(self) -> bool:
        return "language" in self.changed


def apply_saved(saved: SettingsSaved, *, sync: BackgroundSync | None, station: PackingStation | None) -> None:
    """Everything that applies at once, applied: the sync interval to the running sync (it wakes), the
    retention window to the next prune, the printer and the template to the packing station (from the
    next scan)."""
    if sync is not None:
        sync.set_interval(saved.settings.sync_interval_s)
        sync.retention_days = saved.settings.retention_days  # from the next daily prune
    if station is not None:
        station.set_printer(saved.printer)
        station.set_template(saved.settings.template or None)


async def print_test_label(printer: Printer, template: str | None) -> Delivery:
    """A sample label to ``printer`` (the settings page's Test print), rendered and sent in a worker
    thread: rendering takes ~0.1 s and a network printer may take seconds to answer."""
    from orderdesk.printing.sample_label import print_sample

    return await asyncio.to_thread(print_sample, printer, template=template)
