"""The BI export's tables (insights/bi_export.py): every column with its type and its meaning in Chinese
and English, the JSON schema document written beside the files and docs/bi-export.md's table made from it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pyarrow as pa

SCHEMA_VERSION = 1

# -- the schema ------------------------------------------------------------------------------------
_ARROW = {"string": pa.string(), "int64": pa.int64(), "int32": pa.int32(), "bool": pa.bool_(),
          "date": pa.date32(), "timestamp": pa.timestamp("ms", tz="+08:00")}  # fmt: skip
_CSV_FORM = {"string": "\"text\"", "int64": "integer", "int32": "integer", "bool": "true | false",
             "date": "YYYY-MM-DD", "timestamp": "\"YYYY-MM-DD HH:MM:SS.mmm+08:00\""}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    kind: str  # a key of _ARROW
    zh: str
    en: str


@dataclass(frozen=True, slots=True)
class Table:
    name: str
    zh: str
    en: str
    by_day: bool
    columns: tuple[Column, ...]

    @property
    def arrow(self) -> pa.Schema:
        return pa.schema(
            [pa.field(c.name, _ARROW[c.kind], metadata={"zh": c.zh, "en": c.en}) for c in self.columns],
            metadata={"table": self.name, "zh": self.zh, "en": self.en},
        )


def _c(name: str, kind: str, zh: str, en: str) -> Column:
    return Column(name, kind, zh, en)


# fmt: off
_DOMAIN_ID = _c("domain_id", "string", "订单域ID(统一订单号),各表的关联键", "unified order id, the key every table joins on")
_CREATED_DAY = _c("created_day", "date", "订单的下单日期(中国时间),即分区 day", "the order's day of creation (China time): the partition's day")
_FEN = "(分,整数)"
_FEN_EN = " (fen, integer)"

FACT_ORDERS = Table("fact_orders", "订单事实表:每单一行", "orders: one row per order", True, (
    _DOMAIN_ID,
    _c("channel", "string", "渠道代码(taobao、douyin、pdd、wechat_channels、youzan、miniapp),关联 dim_channel",
       "channel code (taobao, douyin, pdd, wechat_channels, youzan, miniapp); joins dim_channel"),
    _c("shop", "string", "店铺,关联 dim_channel", "shop; joins dim_channel"),
    _c("channel_order_no", "string", "渠道订单号", "the channel's order number"),
    _CREATED_DAY,
    _c("created_at", "timestamp", "下单时间(中国时间 UTC+8)", "time of creation (China time, UTC+8)"),
    _c("created_hour", "int32", "下单的小时 0–23(中国时间)", "hour of creation 0–23 (China time)"),
    _c("updated_at", "timestamp", "缓存最后一次写入该订单的时间", "when the cache last wrote the order"),
    _c("paid_amount_fen", "int64", "实际收款金额" + _FEN + ";空:渠道未给出", "amount paid" + _FEN_EN + "; empty: the channel did not say"),
    _c("discount_fen", "int64", "优惠金额" + _FEN, "discount" + _FEN_EN),
    _c("platform_commission_fen", "int64", "平台佣金" + _FEN, "platform commission" + _FEN_EN),
    _c("freight_insurance_fen", "int64", "运费险" + _FEN, "shipping insurance" + _FEN_EN),
    _c("freight_fen", "int64", "运费" + _FEN, "freight" + _FEN_EN),
    _c("refunded_fen", "int64", "已退款金额" + _FEN + ",各行之和", "refunded" + _FEN_EN + ", the lines' sum"),
    _c("fulfilment", "string", "履约状态 PENDING_PAYMENT / PAID / SHIPPED / CARRIER_DELIVERED / CUSTOMER_CONFIRMED / SETTLED;空:尚无",
       "fulfilment: PENDING_PAYMENT, PAID, SHIPPED, CARRIER_DELIVERED, CUSTOMER_CONFIRMED, SETTLED; empty: none yet"),
    _c("fulfilment_at", "timestamp", "到达当前履约状态的时间", "when the order reached its fulfilment state"),
    _c("refund", "string", "退款状态 none / refunding / partially_refunded / refunded", "refund: none, refunding, partially_refunded, refunded"),
    _c("cancelled", "bool", "已取消", "cancelled"),
    _c("anomaly_count", "int32", "未解决的异常数", "open anomalies"),
    _c("carrier", "string", "承运商", "carrier"),
    _c("invoice_requested", "bool", "买家申请了发票", "the buyer asked for an invoice"),
    _c("customer_key", "string", "客户键:收件人手机号的加盐哈希(不可逆),关联 dim_customer;空:无手机号",
       "customer key: salted hash of the receiver's phone (irreversible); joins dim_customer; empty: no phone"),
    _c("province", "string", "收货省份", "receiver's province"),
    _c("city", "string", "收货城市", "receiver's city"),
))

FACT_ORDER_LINES = Table("fact_order_lines", "订单行事实表:每个商品行一行", "order lines: one row per line", True, (
    _DOMAIN_ID,
    _c("line_no", "int32", "行号", "line number"),
    _c("sku", "string", "SKU,关联 dim_sku", "SKU; joins dim_sku"),
    _c("title", "string", "下单时的商品名称", "the item's title as ordered"),
    _c("quantity", "int32", "数量", "quantity"),
    _c("unit_price_fen", "int64", "单价" + _FEN, "unit price" + _FEN_EN),
    _c("discount_fen", "int64", "行优惠" + _FEN, "line discount" + _FEN_EN),
    _c("refund", "string", "行退款状态 none / refunding / partially_refunded / refunded", "line refund state"),
    _c("refunded_fen", "int64", "行已退款金额" + _FEN, "refunded on the line" + _FEN_EN),
    _CREATED_DAY,
))

FACT_ORDER_EVENTS = Table("fact_order_events", "订单原子事件事实表:每个事件一行", "order events: one row per event", True, (
    _DOMAIN_ID,
    _c("kind", "string", "事件:created 下单、paid 支付、shipped 发货、carrier_delivered 物流签收、customer_confirmed 客户签收、"
       "settled 结算、cancelled 取消、refund_requested 申请退款、refunded 退款、invoiced 开票、red_invoiced 红冲、label_printed 打印面单",
       "event: created, paid, shipped, carrier_delivered, customer_confirmed, settled, cancelled, refund_requested, "
       "refunded, invoiced, red_invoiced, label_printed"),
    _c("at", "timestamp", "事件时间(中国时间)", "time of the event (China time)"),
    _c("at_day", "date", "事件日期(中国时间)", "day of the event (China time)"),
    _c("source", "string", "报告来源(渠道、kuaidi100、finance、console)", "reporting source (a channel, kuaidi100, finance, console)"),
    _c("source_system", "string", "来源系统 channel / logistics / finance / console", "source system: channel, logistics, finance, console"),
    _c("operator", "string", "操作人(系统或员工账号)", "operator (the system or a staff account)"),
    _c("line_no", "int32", "涉及的行号;空:整单", "the line concerned; empty: the whole order"),
    _CREATED_DAY,
))

DIM_FINANCE = Table("dim_finance", "财务维度:每个有财务记录的订单一行", "finance: one row per order finance reported on", True, (
    _DOMAIN_ID,
    _CREATED_DAY,
    _c("finance_status", "string", "财务最新状态 PENDING / PAYMENT_RECEIVED / SETTLED / REFUND_SETTLED / REVERSED",
       "finance's latest status: PENDING, PAYMENT_RECEIVED, SETTLED, REFUND_SETTLED, REVERSED"),
    _c("settled_at", "timestamp", "首次结算时间", "first settlement"),
    _c("bill_count", "int32", "结算单数(同一单号重复推送计一次)", "settlement bills (the same bill number sent again counts once)"),
    _c("bill_no", "string", "最近的结算单号", "the latest bill number"),
    _c("gross_fen", "int64", "结算单总额" + _FEN + ";空:结算未附金额", "bills' gross" + _FEN_EN + "; empty: no bill figures"),
    _c("commission_fen", "int64", "结算单平台佣金" + _FEN, "bills' platform commission" + _FEN_EN),
    _c("freight_insurance_fen", "int64", "结算单运费险" + _FEN, "bills' shipping insurance" + _FEN_EN),
    _c("coupon_fen", "int64", "结算单优惠券分摊" + _FEN, "bills' coupon share" + _FEN_EN),
    _c("bill_refund_fen", "int64", "结算单已扣退款" + _FEN, "refunds the bills deducted" + _FEN_EN),
    _c("net_fen", "int64", "结算净额 = 总额 − 佣金 − 运费险 − 优惠券 − 退款" + _FEN,
       "net = gross − commission − shipping insurance − coupons − refunds" + _FEN_EN),
    _c("refund_settled_fen", "int64", "财务已结清的退款" + _FEN, "refunds finance settled" + _FEN_EN),
    _c("refund_settled_at", "timestamp", "最近一次退款结清时间", "latest refund settlement"),
    _c("reversed", "bool", "结算曾被冲销", "a settlement was reversed"),
    _c("observations", "int32", "财务报告条数", "finance reports on the order"),
))

DIM_CHANNEL = Table("dim_channel", "渠道维度:每个渠道店铺一行", "channels: one row per channel and shop", False, (
    _c("channel", "string", "渠道代码", "channel code"),
    _c("shop", "string", "店铺", "shop"),
    _c("channel_zh", "string", "渠道名称(中文)", "channel name in Chinese"),
    _c("channel_en", "string", "渠道名称(英文)", "channel name in English"),
))

DIM_SKU = Table("dim_sku", "商品维度:每个 SKU 一行", "SKUs: one row per SKU", False, (
    _c("sku", "string", "SKU", "SKU"),
    _c("title", "string", "最近订单中的商品名称", "the title in the latest order"),
))

DIM_CUSTOMER = Table("dim_customer", "客户维度:每个客户键一行(不含姓名、手机号、地址)",
                     "customers: one row per customer key (no name, phone or address)", False, (
    _c("customer_key", "string", "客户键(见 fact_orders.customer_key)", "customer key (see fact_orders.customer_key)"),
    _c("province", "string", "最近订单的收货省份", "province of the latest order"),
    _c("city", "string", "最近订单的收货城市", "city of the latest order"),
))

TABLES: tuple[Table, ...] = (FACT_ORDERS, FACT_ORDER_LINES, FACT_ORDER_EVENTS, DIM_FINANCE, DIM_CHANNEL, DIM_SKU,
                             DIM_CUSTOMER)
# fmt: on
DAILY = tuple(t for t in TABLES if t.by_day)
WHOLE = tuple(t for t in TABLES if not t.by_day)


def schema_document() -> dict[str, Any]:
    """What `_schema.json` holds."""
    return {
        "schema_version": SCHEMA_VERSION,
        "key": "domain_id",
        "money": {"zh": "金额一律为整数,单位:分", "en": "money is always an integer number of fen (0.01 yuan)"},
        "time": {"zh": "时间为中国时间(UTC+8);日期为中国时间的日期",
                 "en": "times are China time (UTC+8); days are days in China"},
        "partitions": {"zh": "按订单下单日期分区:<表>/day=YYYY-MM-DD/part.parquet(CSV 在 csv/ 下)",
                       "en": "per-order tables are partitioned by the order's day: <table>/day=YYYY-MM-DD/part.parquet (CSV under csv/)"},
        "csv": {"zh": "UTF-8 无 BOM,首行为列名,行尾 LF;文本与时间加双引号,数字、日期、true/false 不加;"
                      "空值为不加引号的空字段(\"\" 是空文本);值中可含换行",
                "en": "UTF-8 without BOM, a header row, LF line ends; text and times in double quotes, numbers, days "
                      "and true/false bare; a null is an unquoted empty field (\"\" is an empty text); a value may "
                      "hold a newline"},
        "tables": [
            {"name": t.name, "zh": t.zh, "en": t.en, "partitioned_by_day": t.by_day,
             "columns": [{"name": c.name, "type": str(_ARROW[c.kind]), "csv": _CSV_FORM[c.kind], "zh": c.zh, "en": c.en}
                         for c in t.columns]}
            for t in TABLES
        ],
    }  # fmt: skip


def schema_markdown() -> str:
    """docs/bi-export.md's table of every column (a test keeps that file and this the same)."""
    lines = ["| table | column | type | 含义 | meaning |", "|---|---|---|---|---|"]
    for t in TABLES:
        lines.append(f"| **{t.name}** | | {'by day' if t.by_day else 'whole'} | {t.zh} | {t.en} |")
        lines += [f"| | `{c.name}` | {_ARROW[c.kind]} | {c.zh} | {c.en} |" for c in t.columns]
    return "\n".join(lines).replace("timestamp[ms, tz=+08:00]", "timestamp[ms, +08:00]") + "\n"
