"""A stand-in DingTalk group robot for the tests and the demo, answering as DingTalk does (200 with an
errcode): a wrong access_token is 300001; a timestamp more than an hour off or a signature that does not
match is 310000; more than ``per_minute`` messages in 60 s is 130101, and then it stays quiet for
10 minutes; a body that is neither markdown (title, text) nor text (content) is 40035.
Accepted messages are kept in ``app.state.messages`` as ``{"title", "text", "at"}``."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from collections import deque
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from fastapi import FastAPI, Request

if TYPE_CHECKING:
    from orderdesk.hub.server import LoopbackServer

SKEW_MS = 3_600_000  # DingTalk refuses a timestamp more than an hour from its own clock
QUIET_S = 600.0


def local_robot_app(access_token: str, secret: str, *, per_minute: int = 20,
                    clock: Callable[[], float] = time.time) -> FastAPI:  # fmt: skip
    """The robot at ``POST /robot/send``; ``clock`` is shared with a test's fake clock for the rate limit."""
    app = FastAPI(title="Local DingTalk robot")
    app.state.messages = []
    accepted: deque[float] = deque()  # when each message of the last minute was taken
    quiet_until = [0.0]

    @app.post("/robot/send")
    async def send(request: Request) -> dict[str, Any]:
        query, now = request.query_params, clock()
        if not hmac.compare_digest(query.get("access_token", "").encode(), access_token.encode()):
            return _answer(300001, "token is not exist")
        timestamp = query.get("timestamp", "")
        if not (timestamp.isascii() and timestamp.isdigit()) or abs(int(now * 1000) - int(timestamp)) > SKEW_MS:
            return _answer(310000, "invalid timestamp")
        if not hmac.compare_digest(query.get("sign", "").encode(), expected_sign(secret, timestamp).encode()):
            return _answer(310000, "sign not match")
        while accepted and now - accepted[0] >= 60:
            accepted.popleft()
        if now < quiet_until[0] or len(accepted) >= per_minute:
            quiet_until[0] = max(quiet_until[0], now + QUIET_S)
            return _answer(130101, f"send too fast, exceed {per_minute} times per minute")
        message = _message(await request.body())
        if message is None:
            return _answer(40035, "缺少参数 json")
        accepted.append(now)
        app.state.messages.append({**message, "at": now})
        return _answer(0, "ok")

    return app


def local_robot(access_token: str, secret: str, **options: Any) -> LoopbackServer:
    """The stand-in on a loopback port of its own: ``with local_robot(...) as robot: robot.url``."""
    from orderdesk.hub.server import LoopbackServer  # the hub's server, imported only when a robot is run

    return LoopbackServer(local_robot_app(access_token, secret, **options))


def expected_sign(secret: str, timestamp: str) -> str:
    """The signature as DingTalk computes it (base64, as the query parameter reads once decoded)."""
    digest = hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def _message(body: bytes) -> dict[str, str] | None:
    try:
        sent = json.loads(body)
    except ValueError:
        return None
    if not isinstance(sent, dict):
        return None
    part = sent.get(sent.get("msgtype")) if isinstance(sent.get("msgtype"), str) else None
    if not isinstance(part, dict):
        return None
    if sent["msgtype"] == "markdown" and _filled(part.get("title")) and _filled(part.get("text")):
        return {"title": part["title"], "text": part["text"]}
    if sent["msgtype"] == "text" and _filled(part.get("content")):
        return {"title": "", "text": part["content"]}
    return None


def _filled(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _answer(errcode: int, errmsg: str) -> dict[str, Any]:
    return {"errcode": errcode, "errmsg": errmsg}


def local_wecom_app(key: str, *, per_minute: int = 20, clock: Callable[[], float] = time.time) -> FastAPI:
    """A stand-in WeCom (企业微信) group robot at ``POST /cgi-bin/webhook/send?key=KEY``: a wrong key is
    93000, more than ``per_minute`` messages in 60 s is 45009, markdown content over 4,096 bytes is
    40058; accepted messages are kept in ``app.state.messages`` as ``{"text", "at"}``."""
    app = FastAPI(title="Local WeCom robot")
    app.state.messages = []
    accepted: deque[float] = deque()

    @app.post("/cgi-bin/webhook/send")
    async def send(request: Request) -> dict[str, Any]:
        now = clock()
        if not hmac.compare_digest(request.query_params.get("key", "").encode(), key.encode()):
            return _answer(93000, "invalid webhook url")
        while accepted and now - accepted[0] >= 60:
            accepted.popleft()
        if len(accepted) >= per_minute:
            return _answer(45009, "api freq out of limit")
        try:
            sent = json.loads(await request.body())
        except ValueError:
            return _answer(40035, "invalid json")
        part = sent.get("markdown") if isinstance(sent, dict) and sent.get("msgtype") == "markdown" else None
        content = part.get("content") if isinstance(part, dict) else None
        if not _filled(content):
            return _answer(40035, "missing markdown.content")
        if len(str(content).encode()) > 4096:
            return _answer(40058, "markdown.content exceed max length 4096")
        accepted.append(now)
        app.state.messages.append({"text": content, "at": now})
        return _answer(0, "ok")

    return app


def local_wecom(key: str, **options: Any) -> LoopbackServer:
    from orderdesk.hub.server import LoopbackServer

    return LoopbackServer(local_wecom_app(key, **options))
