"""The one base of every refusal: a rule, check or action that will not do what was asked.

`message` is a complete Simplified Chinese sentence for the user (naming the file, row or field where it
helps); `field` optionally names the form field it concerns. Pages show the message, the CLI prints it and
the API answers `status` (409 unless a subclass declares another) with {"detail": message}.
"""

from __future__ import annotations


class Refused(Exception):
    status: int = 409

    def __init__(self, message: str = "", field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return self.message
