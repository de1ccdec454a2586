"""A damaged or unusable cache, through the real CLI (its own process): each case is named in words
with what to do, exit code 74, never a traceback; the file is left as it was; `sync` never says it
caught up on a file that fails its checks. A WAL left behind by a killed process is not damage."""

from __future__ import annotations

import contextlib
import os
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from orderdesk.sync.cache.full_check import full_check
from tests.damage import cli, copy_of, one_value, overwrite_in

KILLED_WRITER = r"""
import os, sys
from pathlib import Path
from orderdesk.sync import sync_state
from orderdesk.sync.cache import Cache
cache = Cache(Path(sys.argv[1]))
with cache.write() as c:
    sync_state.save(c, "http://killed.example", "note", "written just before the kill")
os._exit(0)  # as kill -9 would: no close, no checkpoint; the WAL and its index stay behind
"""


def killed_writer(path: Path) -> None:
    subprocess.run([sys.executable, "-c", KILLED_WRITER, str(path)], check=True, timeout=60)
    wal = path.with_name(path.name + "-wal")
    assert wal.exists() and wal.stat().st_size > 0, "the killed writer left its WAL behind"


def _domain_id(path: Path) -> str:
    return str(one_value(path, "SELECT domain_id FROM orders ORDER BY id LIMIT 1 OFFSET 7"))


