"""The daily and monthly reports: PDFs read back, markdown, and the pushes to a WeCom and a DingTalk robot
(local stand-ins over loopback HTTP that check keys and signatures), exactly once across two consoles and
a hub restart, given back when a robot refuses."""

from __future__ import annotations

import asyncio
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest
from pypdf import PdfReader

from orderdesk.alerts.local_robot import local_robot, local_wecom
from orderdesk.hub import report_claims
from orderdesk.insights import reports, robots
from orderdesk.sync.cache import Cache
from orderdesk.sync.client import HubClient

KEY, TOKEN, SECRET = "wecom-key-7f3a", "ding-token-99", "SECding5ecret"
NOW_MS = 1_774_440_000_000  # 2026-03-25 20:00 China time


def _text(pdf: Path) -> str:
    return "".join(page.extract_text() for page in PdfReader(pdf).pages)


def test_the_daily_report_as_pdf_and_markdown(month_hub: SimpleNamespace, tmp_path: Path) -> None:
    with Cache(month_hub.cache) as cache, cache.read() as c:
        made = reports.daily(c, date(2026, 3, 25), now_ms=NOW_MS)
    pdf = reports.daily_pdf(made, tmp_path / "daily.pdf")
    text = _text(pdf)
    assert "状态一致性日报" in text and "淘宝/天猫" in text and "自检" in text
    assert not (tmp_path / "daily.pdf.part").exists()
    markdown = reports.daily_markdown(made)
    assert markdown.startswith("### 状态一致性日报 2026-03-25")
    assert sum(ch["orders"] for ch in made.channels) == made.total["orders"] > 0
    for ch in made.channels:
        assert (f"【超标】{reports._name(ch['channel'])}" in markdown) == ch["highlighted"]


def test_the_monthly_audit_names_the_top_ten(month_hub: SimpleNamespace, tmp_path: Path) -> None:
    with Cache(month_hub.cache) as cache, cache.read() as c:
        made = reports.monthly(c, "2026-01")
    text = _text(reports.monthly_pdf(made, tmp_path / "monthly.pdf"))
    assert "数据一致性审计报告" in text and "84,200.00" in text and "79,300.00" in text
    for d in made.overall.top():
        assert d.channel_order_no in text
    assert "差异 TOP10" in reports.monthly_markdown(made)


@pytest.fixture
def robot_pair() -> SimpleNamespace:
    wecom, dingtalk = local_wecom(KEY), local_robot(TOKEN, SECRET)
    wecom.start()
    dingtalk.start()
    yield SimpleNamespace(
        wecom=wecom, dingtalk=dingtalk,
        robots=[robots.Robot("wecom", f"{wecom.url}/cgi-bin/webhook/send?key={KEY}"),
                robots.Robot("dingtalk", f"{dingtalk.url}/robot/send?access_token={TOKEN}", SECRET)],
    )  # fmt: skip
    wecom.stop()
    dingtalk.stop()


async def _push(
    url: str, token: str, period: str, markdown: str, found: list[robots.Robot]
) -> list[robots.PushOutcome]:
    async with HubClient(url, token, attempts=1) as client:
        return await robots.push(client, "daily", period, f"日报 {period}", markdown, found)


def test_two_consoles_push_once_and_a_restart_does_not_repeat(
    month_hub: SimpleNamespace, robot_pair: SimpleNamespace
) -> None:
    async def both() -> list[list[robots.PushOutcome]]:
        return list(await asyncio.gather(*(_push(month_hub.url, month_hub.token, "2026-03-25", "### 日报\n- 正常",
                                                 robot_pair.robots) for _ in range(2))))  # fmt: skip

    first, second = asyncio.run(both())
    sent = [o for o in first + second if o.sent]
    assert sorted(o.robot for o in sent) == ["dingtalk", "wecom"]
    assert len(robot_pair.wecom.app.state.messages) == 1 and len(robot_pair.dingtalk.app.state.messages) == 1
    assert robot_pair.wecom.app.state.messages[0]["text"] == "### 日报\n- 正常"
    assert robot_pair.dingtalk.app.state.messages[0]["title"] == "日报 2026-03-25"
    # a later run (a restart, a cron job) finds it sent
    again = asyncio.run(_push(month_hub.url, month_hub.token, "2026-03-25", "### 日报", robot_pair.robots))
    assert [(o.sent, o.skipped) for o in again] == [(False, "already sent"), (False, "already sent")]
    assert len(robot_pair.wecom.app.state.messages) == 1


