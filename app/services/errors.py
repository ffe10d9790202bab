"""The error a workflow raises when it refuses, naming the field at fault."""

from __future__ import annotations


class WorkflowError(ValueError):
    """A refusal with the reason in plain words; nothing was changed."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
