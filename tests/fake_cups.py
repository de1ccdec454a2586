"""CUPS's `lp` and `lpstat` played by small scripts on PATH, so no test needs a CUPS server. `lp`
records its arguments, its locale and the document it read from stdin, then answers as CUPS 2.4 does
(the words were taken from a real cupsd with a cups-pdf queue): ``request id is PDF-7 (0 file(s))``,
or a refusal on stderr with exit status 1."""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

LP = """#!{python}
import json, os, sys
folder = {folder!r}
data = sys.stdin.buffer.read()
calls = os.path.join(folder, "calls.jsonl")
with open(calls, "a", encoding="utf-8") as out:
    out.write(json.dumps({{"argv": sys.argv[1:], "stdin_hex": data.hex(), "lc_all": os.environ.get("LC_ALL")}}) + "\\n")
with open(calls, encoding="utf-8") as written:
    count = sum(1 for _ in written)
state = json.load(open(os.path.join(folder, "state.json"), encoding="utf-8"))
if state["lp_stderr"]:
    sys.stderr.write(state["lp_stderr"])
    sys.exit(1)
queue = sys.argv[sys.argv.index("-d") + 1] if "-d" in sys.argv else state["default_queue"]
print(f"request id is {{queue}}-{{count}} (0 file(s))")
"""
LPSTAT = """#!{python}
import json, os, sys
state = json.load(open(os.path.join({folder!r}, "state.json"), encoding="utf-8"))
if "-r" in sys.argv:
    print("scheduler is running" if state["running"] else "scheduler is not running")
elif "-e" in sys.argv:
    print("\\n".join(state["queues"]))
"""


@dataclass
class FakeCups:
    folder: Path

    def set(self, **state: Any) -> None:
        path = self.folder / "state.json"
        current = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
        path.write_text(json.dumps({**current, **state}), encoding="utf-8")

    def calls(self) -> list[dict[str, Any]]:
        path = self.folder / "calls.jsonl"
        if not path.exists():
            return []
        return [
            {**call, "stdin": bytes.fromhex(call["stdin_hex"])}
            for call in map(json.loads, path.read_text(encoding="utf-8").splitlines())
        ]


def install(folder: Path) -> FakeCups:
    """Writes `lp` and `lpstat` into ``folder``/bin; the caller puts that first on PATH."""
    bin_dir = folder / "bin"
    bin_dir.mkdir(parents=True, exist_ok=True)
    for name, source in (("lp", LP), ("lpstat", LPSTAT)):
        script = bin_dir / name
        script.write_text(source.format(python=sys.executable, folder=str(folder)), encoding="utf-8")
        os.chmod(script, 0o755)
    cups = FakeCups(folder)
    cups.set(lp_stderr="", running=True, queues=["PDF", "Zebra_ZD421"], default_queue="PDF")
    return cups
