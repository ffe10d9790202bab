"""Coordinator pages: the request queue, sites and inspectors."""

from .blueprint import bp as bp

from . import board, resources, routes, runs  # noqa: F401  (registers the routes)