def truncated(path: Path) -> str:
    os.truncate(path, path.stat().st_size // 2)
    return "is cut short"


def flipped_in_a_table(path: Path) -> str:
    waybill = str(one_value(path, "SELECT waybill_no FROM orders ORDER BY id LIMIT 1 OFFSET 7")).encode()
    overwrite_in(path, "orders", waybill, waybill[:-1] + b"#")  # an indexed value, changed on the table's page
    return "missing from index ix_orders_waybill_no"


def flipped_in_an_index(path: Path) -> str:
    entity = _domain_id(path).encode()  # the audit trail of one order, as `orders show` looks it up
    overwrite_in(path, "ix_audit_log_entity_key", entity, entity[:-1] + b"#")
    return "ix_audit_log_entity_key"


def flipped_in_the_audit_log(path: Path) -> str:
    overwrite_in(path, "audit_log", b'"state":', b'"stare":')  # inside a payload: no index covers it
    return "audit log fails the hash chain"


def a_text_file(path: Path) -> str:
    path.write_text("これは日记, not a database\n" * 20, encoding="utf-8")
    return "is not a SQLite database"


def a_directory(path: Path) -> str:
    path.unlink()
    path.mkdir()
    (path / "something.txt").write_text("a folder where the cache should be")
    return "is a folder, not a cache file"


def from_a_newer_version(path: Path) -> str:
    with contextlib.closing(sqlite3.connect(path)) as db, db:
        db.execute("UPDATE alembic_version SET version_num = '0099'")
    return "a newer OrderDesk wrote it"


def not_a_cache(path: Path) -> str:
    path.unlink()
    with contextlib.closing(sqlite3.connect(path)) as db, db:
        db.execute("CREATE TABLE recipes (name TEXT)")
    return "not an OrderDesk cache"


def a_damaged_wal(path: Path) -> str:
    killed_writer(path)
    with path.with_name(path.name + "-wal").open("r+b") as wal:
        wal.write(b"\0" * 8)
    return "write-ahead log"


CASES: dict[str, Callable[[Path], str]] = {f.__name__: f for f in (
    truncated, flipped_in_a_table, flipped_in_an_index, flipped_in_the_audit_log, a_text_file, a_directory,
    from_a_newer_version, not_a_cache, a_damaged_wal)}  # fmt: skip


def _snapshot(path: Path) -> bytes | list[str]:
    return sorted(p.name for p in path.iterdir()) if path.is_dir() else path.read_bytes()


@pytest.mark.parametrize("case", CASES)
def test_each_kind_of_damage_is_named_with_what_to_do_and_exit_74(synced, tmp_path, case):
    cache = copy_of(synced.good, tmp_path)
    checked = cli(cache, "cache", "check")
    assert checked.returncode == 0 and "intact" in checked.stdout, checked.stderr
    domain_id = _domain_id(cache)
    expected = CASES[case](cache)
    before = _snapshot(cache)
    token = {"ORDERDESK_TOKEN": synced.token}
    for args in (["orders", "show", domain_id], ["sync", "--hub", synced.url], ["cache", "check"]):
        done = cli(cache, *args, env=token)
        said = done.stdout + done.stderr
        assert done.returncode == 74, f"{args}: {done.returncode} {said}"
        assert expected in said and "Traceback" not in said, said
        assert "cache rebuild --hub" in said  # what to do, as a command
        assert "caught up" not in said
    assert _snapshot(cache) == before, "the damaged file was changed"
    assert (cache.is_dir() or cache.exists()) and not list(tmp_path.glob("*.damaged-*")), "nothing moved by a check"


def test_orders_show_on_a_damaged_index_refuses_rather_than_showing_part_of_the_trail(synced, tmp_path):
    cache = copy_of(synced.good, tmp_path)
    domain_id = _domain_id(cache)
    whole = cli(cache, "--json", "orders", "show", domain_id)
    assert whole.returncode == 0 and len(__import__("json").loads(whole.stdout)["audit"]) >= 2
    flipped_in_an_index(cache)
    done = cli(cache, "--json", "orders", "show", domain_id)
    assert done.returncode == 74
    assert __import__("json").loads(done.stdout)["cache"]["kind"] == "damaged"


def test_a_wal_left_by_a_killed_process_is_normal_not_damage(synced, tmp_path):
    cache = copy_of(synced.good, tmp_path)
    assert cli(cache, "cache", "check").returncode == 0
    killed_writer(cache)
    checked = cli(cache, "cache", "check")
    assert checked.returncode == 0 and "intact" in checked.stdout, checked.stdout + checked.stderr
    exported = cli(cache, "orders", "export")
    assert exported.returncode == 0 and len(exported.stdout.splitlines()) == synced.orders
    assert one_value(cache, "SELECT value FROM sync_state WHERE key LIKE 'http://killed.example%'") == (
        "written just before the kill"
    )  # what the killed process committed is there


def _immutable(path: Path, on: bool) -> bool:
    done = subprocess.run(["chattr", "+i" if on else "-i", str(path)], capture_output=True, check=False)
    return done.returncode == 0


@contextlib.contextmanager
def read_only(path: Path) -> Iterator[None]:
    """Make ``path`` (a file or a folder) unwritable for this process's user. File modes do not bind
    root: as root the file is made immutable (chattr +i), which binds root too."""
    if os.geteuid() != 0:
        mode = path.stat().st_mode
        os.chmod(path, 0o555 if path.is_dir() else 0o444)
        try:
            yield
        finally:
            os.chmod(path, mode)
        return
    if shutil.which("chattr") is None or not _immutable(path, True):
        pytest.skip("running as root, where file modes do not bind, on a file system without chattr +i")
    try:
        yield
    finally:
        _immutable(path, False)


@pytest.mark.parametrize("what", ["file", "folder"])
def test_a_read_only_file_or_folder_is_said_so_and_nothing_changes(synced, tmp_path, what):
    cache = copy_of(synced.good, tmp_path / "data" if what == "folder" else tmp_path)
    before = cache.read_bytes()
    with read_only(cache if what == "file" else cache.parent):
        assert not os.access(cache if what == "file" else cache.parent, os.W_OK)
        done = cli(cache, "orders", "export")
        said = done.stdout + done.stderr
        assert done.returncode == 74 and "Traceback" not in said, said
        assert ("is read-only" if what == "file" else f"The folder {cache.parent} is read-only") in said
        assert "writable" in said  # what to do
    assert cache.read_bytes() == before


def test_disk_full_while_syncing_stops_with_its_message_and_loses_nothing(synced, tmp_path):
    cache = tmp_path / "cache.sqlite3"
    assert cli(cache, "--json", "orders", "export").returncode == 0  # a new, empty cache
    limit = cache.stat().st_size + 96 * 1024  # files may not grow past this: the sync's first pages fill it

    def small_disk() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))  # Python ignores SIGXFSZ: writes fail EFBIG

    token = {"ORDERDESK_TOKEN": synced.token}
    done = cli(cache, "sync", "--hub", synced.url, env=token, preexec_fn=small_disk)
    said = done.stdout + done.stderr
    assert done.returncode == 74 and "Traceback" not in said, said
    assert "disk" in said and "nothing committed is lost" in said and "caught up" not in said
    again = cli(cache, "--json", "sync", "--hub", synced.url, env=token)
    assert again.returncode == 0, again.stderr
    assert one_value(cache, "SELECT count(*) FROM orders") == synced.orders
    assert cli(cache, "cache", "check").returncode == 0


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    damage=st.lists(
        st.tuples(st.floats(min_value=0.0, max_value=1.0), st.binary(min_size=1, max_size=64)), min_size=1, max_size=3
    )
)
def test_random_damage_never_ends_in_a_traceback_or_exit_70(synced, damage):
    with tempfile.TemporaryDirectory(prefix="orderdesk-fuzz-") as folder:
        cache = copy_of(synced.good, Path(folder))
        domain_id = _domain_id(cache)
        size = cache.stat().st_size
        with cache.open("r+b") as f:
            for where, data in damage:  # random bytes over random places of a real cache file
                f.seek(min(int(where * size), size - len(data)))
                f.write(data)
        fails = not full_check(copy_of(cache, Path(folder) / "judge"), record=False).ok
        for args in (["orders", "show", domain_id], ["sync", "--hub", synced.url]):
            done = cli(cache, *args, env={"ORDERDESK_TOKEN": synced.token})
            said = done.stdout + done.stderr
            assert done.returncode in (0, 1, 74), f"{args}: exit {done.returncode}: {said}"
            assert "Traceback" not in said and "unexpected error" not in said, said
            if fails:
                assert done.returncode == 74 and "caught up" not in said, f"{args}: {said}"
