"""Several `orderdesk hub` processes on one database, as a deployment (or `bench hub_load`) runs them:
they share the signing secret (a 0600 file in the config folder, or ORDERDESK_HUB_SECRET), the
sign-in throttle and the revocations; the secret is in none of the database's bytes."""

from __future__ import annotations

import os
import shutil
import socket
import stat
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def hub_processes(db: str, count: int, environment: dict[str, str], *extra: str) -> Iterator[list[str]]:
    orderdesk = shutil.which("orderdesk")
    assert orderdesk
    processes: list[subprocess.Popen] = []
    urls: list[str] = []
    try:
        for _ in range(count):  # one after the other: creating the tables is not safe to race
            port = _free_port()
            process = subprocess.Popen([orderdesk, "hub", "--db", db, "--port", str(port), *extra], env=environment,
                                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)  # fmt: skip
            processes.append(process)
            urls.append(f"http://127.0.0.1:{port}")
            deadline = time.monotonic() + 60
            while True:
                try:
                    httpx.get(f"{urls[-1]}/openapi.json", timeout=2)
                    break
                except httpx.TransportError:
                    assert process.poll() is None, process.stderr.read().decode() if process.stderr else ""
                    assert time.monotonic() < deadline, "the hub did not start"
                    time.sleep(0.2)
        yield urls
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=30)


def _token(url: str, user: str) -> httpx.Response:
    return httpx.post(f"{url}/v1/auth/token", json={"username": user, "password": user}, timeout=30)


def test_hub_processes_on_one_database_share_secret_throttle_and_revocations(tmp_path):
    environment = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path / "config")}
    environment.pop("ORDERDESK_HUB_SECRET", None)
    path = tmp_path / "hub.sqlite3"
    with hub_processes(f"sqlite:///{path}", 2, environment) as (first, second):
        token = _token(first, "clerk").json()["access_token"]
        headers = {"Authorization": f"Bearer {token}"}
        assert httpx.get(f"{second}/v1/auth/me", headers=headers).json()["user"] == "clerk"  # one secret
        assert httpx.post(f"{second}/v1/auth/logout", headers=headers).status_code == 204
        assert httpx.get(f"{first}/v1/auth/me", headers=headers).status_code == 401  # revoked for both
        for url in (first, second, first, second, first):
            assert httpx.post(f"{url}/v1/auth/token", json={"username": "packer", "password": "no"}).status_code == 401
        assert _token(second, "packer").status_code == 429 and _token(first, "packer").status_code == 429
    secret_file = tmp_path / "config" / "OrderDesk" / "hub-secret"
    assert stat.S_IMODE(secret_file.stat().st_mode) == 0o600
    secret = secret_file.read_text().strip()
    assert len(secret) == 64
    for name in ("hub.sqlite3", "hub.sqlite3-wal"):
        assert not (tmp_path / name).exists() or secret.encode() not in (tmp_path / name).read_bytes()


def test_a_deployment_gives_the_secret_by_environment_or_file_and_a_careless_file_is_refused(tmp_path):
    db = f"sqlite:///{tmp_path / 'hub.sqlite3'}"
    given = "s" * 48
    environment = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path / "config"), "ORDERDESK_HUB_SECRET": given}
    with hub_processes(db, 1, environment) as (url,):
        token = _token(url, "packer").json()["access_token"]
    import jwt

    assert jwt.decode(token, given, algorithms=["HS256"], options={"verify_aud": False})["sub"] == "packer"
    assert not (tmp_path / "config" / "OrderDesk" / "hub-secret").exists()

    environment.pop("ORDERDESK_HUB_SECRET")
    careless = tmp_path / "careless-secret"
    careless.write_text("t" * 48)
    careless.chmod(0o644)
    orderdesk = shutil.which("orderdesk")
    refused = subprocess.run([orderdesk, "--lang", "en", "hub", "--db", db, "--secret-file", str(careless)],
                             env=environment, capture_output=True, text=True, timeout=60, check=False)  # fmt: skip
    assert refused.returncode == 2 and "chmod 600" in refused.stderr and "tttt" not in refused.stderr
    short = {**environment, "ORDERDESK_HUB_SECRET": "short"}
    refused = subprocess.run([orderdesk, "--lang", "en", "hub", "--db", db], env=short, capture_output=True,
                             text=True, timeout=60, check=False)  # fmt: skip
    assert refused.returncode == 2 and "shorter than 32" in refused.stderr
    careless.chmod(0o600)
    with hub_processes(db, 1, environment, "--secret-file", str(careless)) as (url,):
        token = _token(url, "packer").json()["access_token"]
    assert jwt.decode(token, "t" * 48, algorithms=["HS256"], options={"verify_aud": False})["sub"] == "packer"


