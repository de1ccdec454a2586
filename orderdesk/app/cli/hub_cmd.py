"""`orderdesk hub`: run the reference central order API, optionally filled with demo orders."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from orderdesk.app.cli.common import UserError, emit_line
from orderdesk.app.i18n import tr
from orderdesk.sync.paths import data_dir


def register(commands: argparse._SubParsersAction) -> None:
    hub = commands.add_parser("hub", help=tr("运行参考订单中心(中台 API)", "run the reference order hub"))
    hub.add_argument(
        "--db", help=tr("数据库 URL(默认用户数据目录下的 SQLite 文件)", "database URL (default: a SQLite file)")
    )
    hub.add_argument("--host", default="127.0.0.1")
    hub.add_argument("--port", type=int, default=8765)
    hub.add_argument(
        "--seed", type=int, default=0, metavar="N", help=tr("先写入 N 个演示订单", "first fill in N demo orders")
    )
    hub.add_argument("--seed-value", type=int, default=7, help=tr("演示数据的随机种子", "random seed of the demo data"))
    hub.add_argument(
        "--retention",
        type=int,
        default=0,
        metavar="N",
        help=tr("变更流只保留最近 N 条(0:全部)", "keep only the newest N changes (0: all)"),
    )
    hub.add_argument(
        "--live",
        type=float,
        default=0,
        metavar="RATE",
        help=tr("持续产生演示流量:每秒 RATE 个新订单", "keep generating demo traffic: RATE new orders a second"),
    )
    hub.add_argument(
        "--workers",
        type=int,
        default=1,
        metavar="N",
        help=tr(
            "N 个工作进程共用一个端口和数据库(多核;PostgreSQL 上最有用)",
            "N worker processes sharing the port and the database (several cores; most useful on PostgreSQL)",
        ),
    )
    hub.add_argument(
        "--secret-file",
        type=Path,
        metavar="PATH",
        help=tr(
            "令牌签名密钥文件(权限 0600;缺失时自动生成;默认配置目录下的 hub-secret,环境变量 ORDERDESK_HUB_SECRET 优先)",
            "token-signing secret file (mode 0600, made when missing; default: hub-secret in the config folder; "
            "ORDERDESK_HUB_SECRET wins)",
        ),
    )
    hub.add_argument(
        "--local-platform",
        action="store_true",
        help=tr(
            "在本机启动演示用的诺诺协议开票平台,并由订单中心自动开票(仅演示和测试)",
            "start the local 诺诺-protocol e-invoice platform and let the hub issue invoices on it (demo and tests only)",
        ),
    )
    hub.add_argument(
        "--redis",
        metavar="URL",
        help=tr(
            "秒杀 SKU 的 Redis 快速通道(如 redis://127.0.0.1:6379/0;默认读 ORDERDESK_REDIS_URL;无则关闭,数据库仍是唯一守卫)",
            "the Redis fast path for flash-sale SKUs (e.g. redis://127.0.0.1:6379/0; default ORDERDESK_REDIS_URL; "
            "none: off, the database is the guard either way)",
        ),
    )
    hub.set_defaults(run=run_hub)


def default_db() -> str:
    return f"sqlite:///{data_dir() / 'hub.sqlite3'}"


def run_hub(args: argparse.Namespace) -> int:
    from orderdesk.hub.demo import seed
    from orderdesk.hub.secret import SecretError, load_secret
    from orderdesk.hub.server import serve, serve_workers
    from orderdesk.hub.store import HubStore

    try:
        load_secret(args.secret_file)  # before anything else: a hub that cannot sign tokens does not start
    except SecretError as exc:
        raise UserError(tr(exc.said)) from None
    if args.workers < 1:
        raise UserError(
            tr(f"--workers 应至少为 1,而不是 {args.workers}", f"--workers should be at least 1, not {args.workers}")
        )

    url = args.db or default_db()
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    store = HubStore(url)
    store.ensure_demo_users()
    if args.seed:
        orders, observations = seed(store, args.seed, args.seed_value, lambda n: sys.stderr.write(f"\r{n}"))
        sys.stderr.write("\n")
        emit_line(
            tr(
                f"已写入 {orders} 个演示订单、{observations} 条状态",
                f"seeded {orders} orders, {observations} observations",
            )
        )
    if args.retention:
        store.prune(args.retention)
    emit_line(tr(f"订单中心:http://{args.host}:{args.port}  (演示用户 packer/clerk/supervisor,密码同用户名,仅供演示)",
                 f"hub at http://{args.host}:{args.port}  (demo users packer/clerk/supervisor, password = user name, demo only)"))  # fmt: skip
    live = None
    if args.live > 0:
        from orderdesk.hub.live import LiveTraffic

        live = LiveTraffic(store, args.live, args.seed_value).start()
    try:
        if args.workers > 1:
            serve_workers(url, args.host, args.port, args.workers, args.secret_file)
        else:
            serve(
                store, args.host, args.port, args.secret_file, local_platform=args.local_platform, redis_url=args.redis
            )
    finally:
        if live is not None:
            live.stop()
    return 0
