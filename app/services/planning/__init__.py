"""Planning the week: the optimizer's scenario from the database, runs (queued, solved, stored), the
board's moves and pins, comparisons, disruptions, scenario import, and publishing a plan."""
