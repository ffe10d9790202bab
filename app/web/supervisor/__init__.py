"""Supervisor pages: is mutual recognition working?"""

from .blueprint import bp as bp

from . import export, routes, safety  # noqa: F401  (registers the routes)
