"""`orderdesk` with no command, `orderdesk console` and `orderdesk demo`: the Qt console."""

from __future__ import annotations

import argparse
from pathlib import Path

from orderdesk.app.cli.common import UserError
from orderdesk.app.i18n import tr


def register(commands: argparse._SubParsersAction) -> None:
    console = commands.add_parser("console", help=tr("打开控制台(默认)", "open the console (the default)"))
    console.add_argument("--hub", help=tr("中心地址(默认取设置)", "hub address (default: settings)"))
    console.set_defaults(run=run_console)
    demo = commands.add_parser("demo", help=tr("在内置演示中心上打开控制台", "the console on the embedded demo hub"))
    demo.add_argument("--orders", type=int, default=3000, help=tr("演示订单数", "demo orders"))
    demo.add_argument(
        "--screenshots", type=Path, help=tr("截取每个工作区后退出", "save each workspace as PNG, then quit")
    )
    demo.add_argument("--quit-after", type=float, help=tr("若干秒后退出", "quit after this many seconds"))
    demo.add_argument("--live", type=float, default=0.2, metavar="ORDERS_PER_SECOND",
                      help=tr("每秒经接口推送的新订单数(0:不推送)", "new orders a second pushed through the ingest (0: none)"))  # fmt: skip
    demo.set_defaults(run=run_demo)


def _no_display(exc: Exception) -> UserError:
    return UserError(tr(
        "没有可用的显示器。请在桌面上运行;无界面时可设置 QT_QPA_PLATFORM=offscreen(加 --screenshots 目录 查看截图)"
        "或使用 xvfb-run;其余功能均可通过命令行使用:orderdesk --help",
        f"{exc}",
    ))  # fmt: skip


def run_console(args: argparse.Namespace) -> int:
    from orderdesk.app.ui.app import NoDisplay, run_console

    try:
        return run_console(getattr(args, "hub", None), Path(args.cache) if args.cache else None, args.lang)
    except NoDisplay as exc:
        raise _no_display(exc) from None


def run_demo(args: argparse.Namespace) -> int:
    from orderdesk.app.ui.app import NoDisplay, run_demo

    try:
        return run_demo(args.orders, args.lang, args.screenshots, args.quit_after, max(0.0, args.live))
    except NoDisplay as exc:
        raise _no_display(exc) from None
