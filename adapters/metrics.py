"""Prometheus metrics for `/metrics`, on one registry owned by the process.

Counted in adapters (the web server, the scheduler tick, the platform listeners), never in the core.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator, Sequence

from prometheus_client import CollectorRegistry, Counter
from prometheus_client.core import CounterMetricFamily, HistogramMetricFamily, Metric
from prometheus_client.registry import Collector
from prometheus_client.utils import floatToGoString

REGISTRY = CollectorRegistry(auto_describe=True)


class RouteMetrics(Collector):
    """HTTP requests by route and status, and latency by route, kept as plain numbers.

    They become Prometheus samples only when `/metrics` is read. prometheus_client's Counter and
    Histogram take a lock on every update; on the script path those two updates per request cost
    about 7% of the server's throughput (measured with tests/bench/bench_slack.py), while a
    dictionary update costs next to nothing. Only the event loop's thread records and reads here.
    """

    def __init__(self, buckets: Sequence[float]) -> None:
        self.bounds = sorted(buckets)
        self.requests: dict[tuple[str, int], int] = {}
        # Per route: a count for each bucket (and one past the last bound), then the sum of seconds.
        self.latency: dict[str, list[float]] = {}

    def record(self, route: str, status: int, seconds: float) -> None:
        key = (route, status)
        self.requests[key] = self.requests.get(key, 0) + 1
        counts = self.latency.get(route)
        if counts is None:
            counts = self.latency[route] = [0.0] * (len(self.bounds) + 2)
        counts[bisect.bisect_left(self.bounds, seconds)] += 1
        counts[-1] += seconds

    def collect(self) -> Iterator[Metric]:
        requests = CounterMetricFamily(
            "boundary_http_requests", "HTTP requests by route and status", labels=["route", "status"]
        )
        for (route, status), count in sorted(self.requests.items()):
            requests.add_metric([route, str(status)], count)
        yield requests
        latency = HistogramMetricFamily(
            "boundary_http_request_seconds", "HTTP request latency by route", labels=["route"]
        )
        labels = [floatToGoString(bound) for bound in self.bounds] + ["+Inf"]
        for route, counts in sorted(self.latency.items()):
            cumulative: list[tuple[str, float]] = []
            running = 0.0
            for label, count in zip(labels, counts[:-1], strict=True):
                running += count
                cumulative.append((label, running))
            latency.add_metric([route], cumulative, sum_value=counts[-1])
        yield latency


HTTP = RouteMetrics((0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0))
REGISTRY.register(HTTP)

ERRORS = Counter(
    "boundary_errors_total", "Unhandled errors by route or component", ["where"], registry=REGISTRY
)
DELIVERIES = Counter(
    "boundary_review_deliveries_total", "Policy-review nudges by outcome", ["outcome"], registry=REGISTRY
)
CONSULTATIONS = Counter(
    "boundary_consultations_total", "Consultation lifecycle events", ["event"], registry=REGISTRY
)
