"""Prometheus metrics for `/metrics`, on one registry owned by the process.

Counted in adapters (the web server, the scheduler tick, the platform listeners), never in the core.
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Histogram

REGISTRY = CollectorRegistry(auto_describe=True)

REQUESTS = Counter(
    "boundary_http_requests_total",
    "HTTP requests by route and status",
    ["route", "status"],
    registry=REGISTRY,
)
LATENCY = Histogram(
    "boundary_http_request_seconds",
    "HTTP request latency by route",
    ["route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0),
    registry=REGISTRY,
)
ERRORS = Counter(
    "boundary_errors_total", "Unhandled errors by route or component", ["where"], registry=REGISTRY
)
DELIVERIES = Counter(
    "boundary_review_deliveries_total", "Policy-review nudges by outcome", ["outcome"], registry=REGISTRY
)
CONSULTATIONS = Counter(
    "boundary_consultations_total", "Consultation lifecycle events", ["event"], registry=REGISTRY
)
