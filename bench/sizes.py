"""The size of a built site: what GitHub Pages would be asked to hold (its limit is 1 GB a site).

measure() is called by bench/run.py on every build it times (the default size and each size of the
scale series), on the output as published: pagefind/ included. crossing() extrapolates the scale
series' sizes, in a straight line, to the data at which the site would reach a limit.
"""

from __future__ import annotations

import os
from pathlib import Path

GITHUB_PAGES = 10**9  # bytes: "Published GitHub Pages sites may be no larger than 1 GB"
LARGEST = 10  # the largest HTML pages listed


def measure(output: Path, page_limit: int = 300_000) -> dict:
    """Total bytes and files, bytes by top-level folder, the largest HTML pages and those over page_limit."""
    by_folder: dict[str, int] = {}
    pages: list[tuple[int, str]] = []
    total = files = 0
    for folder, _, names in os.walk(output):
        relative = Path(folder).relative_to(output)
        top = relative.parts[0] if relative.parts else "(files at the top)"
        for name in names:
            size = os.stat(os.path.join(folder, name)).st_size
            total += size
            files += 1
            by_folder[top] = by_folder.get(top, 0) + size
            if name.endswith(".html"):
                pages.append((size, (relative / name).as_posix()))
    pages.sort(reverse=True)
    return {"bytes": total, "files": files, "html_pages": len(pages),
            "html_bytes": sum(size for size, _ in pages),
            "by_folder": dict(sorted(by_folder.items(), key=lambda kv: -kv[1])),
            "largest_html": [[path, size] for size, path in pages[:LARGEST]],
            "page_limit": page_limit, "over_page_limit": sum(1 for size, _ in pages if size > page_limit)}


def fit(points: list[tuple[float, float]]) -> tuple[float, float] | None:
    """Least-squares line through (x, y): (intercept, slope), or None for fewer than two distinct x."""
    if len({x for x, _ in points}) < 2:
        return None
    n = len(points)
    mean_x = sum(x for x, _ in points) / n
    mean_y = sum(y for _, y in points) / n
    slope = sum((x - mean_x) * (y - mean_y) for x, y in points) / sum((x - mean_x) ** 2 for x, _ in points)
    return mean_y - slope * mean_x, slope


def crossing(points: list[tuple[float, float]], limit: float = GITHUB_PAGES) -> float | None:
    """The x at which the line through points reaches limit (None when it does not grow)."""
    line = fit(points)
    if line is None or line[1] <= 0:
        return None
    intercept, slope = line
    return (limit - intercept) / slope
