"""OrderDesk: the console (app), the reference hub (hub), the local cache and sync (sync), label
printing (printing), invoicing, inventory, insights and alerts, with their resources (resources/)."""

from __future__ import annotations

from importlib import metadata

try:
    __version__ = metadata.version("orderdesk")
except metadata.PackageNotFoundError:  # a bundle or a bare checkout: no installed metadata
    __version__ = "0.1.0"
