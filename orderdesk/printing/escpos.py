"""ESC/POS receipt printers: the label as `GS v 0` raster bands (1 = black), then feed and cut."""

from __future__ import annotations

from PIL import Image

from orderdesk.printing.raster import packed_rows

BAND_ROWS = 128  # small bands: receipt printers have small receive buffers
INIT = b"\x1b@"
FEED_AND_CUT = b"\x1bd\x04\x1dVB\x00"


def raster_label(image: Image.Image, copies: int = 1) -> bytes:
    row_bytes = image.width // 8
    data = packed_rows(image, black_is_one=True)
    one: list[bytes] = [INIT]
    for first in range(0, image.height, BAND_ROWS):
        rows = min(BAND_ROWS, image.height - first)
        one.append(b"\x1dv0\x00" + row_bytes.to_bytes(2, "little") + rows.to_bytes(2, "little"))
        one.append(data[first * row_bytes : (first + rows) * row_bytes])
    one.append(FEED_AND_CUT)
    return b"".join(one) * copies
