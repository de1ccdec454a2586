"""The hub's storage: orders, observations, the change feed and actions, on SQLite or PostgreSQL.

Every write transaction first takes the feed lock (PostgreSQL: a transaction-scoped advisory lock;
SQLite: BEGIN IMMEDIATE) and holds it until commit. So change numbers are handed out in commit
order, and a reader can never see change n+1 while change n is still uncommitted: a cursor handed
out is never overtaken by a change committed later.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, delete, event, func, insert, select, update

from orderdesk.hub import bulk
from orderdesk.hub import drills as _drill_tables  # noqa: F401  (likewise)
from orderdesk.hub import report_claims as _report_tables  # noqa: F401  (their table joins the hub's metadata)
from orderdesk.hub import tickets as _ticket_tables  # noqa: F401  (likewise)
from orderdesk.hub.rows import ObservationRow, OrderRow, observation_rows, order_rows
from orderdesk.hub.schema import actions, changes, meta, metadata, observations, orders, users
from orderdesk.inventory import schema as _inventory_tables  # noqa: F401  (their tables join the hub's metadata)
from orderdesk.sync.contract import ObservationRecord, OrderRecord, canonical_json, channel_key, deciding_reference

LEGACY_SECRET_KEY = "secret"  # hub_meta's key of the signing secret, before it left the database
FEED_LOCK = 7_770_001  # the advisory lock id of the change feed (PostgreSQL)
# PostgreSQL plans every statement for the values it is given. A prepared statement otherwise falls
# back to a generic plan after five runs, made for the table as it was then: the seeder's lookups
# kept a sequential scan planned on an almost empty table while it grew (autovacuum, which would
# re-plan, may be off or behind), and seeding 20,000 orders slowed from 1.2 to 14 s per 2,000.
POSTGRES_ENGINE: dict[str, Any] = {"pool_size": 8, "connect_args": {"options": "-c plan_cache_mode=force_custom_plan"}}
# Demo only: user = role = password. ``channel`` is a sales channel's integration (reservations, sales).
DEMO_USERS = {"packer": "packer", "clerk": "clerk", "supervisor": "supervisor", "channel": "channel"}


def now_ms() -> int:
    return time.time_ns() // 1_000_000


def _password_hash(password: str, salt: str) -> str:
    return hashlib.scrypt(password.encode(), salt=bytes.fromhex(salt), n=2**14, r=8, p=1).hex()


class HubStore:
    def __init__(self, url: str) -> None:
        self.url = url
        self.sqlite = url.startswith("sqlite")
        self.engine: Engine = create_engine(url, pool_pre_ping=True, **({} if self.sqlite else POSTGRES_ENGINE))
        self._autocommit = self.engine.execution_options(isolation_level="AUTOCOMMIT")
        # SQLite has one writer at a time. Writers of this process queue here and are handed the file at
        # once; left to SQLite's busy handler, they slept in growing steps (up to 100 ms) while the file
        # was free, and a flash sale's 40 request threads reserved at a third of the rate. Other
        # processes on the same file still wait in the busy handler (busy_timeout).
        self._sqlite_writer = threading.RLock() if self.sqlite else None
        if self.sqlite:
            self._sqlite_pragmas()
        metadata.create_all(self.engine)
        with self.write() as c:
            self.epoch = self._meta(c, "epoch", lambda: secrets.token_hex(4))
        self._forget_legacy_secret()

    def _sqlite_pragmas(self) -> None:
        @event.listens_for(self.engine, "connect")
        def _on_connect(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.isolation_level = None
            for pragma in ("journal_mode = WAL", "synchronous = NORMAL", "busy_timeout = 10000"):
                dbapi_connection.execute(f"PRAGMA {pragma}")

        @event.listens_for(self.engine, "begin")
        def _on_begin(connection: Connection) -> None:
            connection.exec_driver_sql("BEGIN IMMEDIATE" if connection.info.get("write") else "BEGIN")

    @contextmanager
    def _one_writer(self) -> Iterator[None]:
        if self._sqlite_writer is None:
            yield
        else:
            with self._sqlite_writer:
                yield

    @contextmanager
    def write(self) -> Iterator[Connection]:
        with self._one_writer(), self.engine.connect() as connection:
            connection.info["write"] = True
            try:
                with connection.begin():
                    if not self.sqlite:
                        connection.execute(select(func.pg_advisory_xact_lock(FEED_LOCK)))
                    yield connection
            finally:
                connection.info["write"] = False

    @contextmanager
    def guarded(self) -> Iterator[Connection]:
        """A write transaction that does not take the feed lock (inventory/ledger.py): its guard is the
        conditional write itself. SQLite: BEGIN IMMEDIATE (one writer at a time anyway); PostgreSQL:
        READ COMMITTED, where a waiting UPDATE re-checks its WHERE on the row another one committed."""
        with self._one_writer(), self.engine.connect() as connection:
            connection.info["write"] = True
            try:
                with connection.begin():
                    yield connection
            finally:
                connection.info["write"] = False

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A connection for reading. On PostgreSQL each statement commits by itself (autocommit): at its
        READ COMMITTED level every statement sees its own snapshot anyway, so BEGIN and COMMIT were two
        round trips that bought nothing. SQLite reads in one transaction, one snapshot."""
        if self.sqlite:
            with self.engine.connect() as connection, connection.begin():
                yield connection
        else:
            with self._autocommit.connect() as connection:
                yield connection

    def close(self) -> None:
        self.engine.dispose()

    # -- meta and users -------------------------------------------------------------------------
    @staticmethod
    def _meta(c: Connection, key: str, default: Any) -> str:
        value = c.execute(select(meta.c.value).where(meta.c.key == key)).scalar()
        if value is None:
            value = default()
            c.execute(insert(meta).values(key=key, value=value))
        return str(value)

    def _forget_legacy_secret(self) -> None:
        """Hubs before 2026-11 kept their token secret in hub_meta: it is no longer used (tokens
        signed with it stop working) and is deleted, on SQLite with its bytes overwritten."""
        with self.write() as c:
            if self.sqlite:
                c.exec_driver_sql("PRAGMA secure_delete = ON")
            c.execute(delete(meta).where(meta.c.key == LEGACY_SECRET_KEY))
            if self.sqlite:
                c.exec_driver_sql("PRAGMA secure_delete = OFF")

    def ensure_demo_users(self) -> None:
        with self.write() as c:
            for name, password in DEMO_USERS.items():
                self._ensure_user(c, name, password, role=name)

    def add_user(self, name: str, password: str, role: str) -> None:
        with self.write() as c:
            self._ensure_user(c, name, password, role)

    @staticmethod
    def _ensure_user(c: Connection, name: str, password: str, role: str) -> None:
        if c.execute(select(users.c.username).where(users.c.username == name)).first() is None:
            salt = secrets.token_hex(16)
            c.execute(
                insert(users).values(username=name, role=role, salt=salt, password_hash=_password_hash(password, salt))
            )

    def check_password(self, name: str, password: str) -> str | None:
        """The user's role when the password is right, else None."""
        with self.read() as c:
            row = c.execute(
                select(users.c.role, users.c.salt, users.c.password_hash).where(users.c.username == name)
            ).first()
        if row is None:
            _password_hash(password, "00" * 16)  # the same work either way: no timing hint at who exists
            return None
        return row.role if secrets.compare_digest(_password_hash(password, row.salt), row.password_hash) else None

    def role_of(self, c: Connection, name: str) -> str | None:
        """The user's role as the hub's records have it now; None when there is no such user."""
        return c.execute(select(users.c.role).where(users.c.username == name)).scalar()

    def set_role(self, name: str, role: str) -> None:
        with self.write() as c:
            c.execute(update(users).where(users.c.username == name).values(role=role))

    def remove_user(self, name: str) -> None:
        with self.write() as c:
            c.execute(delete(users).where(users.c.username == name))

    # -- writing orders and observations --------------------------------------------------------
    def put_orders(self, c: Connection, records: Sequence[OrderRecord]) -> list[str]:
        """Insert or update orders (a unified id is made once, here); each change goes to the feed."""
        return self.put_order_rows(c, order_rows(records))

    def put_order_rows(self, c: Connection, rows: Sequence[OrderRow]) -> list[str]:
        """:meth:`put_orders` of rows made beforehand, outside the lock (hub/rows.py). The unified ids,
        in the rows' order."""
        if not rows:
            return []
        known = bulk.known_orders(c, rows)
        new_rows, updates, feed, ids = [], [], [], []
        reached: tuple[set[str], set[str], set[str]] = (set(), set(), set())  # unified ids, channel keys, waybills
        for row in rows:
            found = known.get(row.key)
            if found:
                row = row.as_known(found[1])
            ids.append(row.domain_id)
            if found and found[2] == row.sha:
                continue  # the same version again: nothing changes, nothing is fed
            if found:
                updates.append((found[0], row))
                if row.waybill_no and row.waybill_no != found[3]:
                    reached[2].add(row.waybill_no)
            else:
                new_rows.append(row)
                if row.carried_id:  # one made here just now cannot have been named by anything stored
                    reached[0].add(row.domain_id)
                reached[1].add(row.key)
                if row.waybill_no:
                    reached[2].add(row.waybill_no)
            feed.append(("order", row.domain_id, row.text))
        bulk.insert_orders(c, new_rows)
        bulk.update_orders(c, updates)
        # Observations stored before their order (or before it took this waybill) follow it in the feed
        # again: a cache that first synced in between was past their first feed change, and its
        # listing could not show them with an order that did not yet have them.
        feed.extend(("observation", row.key, row.record_json) for row in self._now_reaching(c, *reached))
        self._append(c, feed)
        return ids

    def put_observations(self, c: Connection, records: Sequence[ObservationRecord]) -> tuple[int, int]:
        """Store observations not seen before; each new one goes to the feed. (new, repeated)"""
        new = self.put_observation_rows(c, observation_rows(records))
        return new, len(records) - new

    def put_observation_rows(self, c: Connection, rows: Sequence[ObservationRow]) -> int:
        """:meth:`put_observations` of rows made beforehand (hub/rows.py); how many were new."""
        new = bulk.insert_new_observations(c, rows)
        self._append(c, [("observation", r.key, r.text) for r in rows if r.key in new])
        return len(new)

    def _append(self, c: Connection, feed: Sequence[tuple[str, str, str]]) -> None:
        bulk.append_changes(c, feed, now_ms())

    def append_feed(self, c: Connection, feed: Sequence[tuple[str, str, str]]) -> None:
        """Changes (kind, key, body JSON) for the feed; ``c`` must come from :meth:`write` (the feed lock)."""
        self._append(c, feed)

    # -- reading --------------------------------------------------------------------------------
    def feed_bounds(self, c: Connection) -> tuple[int, int]:
        """(first retained seq, last seq); (0, 0) for an empty feed."""
        # Two scalar subqueries: SQLite answers a lone min() or max() from the index, but scans the
        # whole table for both in one select (measured: 90 ms per request at 548,000 changes).
        low = select(func.min(changes.c.seq)).scalar_subquery()
        high = select(func.max(changes.c.seq)).scalar_subquery()
        first, last = c.execute(select(low, high)).one()
        return int(first or 0), int(last or 0)

    def read_changes(self, c: Connection, after: int, limit: int) -> list[Any]:
        query = select(changes.c.seq, changes.c.kind, changes.c.body_json).where(changes.c.seq > after)
        return list(c.execute(query.order_by(changes.c.seq).limit(limit)))

    def prune(self, keep: int) -> int:
        """Drop all but the newest ``keep`` changes (the retention a cursor must stay within). The newest
        change always stays: it is where the feed stands, and the next change number follows it (an
        empty table would hand out numbers already behind cursors given out, and those readers would
        never see the changes that got them)."""
        with self.write() as c:
            _, high = self.feed_bounds(c)
            return c.execute(delete(changes).where(changes.c.seq <= high - max(keep, 1))).rowcount or 0

    def list_orders(
        self, c: Connection, after_id: int, limit: int, until_id: int | None = None
    ) -> list[tuple[int, str, list[str]]]:
        """A keyset page of orders with the observations that name them, as the stored JSON texts."""
        where = orders.c.id > after_id
        if until_id is not None:
            where = where & (orders.c.id <= until_id)
        rows = list(c.execute(select(orders.c.id, orders.c.domain_id, orders.c.channel, orders.c.shop,
                                     orders.c.channel_order_no, orders.c.waybill_no, orders.c.record_json)
                              .where(where).order_by(orders.c.id).limit(limit)).all())  # fmt: skip
        return self._with_observations(c, rows)

    def page_ends(self, c: Connection, limit: int, most: int) -> tuple[int, list[int]]:
        """(number of orders, the id of every ``limit``-th order, at most ``most`` of them): where pages
        of the listing end, worked out in one pass over the primary key."""
        numbered = select(orders.c.id, func.row_number().over(order_by=orders.c.id).label("n")).subquery()
        query = select(numbered.c.id).where(numbered.c.n % limit == 0).order_by(numbered.c.id).limit(most)
        ends = [int(i) for i in c.execute(query).scalars()]
        total = int(c.execute(select(func.count()).select_from(orders)).scalar_one())
        return total, ends

    def get_order(self, c: Connection, domain_id: str) -> tuple[str, list[str]] | None:
        rows = list(c.execute(select(orders.c.id, orders.c.domain_id, orders.c.channel, orders.c.shop,
                                     orders.c.channel_order_no, orders.c.waybill_no, orders.c.record_json)
                              .where(orders.c.domain_id == domain_id)))  # fmt: skip
        found = self._with_observations(c, rows)
        return (found[0][1], found[0][2]) if found else None

    def _with_observations(self, c: Connection, rows: list[Any]) -> list[tuple[int, str, list[str]]]:
        """Match observations to orders as the cache does: by the reference that decides (unified id,
        else channel key, else waybill: contract.deciding_reference), whichever page the order is on."""
        if not rows:
            return []
        by_domain = {row.domain_id: i for i, row in enumerate(rows)}
        by_channel = {channel_key(row.channel, row.shop, row.channel_order_no): i for i, row in enumerate(rows)}
        by_waybill: dict[str, list[int]] = {}
        for i, row in enumerate(rows):
            if row.waybill_no:
                by_waybill.setdefault(row.waybill_no, []).append(i)
        attached: list[dict[str, str]] = [{} for _ in rows]
        query = select(observations.c.key, observations.c.ref_domain_id, observations.c.ref_channel_key,
                       observations.c.ref_waybill_no, observations.c.record_json).where(
            observations.c.ref_domain_id.in_(list(by_domain))
            | observations.c.ref_channel_key.in_(list(by_channel))
            | observations.c.ref_waybill_no.in_(list(by_waybill))
        )  # fmt: skip
        for key, ref_domain_id, ref_channel_key, ref_waybill_no, record_json in c.execute(query).all():  # one fetch
            if ref_domain_id:
                targets = [by_domain[ref_domain_id]] if ref_domain_id in by_domain else []
            elif ref_channel_key:
                targets = [by_channel[ref_channel_key]] if ref_channel_key in by_channel else []
            else:
                targets = by_waybill.get(ref_waybill_no, [])
            for i in targets:
                attached[i][key] = record_json
        return [(row.id, row.record_json, list(attached[i].values())) for i, row in enumerate(rows)]

    def _now_reaching(self, c: Connection, domain_ids: set[str], keys: set[str], waybills: set[str]) -> list[Any]:
        """Stored observations that name these orders (by the reference that decides), in the order they
        came: what an order that arrives, or takes a new waybill, now gets. Each reference column is
        probed through its own index; which reference decides is checked here, not in SQL (a condition
        such as ``ref_domain_id IS NULL`` led SQLite to scan that index's NULLs: every observation)."""
        o = observations.c
        found: dict[int, Any] = {}
        for kind, column, values in (("domain_id", o.ref_domain_id, domain_ids),
                                     ("channel_key", o.ref_channel_key, keys), ("waybill_no", o.ref_waybill_no, waybills)):  # fmt: skip
            ordered = sorted(values)
            for start in range(0, len(ordered), 500):
                query = select(o.id, o.key, o.record_json, o.ref_domain_id, o.ref_channel_key, o.ref_waybill_no)
                for row in c.execute(query.where(column.in_(ordered[start : start + 500]))):
                    deciding = deciding_reference(row.ref_domain_id, row.ref_channel_key, row.ref_waybill_no)
                    if deciding is not None and deciding[0] == kind:
                        found[row.id] = row
        return [found[i] for i in sorted(found)]

    # -- actions --------------------------------------------------------------------------------
    def find_action(self, c: Connection, key: str) -> Any:
        return c.execute(select(actions.c.request_sha, actions.c.response_json, actions.c.actor)
                         .where(actions.c.idempotency_key == key)).first()  # fmt: skip

    def order_exists(self, c: Connection, domain_id: str) -> bool:
        return c.execute(select(orders.c.id).where(orders.c.domain_id == domain_id)).first() is not None

    def record_action(self, c: Connection, *, key: str, actor: str, role: str, kind: str, domain_id: str,
                      request_sha: str, request_json: str, response: dict[str, Any]) -> None:  # fmt: skip
        text = canonical_json(response)
        c.execute(insert(actions).values(idempotency_key=key, actor=actor, role=role, kind=kind,
                                         order_domain_id=domain_id, request_sha=request_sha,
                                         request_json=request_json, response_json=text,
                                         created_at_ms=now_ms()))  # fmt: skip
        self._append(c, [("action", key, text)])
