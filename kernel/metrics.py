"""Counts Prometheus reads at /metrics. Labels are platforms, kinds and outcomes, never people."""

from __future__ import annotations

from prometheus_client import Counter

REQUESTS = Counter(
    "rampe_requests", "HTTP requests answered, by platform and status class", ["platform", "status"]
)
DELIVERIES = Counter(
    "rampe_deliveries", "Unprompted messages (nudges, digests) sent or failed", ["kind", "result"]
)
ERRORS = Counter("rampe_errors", "Errors logged, by the part of Rampe that logged them", ["logger"])
