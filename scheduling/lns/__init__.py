"""Large-neighbourhood search: re-optimise ~80 nearby requests at a time, everything else fixed."""

from scheduling.lns.search import improve

__all__ = ["improve"]
