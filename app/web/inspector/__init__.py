"""Inspector pages: their own assignments."""

from .blueprint import bp as bp

from . import routes  # noqa: F401  (registers the routes)
