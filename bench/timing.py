"""Percentiles of timed samples, shared by the benchmark scripts (run as `python bench/<script>.py`)."""

from __future__ import annotations

import statistics


def p50_p95(samples: list[float]) -> tuple[float, float]:
    """The median and the 95th percentile (nearest rank) of some timings, in their unit."""
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
