"""Raw payloads stored compressed where it pays: DEFLATE with a preset dictionary of what order
records and channel payloads have in common (their keys, the shape of a line, the words of an
address), so even a payload of a few hundred bytes shrinks (measured on the demo's order records,
692 bytes as text: 423 with zlib alone, 137 with this dictionary; issue #17).

A stored value is TEXT (kept as it came: short payloads do not pay) or a BLOB whose first byte names
the dictionary it was made with. A dictionary, once released, never changes: files keep what it
made. A new one takes the next number, and both stay readable.
"""

from __future__ import annotations

import zlib

# Version 1. Never edit: tests/sync/test_lean_cache.py pins its digest.
_DICTIONARY_1 = (
    '{"bill_no":"BILL","bill_status":"SETTLED","commission_fen":0,"coupon_fen":0,"gross_fen":0,"refund_fen":0}'
    '{"order_status":1}{"refund_status":1}{"state":0}{"status":"WAIT_SELLER_SEND_GOODS"}{"status":"PAID"}'
    '"invoice":{"kind":"pc","buyer_type":"company","title":"有限公司","taxpayer_id":"91","address":"","phone":"",'
    '"bank":"","account":"","email":""}'
    '"receiver":{"name":"","phone":"1","province":"省","city":"市","district":"区","address":"路号幢室"},'
    '"paid_amount_fen":0,"discount_fen":0,"platform_commission_fen":0,"freight_insurance_fen":0,"freight_fen":0,'
    '"waybill_no":"SF","carrier":"SF","buyer_note":""'
    '{"channel":"taobao","shop":"taobao-flagship","channel_order_no":"TA2026","created_at":"2026-01-01T00:00:00Z",'
    '"receiver":{"name":"","phone":"1","province":"广东省","city":"深圳市","district":"南山区","address":"南山区路号"},'
    '"lines":[{"line_no":1,"sku":"SKU-0","title":"商品","quantity":1,"unit_price_fen":0,"discount_fen":0},'
    '{"line_no":2,"sku":"SKU-0","title":"商品","quantity":1,"unit_price_fen":0,"discount_fen":0}],'
    '"paid_amount_fen":0,"discount_fen":0,"platform_commission_fen":0,"freight_insurance_fen":0,"freight_fen":0,'
    '"waybill_no":"SF","carrier":"SF","buyer_note":""}'
).encode()

DICTIONARIES = {1: _DICTIONARY_1}
CURRENT = 1
WORTH_IT = 96  # bytes of UTF-8 below which a payload stays text (measured: shorter ones rarely shrink by a third)


def pack(text: str) -> str | bytes:
    """The value to store for ``text``: itself, or the dictionary's number and the deflated bytes
    when that is at most two thirds of the text."""
    raw = text.encode("utf-8")
    if len(raw) < WORTH_IT:
        return text
    packer = zlib.compressobj(9, zlib.DEFLATED, -15, 9, zlib.Z_DEFAULT_STRATEGY, DICTIONARIES[CURRENT])
    packed = bytes((CURRENT,)) + packer.compress(raw) + packer.flush()
    return packed if len(packed) * 3 <= len(raw) * 2 else text


def unpack(value: str | bytes | None) -> str | None:
    """The text a stored value holds. Raises `ValueError` for bytes no dictionary here made."""
    if value is None or isinstance(value, str):
        return value
    if not value or value[0] not in DICTIONARIES:
        raise ValueError(f"stored payload made with an unknown dictionary ({value[:1].hex() or 'empty'})")
    try:
        unpacker = zlib.decompressobj(-15, DICTIONARIES[value[0]])
        return (unpacker.decompress(value[1:]) + unpacker.flush()).decode("utf-8")
    except (zlib.error, UnicodeDecodeError) as exc:
        raise ValueError(f"stored payload cannot be unpacked: {exc}") from exc


def stored_observation_payload(payload_json: str, fields_json: str) -> str | bytes:
    """What an observation row keeps of its raw payload: '' when it is the fields themselves."""
    return "" if payload_json == fields_json else pack(payload_json)


def observation_payload(stored: str | bytes, fields_json: str) -> str:
    """An observation's raw payload from what its row keeps (`stored_observation_payload`)."""
    return fields_json if stored == "" else unpack(stored) or ""
