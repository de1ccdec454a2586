"""Computations over the cache that the console, the CLI and scheduled runs all share (Qt-free)."""
