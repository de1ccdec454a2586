"""Alerts to a DingTalk group robot, against the local stand-in over real loopback HTTP: signed the way
DingTalk checks, one digest per flush whatever was queued, within 20 messages a minute, under the size
limit, and nothing lost when the robot refuses or cannot be reached."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import unquote_plus

import pytest
from fastapi import FastAPI
from hypothesis import given, settings
from hypothesis import strategies as st

from orderdesk.alerts.dingtalk import TEXT_LIMIT_BYTES, Alert, DingTalkRobot, sign, signed_url
from orderdesk.alerts.local_robot import expected_sign, local_robot, local_robot_app
from orderdesk.hub.server import LoopbackServer

TOKEN = "t0ken9f8e7d6c5b4a3"
SECRET = "SECb1a2c3d4e5f60718293a4b5c6d7e8f9"
NOW_MS = 1_764_000_000_000


class FakeClock:
    """Real time to start with (the robot refuses a timestamp an hour off), moved only by the test."""

    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now


def alert(n: int = 1, key: str | None = None, **overrides: Any) -> Alert:
    fields: dict[str, Any] = {
        "key": key or f"breaker:SKU{n:03d}",
        "title_zh": f"SKU{n:03d} 超卖熔断",
        "title_en": f"SKU{n:03d} oversell breaker tripped",
        "lines_zh": [f"店铺 shop-{n}：可售 0，待发 {n} 单", "已暂停该 SKU 的同步"],
        "at_ms": NOW_MS + n,
    }
    return Alert(**{**fields, **overrides})


def webhook(url: str, token: str = TOKEN) -> str:
    return f"{url}/robot/send?access_token={token}"


@pytest.fixture
def robot_server() -> Iterator[LoopbackServer]:
    with local_robot(TOKEN, SECRET) as server:
        yield server


def messages(server: LoopbackServer) -> list[dict[str, Any]]:
    return server.app.state.messages


def test_the_signature_is_dingtalks_and_survives_the_url() -> None:
    raw = hmac.new(SECRET.encode(), f"{NOW_MS}\n{SECRET}".encode(), hashlib.sha256).digest()
    assert unquote_plus(sign(SECRET, NOW_MS)) == base64.b64encode(raw).decode() == expected_sign(SECRET, str(NOW_MS))
    stamp = next(t for t in range(NOW_MS, NOW_MS + 1000) if "+" in expected_sign(SECRET, str(t)))
    assert "+" not in sign(SECRET, stamp) and "/" not in sign(SECRET, stamp)
    url = signed_url("https://oapi.dingtalk.com/robot/send?access_token=abc", SECRET, stamp)
    assert url.startswith(f"https://oapi.dingtalk.com/robot/send?access_token=abc&timestamp={stamp}&sign=")


def test_a_signed_digest_is_taken_chinese_first(robot_server: LoopbackServer) -> None:
    with DingTalkRobot(webhook(robot_server.url), SECRET) as robot:
        robot.queue(alert(7))
        result = robot.flush()
    assert (result.sent, result.alerts, result.held, result.error) == (1, 1, 0, None)
    [message] = messages(robot_server)
    assert message["title"] == "OrderDesk 告警 · 1 条"
    text = message["text"]
    assert text.index("SKU007 超卖熔断") < text.index("SKU007 oversell breaker tripped")
    assert "店铺 shop-7：可售 0，待发 7 单" in text


def test_many_signatures_with_plus_and_slash_are_all_taken() -> None:
    clock = FakeClock()
    with local_robot(TOKEN, SECRET, per_minute=100, clock=clock) as server:
        robot = DingTalkRobot(webhook(server.url), SECRET, per_minute=100, clock=clock)
        for n in range(40):  # forty timestamps: base64 has + or / in most of them
            clock.now += 0.001
            robot.queue(alert(n))
            assert robot.flush().error is None
    assert len(messages(server)) == 40


def test_a_wrong_secret_is_refused_and_the_alerts_stay_queued(
    robot_server: LoopbackServer, caplog: pytest.LogCaptureFixture
) -> None:
    robot = DingTalkRobot(webhook(robot_server.url), "SECnot-the-secret")
    robot.queue(alert(1))
    robot.queue(alert(2))
    first, second = robot.flush(), robot.flush()
    assert first.sent == 0 and first.held == 2 and first.error == "errcode 310000: sign not match"
    assert second.held == 2  # still there, nothing dropped by a refusal
    assert messages(robot_server) == []
    assert TOKEN not in caplog.text and "SECnot-the-secret" not in caplog.text and "310000" in caplog.text


def test_fifty_alerts_go_as_one_message(robot_server: LoopbackServer) -> None:
    robot = DingTalkRobot(webhook(robot_server.url), SECRET)
    for n in range(50):
        robot.queue(alert(n))
    result = robot.flush()
    assert result.sent == 1 and result.alerts + result.held == 50
    [message] = messages(robot_server)
    assert message["title"] == f"OrderDesk 告警 · {result.alerts} 条"
    assert sum(f"SKU{n:03d} 超卖熔断" in message["text"] for n in range(50)) == result.alerts
    assert result.held == 0 or f"以及另外 {result.held} 条" in message["text"]


def test_a_digest_too_long_is_cut_and_the_rest_goes_next(robot_server: LoopbackServer) -> None:
    robot = DingTalkRobot(webhook(robot_server.url), SECRET)
    for n in range(120):
        robot.queue(alert(n, lines_zh=[f"第 {i} 行：" + "很长的说明" * 50 for i in range(20)]))
    first = robot.flush()
    assert first.sent == 1 and first.held == 120 - first.alerts > 0
    assert f"…以及另外 {first.held} 条" in messages(robot_server)[0]["text"]
    results = [first]
    while results[-1].held and len(results) < 20:
        results.append(robot.flush())
    assert sum(r.alerts for r in results) == 120 and len(messages(robot_server)) == len(results)
    assert all(len(m["text"].encode()) <= TEXT_LIMIT_BYTES for m in messages(robot_server))


def test_the_same_key_ten_times_is_one_section_counted(robot_server: LoopbackServer) -> None:
    robot = DingTalkRobot(webhook(robot_server.url), SECRET)
    for n in range(10):
        robot.queue(alert(n, key="breaker:SKU123", lines_zh=[f"第 {n + 1} 次触发"]))
    result = robot.flush()
    assert (result.sent, result.alerts, result.held) == (1, 1, 0)
    text = messages(robot_server)[0]["text"]
    assert text.count("超卖熔断") == 1 and "SKU009 超卖熔断 ×10" in text
    assert "第 10 次触发" in text and "第 1 次触发" not in text  # the latest wins


def test_twenty_a_minute_then_the_rest_are_held_until_the_window_moves() -> None:
    clock = FakeClock()
    with local_robot(TOKEN, SECRET, clock=clock) as server:
        robot = DingTalkRobot(webhook(server.url), SECRET, clock=clock)
        results = []
        for n in range(25):
            robot.queue(alert(n))
            results.append(robot.flush())
            clock.now += 1
        assert [r.sent for r in results] == [1] * 20 + [0] * 5
        assert [r.held for r in results[20:]] == [1, 2, 3, 4, 5]
        assert all(r.error is None for r in results) and len(messages(server)) == 20
        clock.now += 60
        later = robot.flush()
    assert (later.sent, later.alerts, later.held) == (1, 5, 0)
    assert len(messages(server)) == 21


def test_after_send_too_fast_the_robot_waits_out_dingtalks_ten_minutes() -> None:
    clock = FakeClock()
    with local_robot(TOKEN, SECRET, clock=clock) as server:
        robot = DingTalkRobot(webhook(server.url), SECRET, per_minute=30, clock=clock)  # more than DingTalk allows
        for n in range(21):
            robot.queue(alert(n))
            last = robot.flush()
        assert last.error == "errcode 130101: send too fast, exceed 20 times per minute" and last.held == 1
        clock.now += 120
        quiet = robot.flush()  # a minute on, but DingTalk still refuses: no post at all
        assert (quiet.sent, quiet.held, quiet.error) == (0, 1, None)
        clock.now += 600
        assert robot.flush().sent == 1
    assert len(messages(server)) == 21


def test_alerts_queued_from_threads_during_flushes_all_arrive_once() -> None:
    with local_robot(TOKEN, SECRET, per_minute=1000) as server:
        robot = DingTalkRobot(webhook(server.url), SECRET, per_minute=1000)
        shops = [threading.Thread(target=lambda s=s: [robot.queue(alert(n, key=f"{s}:{n}")) for n in range(150)])
                 for s in range(4)]  # fmt: skip
        for shop in shops:
            shop.start()
        results = []
        while any(shop.is_alive() for shop in shops):
            results.append(robot.flush())
        results.append(robot.flush())
        while results[-1].held:
            results.append(robot.flush())
    assert all(r.error is None for r in results)
    assert sum(r.alerts for r in results) == 600 == sum(m["text"].count("\n#### ") for m in messages(server))


def test_a_robot_that_cannot_be_reached_loses_nothing(caplog: pytest.LogCaptureFixture) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    robot = DingTalkRobot(webhook(f"http://127.0.0.1:{port}"), SECRET, timeout_s=2)
    for n in range(3):
        robot.queue(alert(n))
    down = robot.flush()
    assert down.sent == 0 and down.held == 3 and down.error is not None and "ConnectError" in down.error
    assert TOKEN not in down.error + caplog.text and SECRET not in down.error + caplog.text
    with LoopbackServer(local_robot_app(TOKEN, SECRET), port=port) as server:
        up = robot.flush()
    assert (up.sent, up.alerts, up.held) == (1, 3, 0) and len(messages(server)) == 1


def test_a_robot_that_answers_too_late_loses_nothing() -> None:
    app = FastAPI()

    @app.post("/robot/send")
    async def slow() -> dict[str, Any]:
        await asyncio.sleep(0.5)
        return {"errcode": 0, "errmsg": "ok"}

    with LoopbackServer(app) as server:
        robot = DingTalkRobot(webhook(server.url), SECRET, timeout_s=0.1)
        robot.queue(alert(1))
        result = robot.flush()
    assert result.sent == 0 and result.held == 1 and result.error is not None and "Timeout" in result.error
    assert TOKEN not in result.error


def test_a_webhook_or_secret_of_the_wrong_shape_is_refused_masked() -> None:
    with pytest.raises(ValueError, match=r"^webhook 'ftp://x/robot/send\?access_token=t0ke…'") as bad_webhook:
        DingTalkRobot(webhook("ftp://x"), SECRET)
    assert TOKEN not in str(bad_webhook.value)
    with pytest.raises(ValueError, match=r"^webhook"):
        DingTalkRobot("https://oapi.dingtalk.com/robot/send", SECRET)
    with pytest.raises(ValueError, match=r"^secret 'abcd…'") as bad_secret:
        DingTalkRobot(webhook("https://oapi.dingtalk.com"), "abcdef0123456789")
    assert "abcdef" not in str(bad_secret.value)


def test_the_robot_comes_from_the_environment_or_not_at_all(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ORDERDESK_DINGTALK_WEBHOOK", raising=False)
    monkeypatch.delenv("ORDERDESK_DINGTALK_SECRET", raising=False)
    assert DingTalkRobot.from_env() is None
    monkeypatch.setenv("ORDERDESK_DINGTALK_WEBHOOK", webhook("https://oapi.dingtalk.com"))
    with pytest.raises(ValueError, match=r"^secret"):
        DingTalkRobot.from_env()
    monkeypatch.setenv("ORDERDESK_DINGTALK_SECRET", SECRET)
    robot = DingTalkRobot.from_env()
    assert isinstance(robot, DingTalkRobot)
    robot.close()


@pytest.fixture(scope="module")
def roomy_server() -> Iterator[LoopbackServer]:
    with local_robot(TOKEN, SECRET, per_minute=1_000_000) as server:
        yield server


any_text = st.text(st.characters(exclude_categories=()), max_size=3000)  # surrogates, controls, markdown: all
alerts_drawn = st.lists(
    st.builds(Alert, key=st.sampled_from("abcdefghij") | st.text(max_size=8), title_zh=any_text, title_en=any_text,
              lines_zh=st.lists(any_text, max_size=30), at_ms=st.integers(-(2**70), 2**70),
              severity=st.sampled_from(["critical", "warning", "info"]) | st.text(max_size=30)),
    min_size=1, max_size=30,
)  # fmt: skip


@settings(max_examples=60, deadline=None)
@given(drawn=alerts_drawn)
def test_any_alert_text_goes_out_under_the_size_limit(roomy_server: LoopbackServer, drawn: list[Alert]) -> None:
    before = len(messages(roomy_server))
    with DingTalkRobot(webhook(roomy_server.url), SECRET, per_minute=1_000_000) as robot:
        for one in drawn:
            robot.queue(one)
        results = [robot.flush()]
        while results[-1].held and len(results) < 40:
            results.append(robot.flush())
    assert all(r.error is None and r.sent == 1 for r in results)
    assert sum(r.alerts for r in results) == len({a.key for a in drawn}) and results[-1].held == 0
    sent = messages(roomy_server)[before:]
    assert len(sent) == len(results)
    assert all(len(m["text"].encode()) <= TEXT_LIMIT_BYTES for m in sent)
