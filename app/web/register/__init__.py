"""The registers the program keeps: trusted-trader statuses with their chain parties, and seal stock."""

from .blueprint import bp as bp

from . import routes, seal_stock  # noqa: F401  (registers the routes)
