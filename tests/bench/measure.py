"""Measuring a process tree (the viewer plus its QtWebEngineProcess children, or a browser):
proportional set size and CPU time, summed over every live process of the tree."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass

import psutil


def _tree(pid: int) -> list[psutil.Process]:
    root = psutil.Process(pid)
    return [root, *root.children(recursive=True)]


def tree_pss_bytes(pid: int) -> int:
    """Sum of PSS over the tree: shared pages are counted once across its processes."""
    total = 0
    for process in _tree(pid):
        try:
            total += process.memory_full_info().pss
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    return total


def tree_cpu_seconds(pid: int) -> float:
    """User + system CPU seconds consumed so far by the live processes of the tree."""
    total = 0.0
    for process in _tree(pid):
        try:
            times = process.cpu_times()
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
        total += times.user + times.system + times.children_user + times.children_system
    return total


@dataclass(frozen=True)
class Summary:
    """Median and 95th percentile of a sample, with its size."""

    count: int
    median: float
    p95: float

    @classmethod
    def of(cls, values: Sequence[float]) -> Summary:
        if not values:
            raise ValueError("no measurements to summarise")
        ordered = sorted(values)
        index = min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))
        return cls(len(ordered), statistics.median(ordered), ordered[index])
