"""How long OrderDesk takes from being launched to its first window on the screen:

    python packaging/measure_start.py [--runs N] [--cold] -- COMMAND ARGS...

A private X server (Xvfb) is started; the command runs on it with a fresh HOME, and the time from
launching it to the X server's first MapNotify of a top-level window (listened to through libX11, no
polling) is printed, then the command is ended (SIGTERM). ``--cold`` drops the kernel's page cache
before each run (root only), as after a reboot: every library is read from disk again. Examples:

    python packaging/measure_start.py --runs 5 -- packaging/dist/orderdesk/orderdesk console --hub http://127.0.0.1:9
    python packaging/measure_start.py --runs 3 -- .venv/bin/orderdesk console --hub http://127.0.0.1:9

(`console` with a hub nobody answers at shows the sign-in dialog: the first window a user sees.)
Needs Xvfb (Debian: xvfb) and libX11."""

from __future__ import annotations

import argparse
import ctypes
import ctypes.util
import os
import select
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

MAP_NOTIFY = 19
SUBSTRUCTURE_NOTIFY_MASK = 1 << 19


class XMapEvent(ctypes.Structure):
    _fields_ = (
        ("type", ctypes.c_int),
        ("serial", ctypes.c_ulong),
        ("send_event", ctypes.c_int),
        ("display", ctypes.c_void_p),
        ("event", ctypes.c_ulong),
        ("window", ctypes.c_ulong),
        ("override_redirect", ctypes.c_int),
    )


class XEvent(ctypes.Union):
    _fields_ = (("type", ctypes.c_int), ("xmap", XMapEvent), ("pad", ctypes.c_long * 24))


def _xlib() -> ctypes.CDLL:
    name = ctypes.util.find_library("X11") or "libX11.so.6"
    lib = ctypes.CDLL(name)
    lib.XOpenDisplay.restype = ctypes.c_void_p
    lib.XOpenDisplay.argtypes = (ctypes.c_char_p,)
    lib.XDefaultRootWindow.restype = ctypes.c_ulong
    lib.XDefaultRootWindow.argtypes = (ctypes.c_void_p,)
    lib.XSelectInput.argtypes = (ctypes.c_void_p, ctypes.c_ulong, ctypes.c_long)
    lib.XConnectionNumber.argtypes = (ctypes.c_void_p,)
    lib.XPending.argtypes = (ctypes.c_void_p,)
    lib.XNextEvent.argtypes = (ctypes.c_void_p, ctypes.POINTER(XEvent))
    lib.XFlush.argtypes = (ctypes.c_void_p,)
    lib.XCloseDisplay.argtypes = (ctypes.c_void_p,)
    return lib


def start_xvfb() -> tuple[subprocess.Popen[bytes], str]:
    if shutil.which("Xvfb") is None:
        raise SystemExit("Xvfb is needed (Debian: apt-get install xvfb)")
    read, write = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-screen", "0", "1600x1000x24", "-nolisten", "tcp"],
        pass_fds=(write,),
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    with os.fdopen(read) as answer:
        number = answer.readline().strip()
    if not number:
        raise SystemExit("Xvfb did not start")
    return server, f":{number}"


def first_window(command: list[str], display: str, timeout: float) -> float:
    """Seconds from launching ``command`` to its first top-level window being mapped."""
    x = _xlib()
    connection = x.XOpenDisplay(display.encode())
    if not connection:
        raise SystemExit(f"cannot open display {display}")
    try:
        x.XSelectInput(connection, x.XDefaultRootWindow(connection), SUBSTRUCTURE_NOTIFY_MASK)
        x.XFlush(connection)
        home = tempfile.mkdtemp(prefix="orderdesk-start-")
        env = {
            "PATH": "/usr/bin:/bin",
            "HOME": home,
            "DISPLAY": display,
            "LANG": os.environ.get("LANG", "C.UTF-8"),
        }
        started = time.perf_counter()
        process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            event = XEvent()
            fd = x.XConnectionNumber(connection)
            while True:
                while x.XPending(connection):
                    x.XNextEvent(connection, ctypes.byref(event))
                    if event.type == MAP_NOTIFY and not event.xmap.override_redirect:
                        return time.perf_counter() - started
                left = timeout - (time.perf_counter() - started)
                if left <= 0 or process.poll() is not None:
                    raise RuntimeError(f"no window within {timeout:.0f} s (exit code {process.poll()})")
                select.select([fd], [], [], min(left, 0.5))
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            shutil.rmtree(home, ignore_errors=True)
    finally:
        x.XCloseDisplay(connection)


def drop_page_cache() -> None:
    os.sync()
    Path("/proc/sys/vm/drop_caches").write_text("3\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--cold", action="store_true", help="drop the page cache before each run (root)")
    parser.add_argument("--timeout", type=float, default=120)
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("the command to measure goes after --")
    server, display = start_xvfb()
    try:
        times = []
        for run in range(1, args.runs + 1):
            if args.cold:
                drop_page_cache()
            took = first_window(command, display, args.timeout)
            times.append(took)
            print(f"run {run}: first window after {took:.2f} s", flush=True)
        print(f"{'cold' if args.cold else 'warm'}: median {statistics.median(times):.2f} s, "
              f"min {min(times):.2f} s, max {max(times):.2f} s over {len(times)} runs")  # fmt: skip
    finally:
        server.terminate()
        server.wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
