"""The unified order id: ``DB`` + ``yyyymmdd`` (China time) + 12 random characters, made once."""

from __future__ import annotations

import re
import secrets
from datetime import date, timedelta, timezone

CHINA_TZ = timezone(timedelta(hours=8), "Asia/Shanghai")
_ALPHABET = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no I or O: read aloud over the phone without doubt
DOMAIN_ID_RE = re.compile(r"^DB(\d{8})([0-9A-HJ-NP-Z]{12})$")


def new_domain_id_for_day(day: str) -> str:
    """A fresh unified id for an order created on ``day`` (yyyymmdd, China time)."""
    number = secrets.randbits(128)  # 128 bits into 12 base-34 digits: the modulo bias is below 2^-60
    digits = []
    for _ in range(12):
        number, digit = divmod(number, len(_ALPHABET))
        digits.append(_ALPHABET[digit])
    return "DB" + day + "".join(digits)


def is_domain_id(text: str) -> bool:
    match = DOMAIN_ID_RE.match(text)
    if not match:
        return False
    day = match.group(1)
    try:
        date(int(day[:4]), int(day[4:6]), int(day[6:]))  # strptime would cost a locale lookup per id
    except ValueError:
        return False
    return True
