"""Print jobs in the cache. A job is made once its label is rendered and allowed to print (the
order's state, markers, a reprint's reason are checked first: nothing refused becomes a job); it is
then sent → done, or failed with the error in words, and a person may dismiss a failed one.

One document per job, so a failure never reprints another label. The bytes sent are kept with the
job: a retry sends exactly the same document. A label already printed is only printed again as a
reprint, which needs a reason and leaves an audit entry. When a job is done, its substitutions are
logged (order, field, original, replacement, method, profile, time, operator) and, with the print
result, queued for the hub in the same transaction (the outbox).

A label whose required field is empty (no waybill no.) is refused: the job is kept as failed, with
what is missing, and :class:`LabelIncomplete` is raised. A failed job's outcome says whether sending
it again can help (``retryable``: the printer was off, the connection reset) or a setting must change
first (no such queue, an address that names no machine)."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection

from orderdesk.printing.delivery import Delivery, Media
from orderdesk.printing.eligibility import require_printable
from orderdesk.printing.errors import LabelIncomplete, PrinterUnreachable, PrintingError
from orderdesk.printing.printers import Printer
from orderdesk.printing.profiles import SUFFIX
from orderdesk.sync import outbox
from orderdesk.sync.cache import Cache, audit
from orderdesk.sync.cache.queries import order_document
from orderdesk.sync.contract import canonical_json
from orderdesk.sync.said import Said

if TYPE_CHECKING:  # rendering (reportlab, Pillow) is imported when a label is first printed
    from orderdesk.printing.render import RenderedLabel

STATES = ("queued", "rendering", "sent", "done", "failed", "dismissed")
log = logging.getLogger(__name__)


def _now() -> int:
    return time.time_ns() // 1_000_000


@dataclass(frozen=True)
class JobOutcome:
    job_id: int
    state: str  # done | failed
    error: Said | None  # why it failed
    delivered_to: str | None  # the file's path, host:port, or the queue's name
    label: RenderedLabel | None
    retryable: bool = False  # failed, and sending the same document again can help
    delivery: Delivery | None = None  # where it went, in words for the packer; the queue's job id

    @classmethod
    def failed(cls, job_id: int, exc: PrintingError, label: RenderedLabel | None) -> JobOutcome:
        return cls(job_id, "failed", exc.said, None, label, exc.retryable)

    @property
    def said(self) -> Said:
        """One line for the packer: where the label went, or why it did not."""
        if self.state == "done" and self.delivery is not None:
            return self.delivery.said
        return self.error or Said(zh="", en="")

    def as_json(self) -> dict[str, Any]:
        return {
            "job": self.job_id,
            "state": self.state,
            "error": self.error.en if self.error else None,
            "error_zh": self.error.zh if self.error else None,
            "retryable": self.retryable,
            "delivered_to": self.delivered_to,
            "delivered": self.delivery.said.en if self.delivery else None,
            "delivered_zh": self.delivery.said.zh if self.delivery else None,
            "queue_job": self.delivery.reference if self.delivery else None,
            "preflight": self.label.preflight.as_json() if self.label else None,
        }


def _order_id(c: Connection, domain_id: str) -> int:
    row = c.exec_driver_sql("SELECT id FROM orders WHERE domain_id = ?", (domain_id,)).first()
    if row is None:
        raise PrintingError(en=f"no cached order {domain_id}", zh=f"缓存中没有订单 {domain_id}")
    return int(row[0])


def last_done_job(c: Connection, order_id: int) -> int | None:
    row = c.exec_driver_sql(
        "SELECT id FROM print_jobs WHERE order_id = ? AND state = 'done' ORDER BY id DESC LIMIT 1", (order_id,)
    ).first()
    return int(row[0]) if row else None


def _set_state(c: Connection, job_id: int, state: str, **columns: Any) -> None:
    names = "".join(f", {name} = ?" for name in columns)
    c.exec_driver_sql(
        f"UPDATE print_jobs SET state = ?, updated_at_ms = ?{names} WHERE id = ?",
        (state, _now(), *columns.values(), job_id),
    )


def print_label(
    cache: Cache,
    domain_id: str,
    printer: Printer,
    *,
    operator: str,
    reason: str | None = None,
    printed_at: datetime | None = None,
    template: str | None = None,
    override: str | None = None,
    confirmed: bool = False,
    typed: Mapping[str, str] | None = None,
    markers_accepted: bool = False,
) -> JobOutcome:
    """Print one order's label on ``printer`` (laid out with ``template``, else the profile's own).
    A second print of the same order needs ``reason``. The order's state must allow it
    (:mod:`printing.eligibility`: ``override`` is a supervisor's reason to print a refused one,
    ``confirmed`` a packer's yes to a warning). A character that would print as a marker needs a
    ``typed`` replacement or ``markers_accepted``. What is refused for these reasons never becomes a
    job. A label whose required field is empty is refused too (LabelIncomplete), and that job is kept
    as failed, in the order's print history, saying what is missing."""
    from orderdesk.printing.render import render

    with cache.read() as c:
        order_id = _order_id(c, domain_id)
        previous = last_done_job(c, order_id)
        document = order_document(c, order_id)
    if previous is not None and not (reason and reason.strip()):
        raise PrintingError(
            en=f"order {domain_id} was printed by job {previous}: a reprint needs a reason",
            zh=f"订单 {domain_id} 已由任务 {previous} 打印:补打需要填写原因",
        )
    found = require_printable(document, override=override, confirmed=confirmed)
    label = render(printer.profile, document, printed_at=printed_at, template=template, typed=typed)
    checked = canonical_json(label.preflight.as_json())
    missing = list(dict.fromkeys(p.field for p in label.preflight.problems if p.code == "empty"))
    if missing:
        with cache.write() as c:
            job_id = _new_job(c, order_id, printer, previous, reason, operator, checked, None)
            refused = LabelIncomplete(domain_id, missing, job_id)
            _set_state(c, job_id, "failed", error=refused.en, error_zh=refused.zh)
        raise refused
    if label.preflight.markers and not markers_accepted:
        chars = " ".join(f"{s.char} ({s.codepoint})" for s in label.preflight.markers)
        raise PrintingError(
            en=f"{chars} would print as a marker nobody can read: type a replacement, or accept the marker",
            zh=f"{chars} 将打印为无法辨认的标记:请输入替代文字,或确认按标记打印",
        )
    overridden = found.level == "refuse" or (found.level == "confirm" and bool(override and override.strip()))
    with cache.write() as c:
        job_id = _new_job(c, order_id, printer, previous, reason, operator, checked, label.data)
        if overridden:
            draft = audit.AuditDraft.of(
                operator, "console", printer.transport.describe(), "label.override", domain_id,
                canonical_json({"verdict": found.code}), canonical_json({"job": job_id}),
                canonical_json({"reason": override, "verdict": found.said.en}),
            )  # fmt: skip
            audit.append(c, [draft], _now())
    return _deliver(cache, job_id, printer, label.data, f"{domain_id}-{job_id}{label.suffix}", operator, label)


def _new_job(
    c: Connection, order_id: int, printer: Printer, previous: int | None, reason: str | None, operator: str,
    preflight_json: str, document: bytes | None,
) -> int:  # fmt: skip
    now = _now()
    return int(
        c.exec_driver_sql(
            "INSERT INTO print_jobs (order_id, profile, printer, state, attempts, reprint_of, reason, operator, "
            "preflight_json, document, created_at_ms, updated_at_ms) VALUES (?, ?, ?, 'sent', 0, ?, ?, ?, ?, ?, ?, ?) "
            "RETURNING id",
            (order_id, printer.profile.name, printer.transport.describe(), previous, reason, operator, preflight_json,
             document, now, now),
        ).scalar_one()
    )  # fmt: skip


def dismiss(cache: Cache, job_id: int, *, operator: str) -> None:
    """A failed or unconfirmed job a person decided not to print: it leaves the station's list."""
    with cache.write() as c:
        row = c.exec_driver_sql("SELECT state FROM print_jobs WHERE id = ?", (job_id,)).first()
        if row is None:
            raise PrintingError(en=f"no print job {job_id}", zh=f"没有打印任务 {job_id}")
        if row.state not in ("failed", "sent"):
            raise PrintingError(en=f"print job {job_id} is {row.state}: nothing to dismiss",
                                zh=f"打印任务 {job_id} 状态为 {row.state}:无需忽略")  # fmt: skip
        _set_state(c, job_id, "dismissed", error=f"dismissed by {operator}", error_zh=f"已由 {operator} 忽略")


def unfinished(c: Connection, since_ms: int) -> list[dict[str, Any]]:
    """Jobs since ``since_ms`` that failed or were never confirmed, and whose order has not been
    printed since: what a station keeps in view until it is printed or dismissed."""
    return [
        dict(r._mapping)
        for r in c.exec_driver_sql(
            "SELECT j.id, o.domain_id, j.state, j.error, j.error_zh, j.created_at_ms FROM print_jobs j "
            "JOIN orders o ON o.id = j.order_id WHERE j.state IN ('failed', 'sent') AND j.document IS NOT NULL "
            "AND j.created_at_ms >= ? "
            "AND NOT EXISTS (SELECT 1 FROM print_jobs d WHERE d.order_id = j.order_id AND d.state = 'done' "
            "AND d.id > j.id) ORDER BY j.id",
            (since_ms,),
        )
    ]


def retry(cache: Cache, job_id: int, printer: Printer, *, operator: str) -> JobOutcome:
    """Send a failed (or never confirmed) job's document again: the same bytes, the same job."""
    with cache.read() as c:
        row = c.exec_driver_sql(
            "SELECT j.state, j.document, j.profile, o.domain_id FROM print_jobs j JOIN orders o ON o.id = j.order_id "
            "WHERE j.id = ?",
            (job_id,),
        ).first()
    if row is None:
        raise PrintingError(en=f"no print job {job_id}", zh=f"没有打印任务 {job_id}")
    if row.state not in ("failed", "sent") or row.document is None:
        raise PrintingError(
            en=f"print job {job_id} is {row.state}: only a failed or unconfirmed job with a document is retried",
            zh=f"打印任务 {job_id} 状态为 {row.state}:只有失败或未确认且已生成文档的任务可以重试",
        )
    if row.profile != printer.profile.name:
        raise PrintingError(
            en=f"print job {job_id} was rendered for {row.profile}, not {printer.profile.name}: print it anew",
            zh=f"打印任务 {job_id} 是按 {row.profile} 生成的,不是 {printer.profile.name}:请重新打印",
        )
    suffix = SUFFIX[printer.profile.language]
    return _deliver(cache, job_id, printer, bytes(row.document), f"{row.domain_id}-{job_id}{suffix}", operator, None)


def _deliver(
    cache: Cache, job_id: int, printer: Printer, data: bytes, name: str, operator: str, label: RenderedLabel | None
) -> JobOutcome:
    with cache.write() as c:
        c.exec_driver_sql("UPDATE print_jobs SET attempts = attempts + 1 WHERE id = ?", (job_id,))
    profile = printer.profile
    try:
        delivered = printer.transport.send(data, name=name, raw=profile.language != "pdf", media=Media.of(profile))
    except PrinterUnreachable as exc:
        log.warning("print job %d to %s failed (%s): %s", job_id, printer.name,
                    "retryable" if exc.retryable else "a setting to change", exc.en)  # fmt: skip
        with cache.write() as c:
            _set_state(c, job_id, "failed", error=exc.en, error_zh=exc.zh)
        return JobOutcome.failed(job_id, exc, label)
    log.info("print job %d delivered to %s%s", job_id, delivered.where,
             f" as queue job {delivered.reference}" if delivered.reference else "")  # fmt: skip
    with cache.write() as c:
        _set_state(c, job_id, "done", error=None, error_zh=None)
        _record_done(c, job_id, operator)
    return JobOutcome(job_id, "done", None, delivered.where, label, False, delivered)


def _record_done(c: Connection, job_id: int, operator: str) -> None:
    job = c.exec_driver_sql(
        "SELECT j.*, o.domain_id FROM print_jobs j JOIN orders o ON o.id = j.order_id WHERE j.id = ?", (job_id,)
    ).one()
    checked = json.loads(job.preflight_json)
    substitutions = checked.get("substitutions", [])
    now = _now()
    if substitutions:
        c.exec_driver_sql(
            "INSERT INTO label_substitutions (order_id, job_id, field, original, codepoint, replacement, method, "
            "profile, operator, at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (job.order_id, job_id, s["field"], s["char"], s["codepoint"], s["replacement"], s["method"],
                 job.profile, operator, now)
                for s in substitutions
            ],
        )  # fmt: skip
        outbox.enqueue(
            c,
            "rare_char_substitution",
            job.domain_id,
            {"job": job_id, "profile": job.profile, "operator": operator, "substitutions": substitutions},
        )
    outbox.enqueue(
        c,
        "print_result",
        job.domain_id,
        {"job": job_id, "state": "done", "profile": job.profile, "printer": job.printer, "operator": operator,
         "reprint_of": job.reprint_of, "reason": job.reason, "substitutions": len(substitutions)},
    )  # fmt: skip
    c.exec_driver_sql(
        "UPDATE label_queue SET resolved_at_ms = ?, resolution = ? WHERE order_id = ? AND resolved_at_ms IS NULL",
        (now, f"printed by job {job_id}", job.order_id),
    )
    action = "label.reprint" if job.reprint_of is not None else "label.print"
    draft = audit.AuditDraft.of(
        operator, "console", job.printer, action, job.domain_id,
        canonical_json({"printed_by": job.reprint_of}), canonical_json({"printed_by": job_id}),
        canonical_json({"profile": job.profile, "reason": job.reason, "substitutions": substitutions}),
    )  # fmt: skip
    audit.append(c, [draft], now)


def jobs_of(c: Connection, domain_id: str) -> list[dict[str, Any]]:
    """An order's print history, newest last (without the documents)."""
    return [
        dict(r._mapping)
        for r in c.exec_driver_sql(
            "SELECT j.id, j.profile, j.printer, j.state, j.attempts, j.error, j.error_zh, j.reprint_of, j.reason, "
            "j.operator, j.created_at_ms, j.updated_at_ms FROM print_jobs j JOIN orders o ON o.id = j.order_id "
            "WHERE o.domain_id = ? ORDER BY j.id",
            (domain_id,),
        )
    ]