def test_a_refused_push_is_given_back_for_the_next_try(month_hub: SimpleNamespace, robot_pair: SimpleNamespace) -> None:
    wrong = [robots.Robot("dingtalk", robot_pair.robots[1].webhook, "not-the-secret")]
    refused = asyncio.run(_push(month_hub.url, month_hub.token, "2026-03-26", "### 日报", wrong))
    assert refused[0].sent is False and "310000" in refused[0].skipped
    fixed = asyncio.run(_push(month_hub.url, month_hub.token, "2026-03-26", "### 日报", robot_pair.robots[1:]))
    assert fixed[0].sent is True
    assert len(robot_pair.dingtalk.app.state.messages) == 1


def test_a_claim_its_holder_abandoned_is_taken_over_after_the_lease(month_hub: SimpleNamespace) -> None:
    store = month_hub.store
    with store.guarded() as c:
        held = report_claims.claim(c, "monthly", "2026-02", "wecom", "console-a", 1_000)
    with store.guarded() as c:
        refused = report_claims.claim(c, "monthly", "2026-02", "wecom", "console-b", 1_000 + 60_000)
        taken = report_claims.claim(c, "monthly", "2026-02", "wecom", "console-b", 1_000 + report_claims.LEASE_MS + 1)
    assert held.granted and not refused.granted and refused.claimed_by == "console-a"
    assert taken.granted and taken.id == held.id
    with store.guarded() as c:
        assert not report_claims.mark(c, held.id, "console-a", True, 2_000_000)  # no longer its claim
        assert report_claims.mark(c, held.id, "console-b", True, 2_000_000)


def test_only_a_supervisor_may_claim_and_periods_are_checked(month_hub: SimpleNamespace) -> None:
    import httpx

    from tests.conftest import token_for

    packer = token_for(month_hub.url, "packer")
    answer = httpx.post(f"{month_hub.url}/v1/reports/claims", json={"kind": "daily", "period": "2026-03-25",
                        "robot": "wecom"}, headers={"Authorization": f"Bearer {packer}"})  # fmt: skip
    assert answer.status_code == 403
    answer = httpx.post(f"{month_hub.url}/v1/reports/claims", json={"kind": "daily", "period": "2026-03",
                        "robot": "wecom"}, headers={"Authorization": f"Bearer {month_hub.token}"})  # fmt: skip
    assert answer.status_code == 422 and answer.json()["field"].endswith("period")


def test_robot_bodies_stay_within_their_limits() -> None:
    long = "行" * 5000
    wecom = robots.Robot("wecom", "http://x/cgi-bin/webhook/send?key=k").body("t", long)
    assert len(wecom["markdown"]["content"].encode()) <= robots.WECOM_LIMIT_BYTES
    ding = robots.Robot("dingtalk", "http://x/robot/send?access_token=a", "s")
    assert "timestamp=" in ding.url(NOW_MS) and "sign=" in ding.url(NOW_MS)


def test_robots_come_from_the_environment_or_the_keyring(
    monkeypatch: pytest.MonkeyPatch, memory_keyring: object
) -> None:
    monkeypatch.delenv("ORDERDESK_WECOM_WEBHOOK", raising=False)
    monkeypatch.delenv("ORDERDESK_DINGTALK_WEBHOOK", raising=False)
    assert robots.configured() == []
    robots.save("dingtalk", "https://oapi.dingtalk.com/robot/send?access_token=abc", "SECx")
    monkeypatch.setenv("ORDERDESK_WECOM_WEBHOOK", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k")
    found = {r.name: r for r in robots.configured()}
    assert found["dingtalk"].secret == "SECx" and found["wecom"].webhook.endswith("key=k")
