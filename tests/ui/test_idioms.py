"""Qt idioms the console keeps to, read from its source: keys are QShortcut/QAction (never a
keyPressEvent), pages await services (no SQL or cache connection in app/ui), every coroutine a button
starts is kept (never a bare ensure_future whose task may vanish), and no timer polls the sync."""

from __future__ import annotations

import re
from pathlib import Path

UI = Path("orderdesk/app/ui")


def lines(pattern: str) -> list[str]:
    found = []
    for path in sorted(UI.glob("*.py")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(pattern, line):
                found.append(f"{path.name}:{number}: {line.strip()}")
    return found


def test_keys_are_shortcuts_and_actions_not_key_press_events() -> None:
    assert lines(r"def keyPressEvent|event\.key\(\)") == []


def test_pages_await_services_and_hold_no_sql() -> None:
    assert lines(r"cache\.(read|write)\(\)|exec_driver_sql|\.execute\(|from sqlalchemy|import sqlite3") == []


def test_every_started_coroutine_is_kept() -> None:
    bare = [
        line
        for line in lines(r"ensure_future\(|create_task\(")
        if not re.search(r"=\s*asyncio\.|return asyncio\.", line)
    ]
    assert bare == []


def test_no_timer_polls_the_sync_status() -> None:
    assert lines(r"refresh_pending\(\)") == [] or all(
        "main_window.py" in line for line in lines(r"refresh_pending\(\)")
    )
    assert lines(r"_tick\b|interval=1000") == []
