"""Shared by the bench scripts: repeat an action and print min / median / max."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def timed(action: Callable[[], object], runs: int) -> list[float]:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        samples.append(time.perf_counter() - start)
    return samples


def report(label: str, samples: list[float]) -> None:
    ms = [s * 1000 for s in samples]
    print(f"{label:<40} min {min(ms):7.1f} ms · mediana {statistics.median(ms):7.1f} ms · max {max(ms):7.1f} ms "
          f"({len(ms)} esecuzioni)")
