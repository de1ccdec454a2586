"""Barcode patterns from reportlab's own barcode module, shared by the PDF and the raster renderers
so both draw exactly the same bars and modules."""

from __future__ import annotations

import re
from functools import lru_cache

from reportlab.graphics.barcode import qrencoder
from reportlab.graphics.barcode.code128 import Code128


@lru_cache(maxsize=4096)
def code128_bars(value: str) -> tuple[tuple[int, int], ...]:
    """(start, width) of each bar, in modules from the left edge (no quiet zone); start/stop and
    check character included."""
    symbol = Code128(value, quiet=0)
    symbol.validate()
    symbol.encode()
    symbol.decompose()
    bars: list[tuple[int, int]] = []
    position = 0
    for code in symbol.decomposed:  # upper case: a bar that many modules wide; lower case: a space
        width = ord(code.upper()) - ord("A") + 1
        if code.isupper():
            bars.append((position, width))
        position += width
    return tuple(bars)


def code128_modules(value: str) -> int:
    start, width = code128_bars(value)[-1]
    return start + width


_NUMERIC = re.compile(r"[0-9]*")
_ALPHANUMERIC = re.compile(r"[-0-9A-Z $%*+./:]*")


def _segment(value: str) -> qrencoder.QR:
    """The QR mode for a value, chosen with whole-string matches: reportlab's own choice matches with
    ``$``, which also matches before a final newline, so "123\n" went to numeric mode and crashed
    (found by the printer-field fuzz). Anything not numeric or alphanumeric is UTF-8 bytes."""
    if _NUMERIC.fullmatch(value):
        return qrencoder.QRNumber(value)
    if _ALPHANUMERIC.fullmatch(value):
        return qrencoder.QRAlphaNum(value)
    return qrencoder.QR8bitByte(value)


@lru_cache(maxsize=4096)
def qr_matrix(value: str) -> tuple[tuple[bool, ...], ...]:
    """The QR code's dark modules (error correction level M), row by row."""
    code = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
    code.addData(_segment(value))
    code.make()
    count = code.getModuleCount()
    return tuple(tuple(bool(code.isDark(r, c)) for c in range(count)) for r in range(count))


@lru_cache(maxsize=4096)
def qr_runs(value: str) -> tuple[tuple[int, int, int], ...]:
    """The dark modules as horizontal runs (row, first column, length): fewer shapes to draw."""
    runs: list[tuple[int, int, int]] = []
    for r, row in enumerate(qr_matrix(value)):
        c = 0
        while c < len(row):
            if row[c]:
                start = c
                while c < len(row) and row[c]:
                    c += 1
                runs.append((r, start, c - start))
            else:
                c += 1
    return tuple(runs)
