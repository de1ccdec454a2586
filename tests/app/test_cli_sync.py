"""`orderdesk login | sync | logout` against the real hub; tokens only in the keyring."""

from __future__ import annotations

import io
import json

import httpx

from orderdesk.app.cli.main import main
from orderdesk.hub.demo import seed


def run(capsys, *args: str, stdin: str | None = None, monkeypatch=None) -> tuple[int, str, str]:
    if stdin is not None:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_login_sync_logout(hub, memory_keyring, tmp_path, capsys, monkeypatch):
    seed(hub.store, 50, seed_value=3)
    cache = str(tmp_path / "cli.sqlite3")
    code, out, err = run(capsys, "--json", "login", "--hub", hub.url, "--user", "clerk", "--password-stdin",
                         stdin="clerk\n", monkeypatch=monkeypatch)  # fmt: skip
    assert code == 0, err
    assert json.loads(out)["role"] == "clerk"
    [(key, token)] = [(k, v) for k, v in memory_keyring.secrets.items()]
    assert key == ("OrderDesk", f"{hub.url}#clerk") and token.count(".") == 2  # a JWT: header.claims.signature
    assert token not in (tmp_path / "config" / "OrderDesk" / "hubs.json").read_text()  # never in a file

    code, out, err = run(capsys, "--cache", cache, "--json", "sync", "--hub", hub.url)
    assert code == 0, err
    summary = json.loads(out)
    assert summary["caught_up"] and summary["orders_applied"] == 50
    with open(tmp_path / "cli.sqlite3", "rb") as f:
        assert token.encode() not in f.read()  # nor in the cache

    code, out, _ = run(capsys, "--lang", "en", "logout", "--hub", hub.url)
    assert code == 0 and memory_keyring.secrets == {} and "the hub revoked the token" in out
    me = httpx.get(f"{hub.url}/v1/auth/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 401 and "signed out" in me.json()["detail"]  # revoked at the hub, not only forgotten
    code, _, err = run(capsys, "--cache", cache, "sync", "--hub", hub.url)
    assert code == 2 and "orderdesk login" in err


def test_logout_offline_forgets_the_token_and_says_the_hub_could_not_be_told(hub, memory_keyring, capsys,
                                                                            monkeypatch):  # fmt: skip
    code, _, err = run(capsys, "login", "--hub", hub.url, "--user", "packer", "--password-stdin", stdin="packer\n",
                       monkeypatch=monkeypatch)  # fmt: skip
    assert code == 0, err
    [token] = memory_keyring.secrets.values()
    hub.stop()  # the hub goes away
    code, out, err = run(capsys, "--lang", "en", "logout", "--hub", hub.url)
    assert code == 1 and memory_keyring.secrets == {}
    assert "signed out here" in out and "the hub could not be told" in err and "stays valid there until" in err
    code, out, err = run(capsys, "--json", "--lang", "zh_CN", "logout", "--hub", hub.url)
    assert code == 0 and json.loads(out) == {"hub": hub.url, "signed_out": True, "had_token": False,
                                             "revoked_at_hub": None, "hub_not_told": None}  # fmt: skip
    assert token not in out + err


def test_logout_of_a_token_the_hub_no_longer_takes_still_signs_out(hub, memory_keyring, capsys, monkeypatch):
    code, _, err = run(capsys, "login", "--hub", hub.url, "--user", "clerk", "--password-stdin", stdin="clerk\n",
                       monkeypatch=monkeypatch)  # fmt: skip
    assert code == 0, err
    hub.store.remove_user("clerk")
    code, out, _ = run(capsys, "--json", "logout", "--hub", hub.url)
    assert code == 0 and json.loads(out)["revoked_at_hub"] is False and memory_keyring.secrets == {}


def test_unattended_sync_takes_the_token_from_the_environment(hub, tmp_path, capsys, monkeypatch):
    from tests.conftest import token_for

    monkeypatch.setenv("ORDERDESK_TOKEN", token_for(hub.url, "packer"))
    code, out, err = run(capsys, "--cache", str(tmp_path / "c.sqlite3"), "--json", "sync", "--hub", hub.url)
    assert code == 0, err
    assert json.loads(out)["caught_up"]


def test_no_keyring_is_a_clear_error_not_a_fallback_file(hub, capsys, monkeypatch, tmp_path):
    import keyring
    from keyring.backends import fail

    before = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        code, _, err = run(capsys, "login", "--hub", hub.url, "--user", "packer", "--password-stdin", stdin="packer\n",
                           monkeypatch=monkeypatch)  # fmt: skip
    finally:
        keyring.set_keyring(before)
    assert code == 2 and "密钥环" in err and "ORDERDESK_TOKEN" in err
    assert not (tmp_path / "config" / "OrderDesk" / "hubs.json").exists()


def test_a_wrong_password_says_so(hub, capsys, monkeypatch, memory_keyring):
    code, _, err = run(capsys, "--lang", "en", "login", "--hub", hub.url, "--user", "packer", "--password-stdin",
                       stdin="wrong\n", monkeypatch=monkeypatch)  # fmt: skip
    assert code == 2 and "sign in again" in err and memory_keyring.secrets == {}


def test_the_hub_command_serves_its_demo_data_to_a_sync_in_another_process(tmp_path):
    import os
    import shutil
    import socket
    import subprocess
    import time

    import httpx

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    orderdesk = shutil.which("orderdesk")
    assert orderdesk
    hub = subprocess.Popen([orderdesk, "hub", "--db", f"sqlite:///{tmp_path / 'hub.sqlite3'}", "--port", str(port),
                            "--seed", "120", "--seed-value", "4"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                token = httpx.post(f"{url}/v1/auth/token", json={"username": "packer", "password": "packer"}).json()
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "the hub did not start"
                time.sleep(0.2)
        environment = {**os.environ, "ORDERDESK_TOKEN": token["access_token"]}
        done = subprocess.run([orderdesk, "--cache", str(tmp_path / "c.sqlite3"), "--json", "sync", "--hub", url],
                              env=environment, capture_output=True, text=True, timeout=120, check=False)  # fmt: skip
        assert done.returncode == 0, done.stderr
        assert json.loads(done.stdout)["orders_applied"] == 120
    finally:
        hub.terminate()
        hub.wait(timeout=30)


def test_watch_keeps_syncing_until_interrupted_and_stops_cleanly(hub, tmp_path):
    import os
    import shutil
    import signal
    import subprocess
    import time

    from orderdesk.hub.live import LiveTraffic
    from orderdesk.sync.cache import Cache
    from tests.conftest import token_for

    live = LiveTraffic(hub.store, rate=40).start()
    environment = {**os.environ, "ORDERDESK_TOKEN": token_for(hub.url, "packer")}
    cache_path = tmp_path / "watch.sqlite3"
    watch = subprocess.Popen([shutil.which("orderdesk"), "--cache", str(cache_path), "sync", "--hub", hub.url,
                              "--watch", "--interval", "0.3"], env=environment, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True,
                             # a suite started in the background (`./dev test &`) ignores SIGINT, and so would the child
                             preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        held = 0
        while held < 80 and time.monotonic() < deadline:  # orders keep arriving and keep being synced
            time.sleep(0.5)
            if cache_path.exists():
                import sqlite3

                try:
                    held = (
                        sqlite3.connect(f"file:{cache_path}?mode=ro", uri=True)
                        .execute("SELECT COUNT(*) FROM orders")
                        .fetchone()[0]
                    )
                except sqlite3.Error:
                    held = 0
        assert held >= 80
    finally:
        live.stop()
        watch.send_signal(signal.SIGINT)  # Ctrl-C
        _, err = watch.communicate(timeout=30)
    assert watch.returncode == 130 and "Traceback" not in err
    with Cache(cache_path) as cache, cache.read() as c:
        assert c.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
