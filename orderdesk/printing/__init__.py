"""Printer profiles, label templates, glyph coverage, rare-character fallback, renderers and transports."""
