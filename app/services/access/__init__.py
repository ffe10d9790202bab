"""Who may do what, and the record of what they did: accounts, API tokens (and the per-process token
cache), the append-only audit log and its search, idempotency keys for API creates."""
