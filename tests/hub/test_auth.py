"""Sign-in and tokens at the hub (issue #11 §2.6): throttling, revocation, the role read per request,
forged, expired, foreign and old-format tokens, and the signing secret kept out of the database."""

from __future__ import annotations

import base64
import concurrent.futures
import hashlib
import hmac
import json
import sqlite3
import time

import httpx
import jwt
import pytest

from orderdesk.hub.api import create_app
from orderdesk.hub.auth import TokenAuthority
from orderdesk.hub.secret import random_secret
from orderdesk.hub.server import BackgroundHub
from orderdesk.hub.store import HubStore
from orderdesk.hub.throttle import SignInLimits
from tests.conftest import order, token_for

SECRET = random_secret()


@pytest.fixture
def known_secret_hub(tmp_path):
    """A hub whose secret the test knows (so it can look for it, and mint tokens with it)."""
    store = HubStore(f"sqlite:///{tmp_path / 'hub.sqlite3'}")
    store.ensure_demo_users()
    with BackgroundHub(store, app=create_app(store, secret=SECRET)) as server:
        yield server
    store.close()


def sign_in(url: str, user: str, password: str, address: str = "127.0.0.1") -> httpx.Response:
    transport = httpx.HTTPTransport(local_address=address)
    with httpx.Client(transport=transport, timeout=30) as client:
        return client.post(f"{url}/v1/auth/token", json={"username": user, "password": password})


def me(url: str, token: str) -> httpx.Response:
    return httpx.get(f"{url}/v1/auth/me", headers={"Authorization": f"Bearer {token}"}, timeout=10)


def test_wrong_passwords_for_a_user_name_are_throttled_with_retry_after_in_words(hub):
    for _ in range(5):
        assert sign_in(hub.url, "clerk", "guess").status_code == 401
    throttled = sign_in(hub.url, "clerk", "clerk")  # even the right password waits now: a guess learns nothing
    assert throttled.status_code == 429
    wait = int(throttled.headers["Retry-After"])
    assert 290 <= wait <= 300 and throttled.json()["retry_after"] == wait
    assert throttled.json()["field"] == "username" and "秒" in throttled.json()["detail_zh"]
    assert sign_in(hub.url, "packer", "packer").status_code == 200  # another user name is not held up


def test_a_good_sign_in_clears_the_user_names_failures(hub):
    for _ in range(4):
        assert sign_in(hub.url, "clerk", "guess").status_code == 401
    assert sign_in(hub.url, "clerk", "clerk").status_code == 200
    for _ in range(4):
        assert sign_in(hub.url, "clerk", "guess").status_code == 401
    assert sign_in(hub.url, "clerk", "clerk").status_code == 200


def test_wrong_passwords_from_one_address_are_throttled_whatever_the_user_name(hub):
    for n in range(20):
        assert sign_in(hub.url, f"nobody-{n}", "guess", address="127.0.0.2").status_code == 401
    held = sign_in(hub.url, "packer", "packer", address="127.0.0.2")
    assert held.status_code == 429 and held.json()["field"] == "address"
    assert sign_in(hub.url, "packer", "packer", address="127.0.0.3").status_code == 200  # another address is not


def test_concurrent_guesses_cannot_slip_past_the_limit(hub):
    with concurrent.futures.ThreadPoolExecutor(12) as pool:
        answers = list(pool.map(lambda _: sign_in(hub.url, "supervisor", "guess").status_code, range(24)))
    assert answers.count(401) == 5 and answers.count(429) == 19  # each attempt is written down before the check


def test_the_throttle_lets_go_when_the_window_has_passed(tmp_path):
    store = HubStore(f"sqlite:///{tmp_path / 'hub.sqlite3'}")
    store.ensure_demo_users()
    app = create_app(store, secret=SECRET, sign_in_limits=SignInLimits(per_user=2, per_address=50, window_seconds=2))
    with BackgroundHub(store, app=app) as server:
        assert [sign_in(server.url, "clerk", "x").status_code for _ in range(3)] == [401, 401, 429]
        time.sleep(2.1)
        assert sign_in(server.url, "clerk", "clerk").status_code == 200
    store.close()


def test_sign_out_revokes_the_token_and_only_that_token(hub):
    token, other = token_for(hub.url, "packer"), token_for(hub.url, "packer")
    headers = {"Authorization": f"Bearer {token}"}
    assert httpx.post(f"{hub.url}/v1/auth/logout", headers=headers).status_code == 204
    for answer in (me(hub.url, token), httpx.get(f"{hub.url}/v1/changes", headers=headers)):
        assert answer.status_code == 401 and answer.json()["detail_zh"] == "此令牌已退出登录:请重新登录"
    assert httpx.post(f"{hub.url}/v1/auth/logout", headers=headers).status_code == 401  # once is enough
    assert me(hub.url, other).status_code == 200


def test_revoked_token_ids_are_dropped_once_the_tokens_would_have_expired(hub):
    from orderdesk.hub.schema import revoked_tokens

    for _ in range(2):
        httpx.post(f"{hub.url}/v1/auth/logout", headers={"Authorization": f"Bearer {token_for(hub.url, 'clerk')}"})
    with hub.store.write() as c:
        c.execute(revoked_tokens.update().values(expires_at=int(time.time()) - 1))  # as if 12 h had passed
    httpx.post(f"{hub.url}/v1/auth/logout", headers={"Authorization": f"Bearer {token_for(hub.url, 'clerk')}"})
    with hub.store.read() as c:
        assert c.execute(revoked_tokens.select()).all().__len__() == 1


