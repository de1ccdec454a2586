"""Benchmark: labels per second (PDF, ZPL raster) and a preflight scan of many cached orders, each
beside a minimal baseline and beside a thermal printer's own speed (1–2 labels/s).

    ./dev bench labels [--labels 500] [--scan-orders 200000]

Label baselines draw the same fields with reportlab / Pillow and one font, no preflight, no fallback,
no layout fitting (what a quick script would do, and how names lose characters). ZPL baseline: the
bitmap as one uncompressed ^GFA field. Scan baseline: the same rows read, every character of name
and address looked up in a set of the profile's printable code points in Python.
Goals (issue #4): at least 100 labels/s each; the scan in about a second.
"""

from __future__ import annotations

import argparse
import io
import resource
import tempfile
import time
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw, ImageFont
from reportlab.graphics.barcode.code128 import Code128
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from orderdesk.hub.demo import records
from orderdesk.printing.coverage import policy
from orderdesk.printing.fonts import FONTS_DIR
from orderdesk.printing.profiles import load_profile
from orderdesk.printing.render import render
from orderdesk.printing.scan import find
from orderdesk.sync.cache import Cache
from orderdesk.sync.cache.apply import CacheWriter
from orderdesk.sync.cache.pipeline import apply_batches

CJK = FONTS_DIR / "DroidSansFallbackFull.ttf"


def documents(count: int) -> list[dict[str, Any]]:
    return [
        {"domain_id": o["domain_id"], "receiver": o["receiver"], "waybill_no": o["waybill_no"],
         "carrier": o.get("carrier") or "顺丰速运", "channel_order_no": o["channel_order_no"], "lines": o["lines"]}
        for o, _ in records(count, seed=11)
    ]  # fmt: skip


def _texts(d: dict[str, Any]) -> list[str]:
    r = d["receiver"]
    return [d["carrier"], d["waybill_no"], r["name"], r["phone"], f"{r['province']}{r['city']}{r['district']}{r['address']}",
            d["domain_id"], d["channel_order_no"]]  # fmt: skip


def baseline_pdf(d: dict[str, Any]) -> bytes:
    if "Baseline" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("Baseline", str(CJK)))
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=(76 * mm, 130 * mm))
    canvas.setFont("Baseline", 10)
    for i, text in enumerate(_texts(d)):
        canvas.drawString(3 * mm, (120 - i * 8) * mm, text)
    Code128(d["waybill_no"], barHeight=14 * mm).drawOn(canvas, 6 * mm, 20 * mm)
    canvas.showPage()
    canvas.save()
    return out.getvalue()


_font: ImageFont.FreeTypeFont | None = None


def baseline_zpl(d: dict[str, Any]) -> bytes:
    global _font
    _font = _font or ImageFont.truetype(str(CJK), 32)
    image = Image.new("1", (608, 1039), 1)
    draw = ImageDraw.Draw(image)
    for i, text in enumerate(_texts(d)):
        draw.text((24, 40 + i * 64), text, font=_font, fill=0)
    symbol = Code128(d["waybill_no"], quiet=0)
    symbol.validate(), symbol.encode(), symbol.decompose()
    x = 48
    for code in symbol.decomposed:
        width = (ord(code.upper()) - 64) * 2
        if code.isupper():
            draw.rectangle((x, 900, x + width - 1, 1010), fill=0)
        x += width
    data = bytes(255 - b for b in image.tobytes()).hex().upper()
    return f"^XA^FO0,0^GFA,{len(data) // 2},{len(data) // 2},76,{data}^FS^XZ".encode("ascii")


def rate(label: str, count: int, work: Any) -> float:
    started = time.perf_counter()
    for _ in work:
        pass
    elapsed = time.perf_counter() - started
    per_second = count / elapsed
    print(f"  {label:<36} {elapsed:7.2f} s   {per_second:8,.0f} labels/s")
    return per_second


def bench_labels(count: int) -> None:
    docs = documents(count)
    for name, baseline in (("pdf-76x130", baseline_pdf), ("zpl-203-76x130", baseline_zpl)):
        profile = load_profile(name)
        render(profile, docs[0])  # fonts loaded once, as in a running console
        baseline(docs[0])
        print(f"{name}: {count} labels of demo orders (2% of names with rare characters)")
        ours = rate("OrderDesk (preflight, fit, render)", count, (render(profile, d) for d in docs))
        base = rate("baseline (one font, no checks)", count, (baseline(d) for d in docs))
        print(f"  ratio {ours / base:5.2f}   goal >= 100 labels/s: {'met' if ours >= 100 else 'NOT met'};"
              f"  a thermal printer prints 1–2 labels/s, so rendering is {ours / 2:,.0f}× ahead of it")  # fmt: skip


def bench_scan(count: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "cache.sqlite3"
        started = time.perf_counter()
        data = list(records(count, seed=11))
        batches = [([o for o, _ in data[i : i + 5000]], []) for i in range(0, count, 5000)]
        with Cache(path) as cache:
            for _ in apply_batches(CacheWriter(cache, operator="bench"), batches, workers=1):
                pass
        print(f"scan: {count:,} cached orders (filled in {time.perf_counter() - started:.0f} s, not timed)")
        profile = load_profile("zpl-203-76x130-gb2312")
        plain = policy(profile).plain
        with Cache(path) as cache:
            for label, days in (("OrderDesk scan (regex pass, preflight hits)", 36500.0),):
                with cache.read() as c:
                    started = time.perf_counter()
                    scanned, findings = find(c, profile, days=days)
                    elapsed = time.perf_counter() - started
                print(f"  {label:<44} {elapsed:6.2f} s   {scanned:,} orders, {len(findings):,} need a fallback")
            with cache.read() as c:
                started = time.perf_counter()
                flagged = 0
                rows = c.exec_driver_sql(
                    "SELECT receiver_name, receiver_province, receiver_city, receiver_district, receiver_address FROM orders"
                ).all()
                for row in rows:
                    if any(ord(ch) not in plain for field in row for ch in field or ""):
                        flagged += 1
                base = time.perf_counter() - started
            print(
                f"  {'baseline (set lookup per character)':<44} {base:6.2f} s   {len(rows):,} orders, {flagged:,} flagged"
            )
            print(f"  ratio {base / elapsed:5.2f}   goal: about a second for 200,000 orders")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--labels", type=int, default=500)
    parser.add_argument("--scan-orders", type=int, default=200_000)
    args = parser.parse_args()
    bench_labels(args.labels)
    if args.scan_orders:
        bench_scan(args.scan_orders)
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB")


if __name__ == "__main__":
    main()