@pytest.mark.postgres
def test_hub_processes_on_postgres_share_throttle_and_revocations(tmp_path):
    from tests.hub.test_postgres import POSTGRES, _reachable

    reason = _reachable()
    if reason:
        pytest.skip(reason)
    from sqlalchemy import create_engine

    from orderdesk.hub.schema import metadata

    engine = create_engine(POSTGRES)
    metadata.drop_all(engine)
    environment = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path / "config")}
    try:
        with hub_processes(POSTGRES, 2, environment) as (first, second):
            token = _token(first, "supervisor").json()["access_token"]
            headers = {"Authorization": f"Bearer {token}"}
            assert httpx.get(f"{second}/v1/auth/me", headers=headers).status_code == 200
            httpx.post(f"{first}/v1/auth/logout", headers=headers)
            assert httpx.get(f"{second}/v1/auth/me", headers=headers).status_code == 401
            for url in (first, second) * 3:
                httpx.post(f"{url}/v1/auth/token", json={"username": "clerk", "password": "no"})
            assert _token(second, "clerk").status_code == 429
    finally:
        metadata.drop_all(engine)
        engine.dispose()


def _children(pid: int) -> list[int]:
    found = []
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open(f"/proc/{name}/stat", encoding="ascii", errors="replace") as f:
                    stat_text = f.read()
            except OSError:
                continue
            if int(stat_text[stat_text.rindex(")") + 2 :].split()[1]) == pid:
                found.append(int(name))
    return found


@pytest.mark.skipif(not os.path.isdir("/proc"), reason="counts worker processes in /proc (Linux)")
def test_orderdesk_hub_workers_serve_one_port_from_several_processes_with_one_secret(tmp_path):
    environment = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path / "config")}
    environment.pop("ORDERDESK_HUB_SECRET", None)
    orderdesk = shutil.which("orderdesk")
    port = _free_port()
    db = f"sqlite:///{tmp_path / 'hub.sqlite3'}"
    process = subprocess.Popen([orderdesk, "hub", "--db", db, "--port", str(port), "--workers", "2"], env=environment,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:  # ready when every worker has started, not just the first
            try:
                httpx.get(f"{url}/openapi.json", timeout=2)
                workers = [
                    p
                    for p in _children(process.pid)
                    if b"resource_tracker" not in Path(f"/proc/{p}/cmdline").read_bytes()
                ]
                if len(workers) == 2:
                    break
            except httpx.TransportError:
                pass
            assert process.poll() is None, process.stderr.read().decode() if process.stderr else ""
            assert time.monotonic() < deadline, "the hub's workers did not start"
            time.sleep(0.2)
        token = _token(url, "packer").json()["access_token"]
        for _ in range(24):  # a fresh connection each: the kernel spreads them over the workers
            me = httpx.get(f"{url}/v1/auth/me", headers={"Authorization": f"Bearer {token}"})
            assert me.status_code == 200 and me.json()["user"] == "packer"  # every worker knows the one secret
            assert "app;dur=" in me.headers["server-timing"]
    finally:
        process.terminate()
        process.wait(timeout=30)
    assert not [p for p in workers if os.path.exists(f"/proc/{p}")]  # the workers end with the hub
    refused = subprocess.run([orderdesk, "--lang", "en", "hub", "--db", db, "--workers", "0"], env=environment,
                             capture_output=True, text=True, timeout=60, check=False)  # fmt: skip
    assert refused.returncode == 2 and "--workers should be at least 1, not 0" in refused.stderr