def test_a_demoted_user_loses_the_rights_at_once_and_a_removed_one_is_refused(hub):
    token = token_for(hub.url, "supervisor")
    headers = {"Authorization": f"Bearer {token}"}
    assert httpx.post(f"{hub.url}/v1/ingest/douyin", json={"orders": [order("R1")]}, headers=headers).status_code == 200
    hub.store.set_role("supervisor", "packer")
    assert me(hub.url, token).json()["role"] == "packer"
    demoted = httpx.post(f"{hub.url}/v1/ingest/douyin", json={"orders": [order("R2")]}, headers=headers)
    assert demoted.status_code == 403 and demoted.json()["detail_zh"] == "打包员不能导入数据"
    hub.store.remove_user("supervisor")
    gone = me(hub.url, token)
    assert gone.status_code == 401 and "no longer exists" in gone.json()["detail"]


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def test_forged_expired_foreign_and_old_format_tokens_are_refused(known_secret_hub):
    url, epoch = known_secret_hub.url, known_secret_hub.store.epoch
    good = TokenAuthority(SECRET, epoch).issue("clerk")
    assert me(url, good.text).status_code == 200
    header, claims, signature = good.text.split(".")
    promoted = json.loads(base64.urlsafe_b64decode(claims + "=="))
    promoted["sub"] = "supervisor"
    refused = {
        "another secret": TokenAuthority(random_secret(), epoch).issue("clerk").text,
        "claims changed": f"{header}.{_b64(json.dumps(promoted).encode())}.{signature}",
        "alg none": jwt.encode({**promoted, "sub": "clerk"}, key=None, algorithm="none"),
        "expired": TokenAuthority(SECRET, epoch).issue("clerk", now=time.time() - 13 * 3600).text,
        "another hub database": TokenAuthority(SECRET, "other-db").issue("clerk").text,
        "old format": (
            lambda body: f"{body}.{_b64(hmac.new(SECRET.encode(), body.encode(), hashlib.sha256).digest())}"
        )(_b64(json.dumps({"sub": "clerk", "role": "supervisor", "exp": int(time.time()) + 3600}).encode())),
        "no jti": jwt.encode({k: v for k, v in promoted.items() if k != "jti"} | {"sub": "clerk"}, SECRET, "HS256"),
        "garbage": "x" * 5000,
    }
    for what, token in refused.items():
        answer = me(url, token)
        assert answer.status_code == 401, what
        assert answer.json()["field"] == "Authorization" and answer.json()["detail_zh"], what
    assert "expired" in me(url, refused["expired"]).json()["detail"]


def test_the_secret_is_not_in_the_database_file(known_secret_hub, tmp_path):
    token_for(known_secret_hub.url, "supervisor")
    known_secret_hub.store.engine.dispose()  # checkpoints the WAL into the file
    for name in ("hub.sqlite3", "hub.sqlite3-wal"):
        path = tmp_path / name
        assert not path.exists() or SECRET.encode() not in path.read_bytes()


def test_an_old_database_with_its_secret_row_stops_using_it_and_forgets_it(tmp_path):
    path = tmp_path / "old.sqlite3"
    HubStore(f"sqlite:///{path}").close()
    old_secret = "a" * 16 + random_secret()
    db = sqlite3.connect(path)  # as a hub before 2026-11 left it
    with db:
        db.execute("INSERT INTO hub_meta (key, value) VALUES ('secret', ?)", (old_secret,))
    db.close()  # the last connection: its WAL goes into the file
    body = _b64(json.dumps({"sub": "supervisor", "role": "supervisor", "exp": int(time.time()) + 3600}).encode())
    old_token = f"{body}.{_b64(hmac.new(old_secret.encode(), body.encode(), hashlib.sha256).digest())}"
    assert old_secret.encode() in path.read_bytes()
    store = HubStore(f"sqlite:///{path}")
    store.ensure_demo_users()
    with BackgroundHub(store) as server:
        assert me(server.url, old_token).status_code == 401  # the console then asks to sign in
        assert me(server.url, token_for(server.url, "supervisor")).status_code == 200
    store.close()
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT count(*) FROM hub_meta WHERE key = 'secret'").fetchone() == (0,)
    assert old_secret.encode() not in path.read_bytes()  # overwritten, not only unlinked from the table


def test_the_client_signs_out_and_hears_a_throttled_sign_in_at_once(hub):
    import asyncio

    from orderdesk.sync.client import HubClient, HubError, revoke_token

    async def scenario() -> None:
        async with HubClient(hub.url) as client:
            await client.login("packer", "packer")
            token = client.token
            assert token and await client.logout() is True and client.token is None
        assert me(hub.url, token).status_code == 401
        assert await revoke_token(hub.url, token) is False  # the hub no longer takes it anyway
        async with HubClient(hub.url, attempts=8, backoff_base=5.0) as client:
            for _ in range(5):
                with pytest.raises(HubError) as wrong:
                    await client.login("clerk", "guess")
                assert wrong.value.status == 401 and wrong.value.zh == "用户名或密码错误"
            started = time.monotonic()
            with pytest.raises(HubError) as throttled:
                await client.login("clerk", "clerk")
            assert time.monotonic() - started < 2  # not retried for minutes
            assert throttled.value.status == 429 and throttled.value.retry_after and throttled.value.field == "username"
        with pytest.raises(HubError) as unreachable:
            await revoke_token("http://127.0.0.1:9", "token")
        assert unreachable.value.status == 0

    asyncio.run(scenario())
