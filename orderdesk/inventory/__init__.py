"""Inventory (issue #14): pools per SKU and warehouse, one append-only ledger of movements, reservations
that expire, the oversell breaker. Qt-free; the hub, the CLI and the console use it alike."""
