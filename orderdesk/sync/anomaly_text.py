"""Anomalies in words a supervisor reads without knowing the data model, in Chinese and English."""

from __future__ import annotations

from typing import Any

from orderdesk.sync.labels import SIGNALS, SOURCES, label
from orderdesk.sync.states import FULFILMENT_LABELS, Fulfilment

_SYSTEMS = {"channel": ("渠道", "the channel"), "logistics": ("物流", "logistics"), "finance": ("财务", "finance")}


def _source(source: str) -> tuple[str, str]:
    """A source's name in words (抖店 / Douyin), not its id (douyin)."""
    return label(SOURCES, source)


def _state(value: Any, zh: bool) -> str:
    try:
        labels = FULFILMENT_LABELS[Fulfilment(value)]
    except (ValueError, KeyError):
        return str(value)
    return labels[0] if zh else labels[1].lower()


def describe(kind: str, detail: dict[str, Any], source: str | None = None) -> dict[str, str]:
    """{"zh": …, "en": …} for one anomaly; ``source`` is the observation's source when known."""
    d = detail
    by_zh, by_en = _source(source or d.get("source") or "")
    if kind == "regression":
        claimed_zh, claimed_en = _state(d.get("claimed"), True), _state(d.get("claimed"), False)
        current_zh, current_en = _state(d.get("current"), True), _state(d.get("current"), False)
        if d.get("evidenced"):  # the same system said more before (fold rules since issue 12)
            said_zh, said_en = _state(d["evidenced"], True), _state(d["evidenced"], False)
            return {
                "zh": f"{by_zh} 之前已报告「{said_zh}」,之后又报告「{claimed_zh}」(同一来源前后矛盾,订单现为「{current_zh}」);未采用",
                "en": f"{by_en} reported {claimed_en!r} after it had already reported {said_en!r}"
                f" (the order is at {current_en!r}); not applied",
            }
        where_zh, where_en = _source(d.get("established_by") or "?")
        same = "(同一来源前后矛盾)" if d.get("same_source") else ""
        return {
            "zh": f"{by_zh} 报告「{claimed_zh}」,但订单已到「{current_zh}」(由 {where_zh} 确认){same};未采用",
            "en": f"{by_en} reported {claimed_en!r} after the order had reached {current_en!r} (from {where_en})"
            + (", contradicting itself" if d.get("same_source") else "")
            + "; not applied",
        }
    if kind == "skipped_step":
        skipped_zh = "、".join(_state(s, True) for s in d.get("skipped", []))
        skipped_en = ", ".join(_state(s, False) for s in d.get("skipped", []))
        claimed = d.get("claimed")
        return {
            "zh": f"直接到了「{_state(claimed, True)}」,缺少「{skipped_zh}」的依据",
            "en": f"reached {_state(claimed, False)!r} with no evidence of {skipped_en}",
        }
    if kind == "evidence_violation":
        system_zh, system_en = _SYSTEMS.get(
            d.get("source_system", ""), (d.get("source_system"), d.get("source_system"))
        )
        allowed_zh = "、".join(_SYSTEMS.get(a, (a, a))[0] for a in d.get("allowed", []))
        allowed_en = " or ".join(_SYSTEMS.get(a, (a, a))[1] for a in d.get("allowed", []))
        return {
            "zh": f"{system_zh}无权证明「{_state(d.get('claimed'), True)}」(只有{allowed_zh}可以);未采用",
            "en": f"{system_en} cannot evidence {_state(d.get('claimed'), False)!r} (only {allowed_en} can); not applied",
        }
    if kind == "unmapped_status":
        return {
            "zh": f"{by_zh} 的状态没有映射规则,已保留待处理",
            "en": f"no mapping rule knows this {by_en} status; kept for review",
        }
    if kind == "refund_regression":
        return {
            "zh": f"第 {d.get('line_no')} 行已退款,之后又被报告为「{d.get('claimed')}」;未采用",
            "en": f"line {d.get('line_no')} was refunded, then reported as {d.get('claimed')!r}; not applied",
        }
    if kind == "unknown_line":
        return {
            "zh": f"状态指向不存在的第 {d.get('line_no')} 行",
            "en": f"a status names line {d.get('line_no')}, which the order does not have",
        }
    if kind == "after_cancel":
        return {
            "zh": f"订单已取消,之后仍报告「{_state(d.get('claimed'), True)}」",
            "en": f"the order was cancelled, then reported {_state(d.get('claimed'), False)!r}",
        }
    if kind == "missing_paid_amount":
        return {"zh": "已支付,但没有实收金额", "en": "paid, but the paid amount is missing"}
    if kind == "source_exception":
        words = [label(SIGNALS, s) for s in str(d.get("signal") or "").split(",") if s]
        zh = "、".join(w[0] for w in words) or "?"
        en = ", ".join(w[1] for w in words) or "?"
        return {"zh": f"{by_zh} 报告异常:{zh}", "en": f"{by_en} reports a problem: {en}"}
    if kind == "shipped_after_refund":
        fen = int(d.get("refunded_fen") or 0)
        return {
            "zh": f"订单已在发货前全额退款(¥{fen / 100:.2f}),之后仍有「{_state(d.get('claimed'), True)}」:货物可能已发出,需拦截或追回",
            "en": f"the order was refunded in full (¥{fen / 100:.2f}) before shipping, then reported"
            f" {_state(d.get('claimed'), False)!r}: the goods may have left; intercept or recover them",
        }
    return {"zh": f"{kind}:{d}", "en": f"{kind}: {d}"}
