"""The supervisor's dashboard: what recognition avoided by week, port and commodity, seal exceptions,
schedule quality and the Joint Work Plan at a glance, read from the tallies the database keeps."""
