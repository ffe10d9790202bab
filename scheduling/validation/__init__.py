"""Checks any schedule against every rule of the exchange spec, independently of the solver."""

from scheduling.validation.context import Violation
from scheduling.validation.validator import validate

__all__ = ["Violation", "validate"]
