"""Visit each page once per viewport and colour scheme, and keep what was measured.

Several tests judge the same visit (traffic, figures, math, links, layout,
screenshot), so a page is loaded once per (viewport, scheme) and its report
shared: the suite stays fast as chapters are added.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from browser_session import Browsing, Traffic
from page_probes import (
    EXAMPLE_BLOCK_COUNT_JS,
    EXERCISE_BLOCKS_JS,
    FIGURE_FIT_JS,
    FIGURES_JS,
    LAYOUT_JS,
    LINKS_JS,
    MATH_FONT_JS,
    MATH_JS,
)
from site_under_test import page_name

SCREENSHOT_SUFFIX = ".png"


def screenshot_path(folder: Path, url_path: str, viewport: str) -> Path:
    """Where the full-page screenshot of a page at a viewport is saved.

    Examples:
        >>> screenshot_path(Path("shots"), "chapters/backprop/", "mobile").as_posix()
        'shots/chapters-backprop--mobile.png'
    """
    return folder / f"{page_name(url_path)}--{viewport}{SCREENSHOT_SUFFIX}"


@dataclass(frozen=True)
class PageReport:
    """What one visit of one page measured.

    Attributes:
        path: The page's URL path.
        viewport: "desktop" or "mobile".
        scheme: The colour scheme Material applied (`data-md-color-scheme` on body).
        title: The document title.
        traffic: Requests, failures and console errors.
        figures: `FIGURES_JS`'s result.
        math: `MATH_JS`'s result.
        links: `LINKS_JS`'s result.
        layout: `LAYOUT_JS`'s result.
        screenshot: The saved full-page screenshot, if one was taken.
        fit: `FIGURE_FIT_JS`'s result (measured after the screenshot: it opens tabs).
        math_font: `MATH_FONT_JS`'s result (None on a page without math).
        example_blocks: How many blocks show `>>>` examples (`EXAMPLE_BLOCK_COUNT_JS`).
        runnable: `EXERCISE_BLOCKS_JS`'s result: each runnable block's role, buttons, visibility.
    """

    path: str
    viewport: str
    scheme: str
    title: str
    traffic: Traffic
    figures: dict[str, Any]
    math: dict[str, Any]
    links: list[dict[str, str]]
    layout: dict[str, Any]
    screenshot: Path | None
    fit: list[dict[str, Any]]
    math_font: dict[str, Any] | None
    example_blocks: int
    runnable: list[dict[str, Any]]


class PageReports:
    """Lazily visits pages and caches one `PageReport` per (page, viewport, colour scheme).

    Args:
        browsing: Opens pages of the served site.
        screenshots: Folder for full-page screenshots (light scheme only).
    """

    def __init__(self, browsing: Browsing, screenshots: Path) -> None:
        self.browsing = browsing
        self.screenshots = screenshots
        self._reports: dict[tuple[str, str, str], PageReport] = {}

    def get(self, path: str, viewport: str = "desktop", color_scheme: str = "light") -> PageReport:
        """The report of a page, visiting it on first request."""
        key = (path, viewport, color_scheme)
        if key not in self._reports:
            self._reports[key] = self._visit(path, viewport, color_scheme)
        return self._reports[key]

    def _visit(self, path: str, viewport: str, color_scheme: str) -> PageReport:
        # The desktop light visit also waits for late requests (such as the search index, which the
        # theme's scripts fetch after load, alike on every page and at every width); the other visits
        # do not wait for them again. Every visit records what it requests until it closes.
        settle = color_scheme == "light" and viewport == "desktop"
        with self.browsing.open(path, viewport=viewport, color_scheme=color_scheme, settle=settle) as (page, traffic):
            measured = {
                "figures": page.evaluate(FIGURES_JS),
                "math": page.evaluate(MATH_JS),
                "links": page.evaluate(LINKS_JS),
                "layout": page.evaluate(LAYOUT_JS),
                "example_blocks": page.evaluate(EXAMPLE_BLOCK_COUNT_JS),
                "runnable": page.evaluate(EXERCISE_BLOCKS_JS),
            }
            screenshot = None
            if color_scheme == "light":
                screenshot = screenshot_path(self.screenshots, path, viewport)
                page.screenshot(path=str(screenshot), full_page=True)
            measured["fit"] = page.evaluate(FIGURE_FIT_JS)
            measured["math_font"] = page.evaluate(MATH_FONT_JS)
            return PageReport(
                path=path,
                viewport=viewport,
                scheme=page.evaluate("document.body.getAttribute('data-md-color-scheme') || ''"),
                title=page.title(),
                # Copies, so requests still finishing as the page closes do not change the report.
                traffic=Traffic(**{name: list(value) for name, value in vars(traffic).items()}),
                screenshot=screenshot,
                **measured,
            )
