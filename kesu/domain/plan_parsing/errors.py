"""Errors raised while reading or parsing a plan; messages are Simplified Chinese, meant for the user."""

from __future__ import annotations

from kesu.domain.refusals import Refused


class DocumentError(Refused):
    """The document cannot be read (unsupported type, corrupt, undecodable, scanned, empty)."""


class NotAPlanError(DocumentError):
    """The text was read but is not a 全民科学素质行动 implementation plan."""
