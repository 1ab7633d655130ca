"""The HTTP metrics as a Prometheus scraper reads them: cumulative buckets, counts and sums."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.parser import text_string_to_metric_families

from adapters.metrics import RouteMetrics


def scrape(metrics: RouteMetrics) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    registry = CollectorRegistry()
    registry.register(metrics)
    text = generate_latest(registry).decode()
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def test_latency_buckets_are_cumulative_and_a_value_on_a_bound_counts_in_it() -> None:
    metrics = RouteMetrics((0.01, 0.1, 1.0))
    for seconds in (0.004, 0.01, 0.05, 0.1, 3.0):
        metrics.record("/slack/events", 200, seconds)
    samples = scrape(metrics)

    def bucket(le: str) -> float:
        return samples[("boundary_http_request_seconds_bucket", (("le", le), ("route", "/slack/events")))]

    assert [bucket(le) for le in ("0.01", "0.1", "1.0", "+Inf")] == [2, 4, 4, 5]
    assert samples[("boundary_http_request_seconds_count", (("route", "/slack/events"),))] == 5
    assert abs(samples[("boundary_http_request_seconds_sum", (("route", "/slack/events"),))] - 3.164) < 1e-9


def test_requests_are_counted_by_route_and_status_separately() -> None:
    metrics = RouteMetrics((0.1,))
    metrics.record("/healthz", 200, 0.001)
    metrics.record("/healthz", 200, 0.001)
    metrics.record("/slack/events", 401, 0.002)
    samples = scrape(metrics)
    assert samples[("boundary_http_requests_total", (("route", "/healthz"), ("status", "200")))] == 2
    assert samples[("boundary_http_requests_total", (("route", "/slack/events"), ("status", "401")))] == 1
    assert ("boundary_http_requests_total", (("route", "/slack/events"), ("status", "200"))) not in samples
