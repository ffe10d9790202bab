"""Reference data pages for the planners (coordinators and administrators): sites and their closed days,
inspectors, shifts a week at a time, exporters, holidays."""

from .blueprint import bp as bp

from . import calendar, exporters, inspectors, shifts, sites  # noqa: F401  (registers the routes)
