"""Chat renderings of typed results that more than one layer sends (handlers, the scheduler)."""
