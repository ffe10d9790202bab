"""The error a workflow raises when it refuses, naming the field at fault."""

from __future__ import annotations


class WorkflowError(ValueError):
    """A refusal with the reason in plain words; nothing was changed."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def field_messages(self, default_field: str = "_schema") -> dict[str, str]:
        """Each field at fault with its message."""
        return {self.field or default_field: self.message}


class ConflictError(WorkflowError):
    """The thing changed since it was read, or moved past this step: the API answers 409."""
