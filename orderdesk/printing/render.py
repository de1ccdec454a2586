"""One label from one order document: preflight → layout → the profile's printer language, plus the
preview (for raster profiles the very bitmap the printer receives)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from PIL import Image

from orderdesk.printing import escpos, tspl, zpl
from orderdesk.printing.label_data import field_values
from orderdesk.printing.layout import Layout, lay_out
from orderdesk.printing.preflight import Preflight, preflight
from orderdesk.printing.profiles import SUFFIX, PrinterProfile, template_for
from orderdesk.printing.raster import rasterise
from orderdesk.printing.render_pdf import render_pdf


@dataclass
class RenderedLabel:
    profile: PrinterProfile
    domain_id: str
    preflight: Preflight
    layout: Layout
    data: bytes  # the PDF, or the bytes the printer receives
    raster: Image.Image | None  # the bitmap inside ``data`` (raster profiles)

    @property
    def suffix(self) -> str:
        return SUFFIX[self.profile.language]

    def preview(self) -> Image.Image:
        """What the packer sees: the printer's bitmap itself, or (PDF and resident profiles) the same
        layout rasterised at the profile's dpi."""
        return self.raster if self.raster is not None else rasterise(self.profile, self.layout)


def check(
    profile: PrinterProfile,
    document: Mapping[str, Any],
    *,
    template: Mapping[str, Any] | str | None = None,
    printed_at: datetime | None = None,
    sender: Mapping[str, str] | None = None,
    typed: Mapping[str, str] | None = None,
) -> tuple[Preflight, Layout, dict[str, str]]:
    """Preflight and layout (overflows included in the preflight's problems), without rendering.
    ``template``: a template document, a template's name, or None (empty) for the profile's own; a
    named template of another label size than the profile's is refused. ``typed``: replacements a
    person typed for characters that would print as markers."""
    if template is None or isinstance(template, str):
        template = template_for(profile, template)
    values = field_values(document, template, printed_at=printed_at, sender=sender)
    checked = preflight(profile, template, values, typed)
    layout = lay_out(profile, template, values, checked)
    return checked, layout, values


def render(
    profile: PrinterProfile,
    document: Mapping[str, Any],
    *,
    template: Mapping[str, Any] | str | None = None,
    printed_at: datetime | None = None,
    sender: Mapping[str, str] | None = None,
    copies: int = 1,
    typed: Mapping[str, str] | None = None,
) -> RenderedLabel:
    checked, layout, values = check(
        profile, document, template=template, printed_at=printed_at, sender=sender, typed=typed
    )
    raster = None
    if profile.language == "pdf":
        data = render_pdf(profile, layout, title=values["domain_id"])
    elif profile.text_mode == "resident":
        data = (zpl if profile.language == "zpl" else tspl).resident_label(profile, layout, copies)
    else:
        raster = rasterise(profile, layout)
        if profile.language == "zpl":
            data = zpl.raster_label(profile, raster, copies)
        elif profile.language == "tspl":
            data = tspl.raster_label(profile, raster, copies)
        else:
            data = escpos.raster_label(raster, copies)
    return RenderedLabel(profile, values["domain_id"], checked, layout, data, raster)
