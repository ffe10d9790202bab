"""Shipments (one inspection request each): their lifecycle, the exporter's intake (checks, the pre-check,
CSV upload), changes and cancelling, and the lists each role may read."""
