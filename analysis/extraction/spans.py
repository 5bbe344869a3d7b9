"""A growing set of non-overlapping spans with O(log n) overlap tests (keeps scans linear)."""

from __future__ import annotations

import bisect


class Spans:
    """Non-overlapping ``(start, end)`` spans, kept sorted by start."""

    def __init__(self, spans=()):
        self._starts: list[int] = []
        self._ends: list[int] = []
        for a, b in sorted(spans):
            self.add(a, b)

    def overlaps(self, start: int, end: int) -> bool:
        """Whether ``[start, end)`` overlaps a span of the set."""
        i = bisect.bisect_right(self._starts, start) - 1
        if i >= 0 and self._ends[i] > start:
            return True
        j = i + 1
        return j < len(self._starts) and self._starts[j] < end

    def covers(self, pos: int) -> bool:
        """Whether ``pos`` lies inside a span."""
        i = bisect.bisect_right(self._starts, pos) - 1
        return i >= 0 and self._starts[i] <= pos < self._ends[i]

    def add(self, start: int, end: int) -> None:
        """Add a span (the caller has checked it does not overlap)."""
        i = bisect.bisect_left(self._starts, start)
        self._starts.insert(i, start)
        self._ends.insert(i, end)
