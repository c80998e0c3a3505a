"""Shared infrastructure used by every app: file formats, notices, forms; no domain rules."""
