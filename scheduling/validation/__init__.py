"""Checks any schedule against every rule of the exchange spec, independently of the solver."""

from scheduling.validation.time_rules import Violation
from scheduling.validation.validator import validate

__all__ = ["Violation", "validate"]
