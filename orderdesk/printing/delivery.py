"""What every transport shares: the label's media (size and orientation, for print queues that
would otherwise use their own paper), and what a delivery says — where the label went, in words for
the packer, and the queue's own job id for the log."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from orderdesk.printing.profiles import PrinterProfile
from orderdesk.sync.said import Said


@dataclass(frozen=True)
class Media:
    width_mm: float
    height_mm: float

    @classmethod
    def of(cls, profile: PrinterProfile) -> Media:
        return cls(profile.width_mm, profile.height_mm)

    @property
    def cups(self) -> str:
        """CUPS's name for a custom size: ``Custom.76x130mm`` (width × length)."""
        return f"Custom.{self.width_mm:g}x{self.height_mm:g}mm"


@dataclass(frozen=True)
class Delivery:
    where: str  # a file's path, host:port, or the queue's name: what the job records
    said: Said  # for the packer: "saved as …", "sent to printer …", "sent to print queue …"
    reference: str | None = None  # the queue's job id (CUPS: Label-12), for the log


class Transport(Protocol):
    def describe(self) -> str:
        """Where this transport sends, in one short line (``tcp://10.0.0.9:9100``)."""
        ...

    def send(self, data: bytes, *, name: str, raw: bool, media: Media | None = None) -> Delivery:
        """Deliver ``data`` as one document named ``name`` (raw: printer-language bytes, not a PDF).
        Raises PrinterUnreachable (retryable) or PrinterMisconfigured (change the setting first)."""
        ...
