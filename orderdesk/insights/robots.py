"""Group robots the reports go to: WeCom (企业微信, a webhook key) and DingTalk (钉钉, signed with a
timestamp and HMAC-SHA256). Their addresses and secrets come from the keyring or the environment,
never from plain settings. Each push of a report to a robot happens exactly once across restarts and
consoles: the hub hands out the claim (hub/report_claims.py)."""

from __future__ import annotations

import logging
import os
import time
from dataclasses import dataclass
from typing import Any

import httpx

from orderdesk.alerts.dingtalk import signed_url

log = logging.getLogger(__name__)

KEYRING_SERVICE = "orderdesk-robots"
WECOM_LIMIT_BYTES = 4096  # WeCom's markdown content limit
DINGTALK_LIMIT_BYTES = 20_000


@dataclass(frozen=True, slots=True)
class Robot:
    name: str  # wecom, dingtalk
    webhook: str
    secret: str = ""

    def body(self, title: str, markdown: str) -> dict[str, Any]:
        if self.name == "wecom":
            return {"msgtype": "markdown", "markdown": {"content": _cut(markdown, WECOM_LIMIT_BYTES)}}
        return {"msgtype": "markdown", "markdown": {"title": title, "text": _cut(markdown, DINGTALK_LIMIT_BYTES)}}

    def url(self, now_ms: int | None = None) -> str:
        if self.name == "dingtalk" and self.secret:
            return signed_url(self.webhook, self.secret, now_ms if now_ms is not None else int(time.time() * 1000))
        return self.webhook


def _cut(text: str, limit: int) -> str:
    raw = text.encode()
    if len(raw) <= limit:
        return text
    return raw[: limit - 8].decode(errors="ignore") + "\n…"


def _secret(variable: str, account: str) -> str:
    value = os.environ.get(variable, "")
    if value:
        return value
    try:
        import keyring

        return keyring.get_password(KEYRING_SERVICE, account) or ""
    except Exception:  # no keyring service on this machine
        return ""


def configured() -> list[Robot]:
    """The robots this machine has: ORDERDESK_WECOM_WEBHOOK, ORDERDESK_DINGTALK_WEBHOOK(+_SECRET), or
    the same in the keyring (service orderdesk-robots: wecom-webhook, dingtalk-webhook, dingtalk-secret)."""
    robots = []
    wecom = _secret("ORDERDESK_WECOM_WEBHOOK", "wecom-webhook")
    if wecom:
        robots.append(Robot("wecom", wecom))
    dingtalk = _secret("ORDERDESK_DINGTALK_WEBHOOK", "dingtalk-webhook")
    if dingtalk:
        robots.append(Robot("dingtalk", dingtalk, _secret("ORDERDESK_DINGTALK_SECRET", "dingtalk-secret")))
    return robots


def save(name: str, webhook: str, secret: str = "") -> None:
    """Keep a robot's address (and DingTalk's secret) in the keyring."""
    import keyring

    keyring.set_password(KEYRING_SERVICE, f"{name}-webhook", webhook)
    if secret:
        keyring.set_password(KEYRING_SERVICE, f"{name}-secret", secret)


def post(robot: Robot, title: str, markdown: str, *, timeout: float = 10.0) -> tuple[bool, str]:
    """(sent, why not). Both robots answer 200 with {"errcode": 0}; anything else is a refusal, named
    without the address or secret (they carry the token)."""
    try:
        answer = httpx.post(robot.url(), json=robot.body(title, markdown), timeout=timeout)
    except httpx.HTTPError as exc:
        return False, type(exc).__name__
    try:
        code = answer.json().get("errcode", -1) if answer.status_code == 200 else answer.status_code
    except ValueError:
        code = answer.status_code
    if code == 0:
        return True, ""
    return False, f"errcode {code}" + (" (rate limit: 20 a minute)" if code == 130101 else "")


@dataclass(slots=True)
class PushOutcome:
    robot: str
    sent: bool
    skipped: str = ""  # why it was not sent: already sent, another console has it, or the robot refused
    skipped_zh: str = ""


async def push(
    client: Any, kind: str, period: str, title: str, markdown: str, robots: list[Robot]
) -> list[PushOutcome]:
    """Send to every robot whose claim the hub grants; mark each claim sent, or give it back."""
    import asyncio

    outcomes = []
    for robot in robots:
        got = await client.report_claim(kind, period, robot.name)
        if not got["granted"]:
            if got["state"] == "sent":
                outcomes.append(PushOutcome(robot.name, False, "already sent", "已推送过"))
            else:
                who = got["claimed_by"]
                outcomes.append(PushOutcome(robot.name, False, f"claimed by {who}", f"{who} 正在推送"))
            continue
        sent, why = await asyncio.to_thread(post, robot, title, markdown)
        await client.report_settle(got["id"], sent)
        reached = why.startswith("errcode") or why.isdigit()
        said = (f"机器人拒绝:{why}" if reached else f"连不上机器人:{why}") if why else ""
        outcomes.append(PushOutcome(robot.name, sent, why if reached or not why else f"robot not reached: {why}", said))
    return outcomes
