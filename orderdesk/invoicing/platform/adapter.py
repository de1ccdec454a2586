"""What the hub asks of an e-invoice platform, whichever it is (诺诺, 百望 have the same shape).

A request is keyed by its ``order_no``: asked twice, the platform answers the second time that it
has it already (诺诺 E9106) and nothing new is made, so a request whose answer was lost is simply
asked again. Results are asynchronous: a request is only accepted; ``query`` tells what became of it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol

from orderdesk.invoicing.amounts import InvoiceLine
from orderdesk.invoicing.profile import BuyerProfile
from orderdesk.invoicing.red_letter import RedLine, RedReason


class ResultStatus(StrEnum):
    DONE = "done"  # 诺诺 2
    IN_PROGRESS = "in_progress"  # 20, 21
    FAILED = "failed"  # 22
    SEAL_FAILED = "seal_failed"  # 24: issue again with reInvoice
    UNKNOWN = "unknown"  # the platform has no such order_no (never arrived)


@dataclass(frozen=True, slots=True)
class BillingRequest:
    order_no: str
    buyer: BuyerProfile
    lines: Sequence[InvoiceLine]
    remark: str = ""


@dataclass(frozen=True, slots=True)
class RedForm:
    """A red-letter confirmation form (红字确认单) for lines of an issued blue invoice."""

    bill_id: str  # unique per seller, as order_no: the red invoice's own key
    blue_number: str
    reason: RedReason
    lines: Sequence[tuple[RedLine, InvoiceLine]]  # the red line and the blue line it reverses


@dataclass(frozen=True, slots=True)
class PlatformResult:
    order_no: str
    status: ResultStatus
    number: str = ""  # 20 digits, once done
    issued_at_ms: int = 0
    pdf_url: str = ""
    xml_url: str = ""
    fail_cause: str = ""


@dataclass(frozen=True, slots=True)
class Submitted:
    order_no: str
    serial: str
    duplicate: bool = False  # the platform had it already (a retry after a lost answer)


class PlatformUnavailable(Exception):
    """No answer (time-out, connection lost, a gateway error): whether the request arrived is unknown."""


@dataclass(slots=True)
class PlatformRefused(Exception):
    """The platform answered no, with its code and words (a wrong signature, a bad field…)."""

    code: str
    describe: str
    fields: dict[str, str] = field(default_factory=dict)

    def __str__(self) -> str:
        return f"{self.code}: {self.describe}"


class InvoicingPlatform(Protocol):
    def submit(self, request: BillingRequest) -> Submitted: ...

    def query(self, order_nos: Sequence[str]) -> list[PlatformResult]: ...

    def reissue(self, order_no: str) -> None: ...

    def red_confirm(self, form: RedForm) -> str: ...  # the form's state (01 … 10)

    def download(self, url: str) -> bytes: ...
