"""Large-neighbourhood search: CP-SAT neighbourhoods and ruin-and-recreate moves around the best plan."""

from scheduling.lns.search import improve

__all__ = ["improve"]
