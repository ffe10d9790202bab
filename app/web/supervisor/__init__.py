"""Supervisor pages: is mutual recognition working?"""

from .blueprint import bp as bp

from . import export, routes  # noqa: F401  (registers the routes)
