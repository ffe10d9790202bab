"""Border officer pages: the port's queue of arriving shipments."""

from .blueprint import bp as bp

from . import routes  # noqa: F401  (registers the routes)
