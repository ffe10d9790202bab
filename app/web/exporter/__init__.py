"""Exporter pages: their own company's shipments only."""

from .blueprint import bp as bp

from . import request_form, routes, upload  # noqa: F401  (registers the routes)
