"""Every page of the built site, in headless Chromium: clean load, local-only, figures, math, links, copy buttons.

Each test runs once per discovered page (the test id names the page) and
lists everything wrong with that page in one failure message.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest

from browser_session import VIEWPORTS, Browsing
from copied_code import code_lines, parse_transcript, prompt_lines, same_exception
from page_probes import (
    backdrop_problems,
    figure_fit_problems,
    figure_problems,
    layout_problems,
    math_font_problems,
    math_problems,
)
from page_reports import PageReports
from site_under_test import LinkTargets

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser

RUNNER = Path(__file__).with_name("copied_code.py")
RUN_TIMEOUT_S = 120
# A rendered page has anti-aliased text and icons; a blank or unstyled one has a handful of colours.
MIN_SCREENSHOT_COLOURS = 16


def fail_if_any(page_path: str, what: str, problems: list[str]) -> None:
    """Fail the test naming the page and listing every problem, if there are any."""
    if problems:
        listing = "\n  - ".join(dict.fromkeys(problems))  # de-duplicated, in order
        pytest.fail(f"page /{page_path}: {what}:\n  - {listing}", pytrace=False)


def test_page_loads_without_errors(page_path: str, reports: PageReports) -> None:
    """No console error, uncaught exception, failed request or HTTP error, at desktop and phone width."""
    problems = []
    for viewport in VIEWPORTS:
        report = reports.get(page_path, viewport)
        problems += [f"[{viewport}] {problem}" for problem in report.traffic.problems()]
    fail_if_any(page_path, "console errors or failed requests", problems)


def test_page_requests_nothing_but_the_local_site(page_path: str, reports: PageReports) -> None:
    """Every request stays on 127.0.0.1: no fonts, scripts or images from the internet."""
    problems = []
    for viewport in VIEWPORTS:
        traffic = reports.get(page_path, viewport).traffic
        assert traffic.requests, f"page /{page_path}: no request recorded at all ({viewport})"
        problems += [f"[{viewport}] request to another host: {url}" for url in traffic.external]
    fail_if_any(page_path, "requests leave 127.0.0.1", problems)


def test_figures_are_visible_and_legible(page_path: str, reports: PageReports) -> None:
    """Every figure shows, its text is readable, and a figure wider than the column scrolls in its own box."""
    desktop = reports.get(page_path, "desktop")
    if not desktop.figures["figures"] and not desktop.figures["emptyFigures"]:
        pytest.skip("no figures on this page")
    problems = [f"[desktop] {problem}" for problem in figure_problems(desktop.figures)]
    mobile = reports.get(page_path, "mobile")
    problems += [f"[mobile] {problem}" for problem in figure_problems(mobile.figures, phone=True)]
    fail_if_any(page_path, "figures that are missing, illegible or overflowing", problems)


def test_figures_fit_or_offer_full_size(page_path: str, reports: PageReports) -> None:
    """At 1280 and 390 px, a figure drawn wider than its visible box has a visible full-size control."""
    problems = []
    for viewport in VIEWPORTS:
        fit = reports.get(page_path, viewport).fit
        if not fit:
            pytest.skip("no figures on this page")
        problems += [f"[{viewport}] {problem}" for problem in figure_fit_problems(fit)]
    fail_if_any(page_path, "figures cut off without a way to see them whole", problems)


def test_figures_stay_readable_in_both_colour_schemes(page_path: str, reports: PageReports) -> None:
    """Figures sit on an opaque light background in the light and the dark scheme."""
    light = reports.get(page_path, "desktop", "light")
    if not light.figures["figures"]:
        pytest.skip("no figures on this page")
    dark = reports.get(page_path, "desktop", "dark")
    problems = []
    if dark.scheme == light.scheme:
        problems.append(f"a reader who prefers dark gets the same scheme ({dark.scheme!r}) as one who prefers light")
    for report in (light, dark):
        problems += [f"[{report.scheme or 'no'} scheme] {problem}" for problem in backdrop_problems(report.figures)]
    fail_if_any(page_path, "figures unreadable in a colour scheme", problems)


def test_math_is_rendered(page_path: str, reports: PageReports) -> None:
    """No raw TeX in the prose; every formula rendered (MathML) with a size."""
    fail_if_any(page_path, "math not rendered", math_problems(reports.get(page_path, "desktop").math))


def test_math_uses_the_site_math_font(page_path: str, reports: PageReports) -> None:
    """Formulas are set in the OpenType MATH font the site serves, and the browser has loaded it."""
    report = reports.get(page_path, "desktop")
    if report.math_font is None:
        pytest.skip("no math on this page")
    local = [url for url in report.traffic.requests if url not in report.traffic.external]
    fail_if_any(page_path, "math font", math_font_problems(report.math_font, local))


def test_internal_links_and_anchors_resolve(page_path: str, reports: PageReports, link_targets: LinkTargets) -> None:
    """Every same-site link reaches a page that exists, and its #anchor an element on that page."""
    report = reports.get(page_path, "desktop")
    site = urlsplit(reports.browsing.base_url).netloc
    problems = []
    internal = 0
    for link in report.links:
        parts = urlsplit(link["href"])
        if parts.scheme not in ("http", "https") or parts.netloc != site:
            continue  # other sites are not fetched (no network); their requests are checked elsewhere
        internal += 1
        problem = link_targets.problem(link["href"])
        if problem:
            problems.append(f'link "{link["text"]}" -> {parts.path}{"#" + parts.fragment if parts.fragment else ""}: {problem}')
    assert internal, f"page /{page_path}: no internal link found at all (not even the navigation)"
    fail_if_any(page_path, "broken internal links", problems)


def test_mobile_page_does_not_scroll_sideways(page_path: str, reports: PageReports) -> None:
    """At 390 px the page fits the viewport; wide code blocks scroll inside their own box."""
    fail_if_any(page_path, "layout at 390 px", layout_problems(reports.get(page_path, "mobile").layout))


def test_screenshots_saved(page_path: str, reports: PageReports) -> None:
    """A full-page screenshot at 1280 px and at 390 px is saved, at the right width and not blank."""
    from PIL import Image  # shipped with matplotlib

    problems = []
    for viewport, size in VIEWPORTS.items():
        path = reports.get(page_path, viewport).screenshot
        if path is None or not path.is_file():
            problems.append(f"[{viewport}] no screenshot saved at {path}")
            continue
        with Image.open(path) as image:
            width, height = image.size
            colours = image.convert("RGB").reduce(4).getcolors(maxcolors=1 << 16)
        if width != size["width"] or height < size["height"]:
            problems.append(
                f"[{viewport}] {path.name} is {width}x{height} px, expected {size['width']} px wide (wider means "
                f"the page itself is wider than the viewport) and at least {size['height']} px high"
            )
        if colours is not None and len(colours) < MIN_SCREENSHOT_COLOURS:
            problems.append(f"[{viewport}] {path.name} looks blank ({len(colours)} colours)")
    fail_if_any(page_path, "screenshots", problems)


_COPY_BUTTON = "button[data-md-type='copy'], button.md-clipboard, button[data-clipboard-target]"
# Blocks showing `>>>` examples, with the transcript as displayed and whether they have a copy button.
_EXAMPLE_BLOCKS_JS = """
(button) => [...document.querySelectorAll('article div.highlight')]
  .map((block, index) => ({index, transcript: (block.querySelector('code') || block).textContent,
                           hasButton: !!block.querySelector(button)}))
  .filter((block) => /^>>>( |$)/m.test(block.transcript))
"""
# Empties the clipboard, opens the collapsed boxes ("??? note") around a block as a reader
# would, scrolls its copy button into view and says where it is on screen.
_PREPARE_COPY_JS = """
async ([index, selector]) => {
  const block = document.querySelectorAll('article div.highlight')[index];
  await navigator.clipboard.writeText('');
  for (let d = block.closest('details'); d; d = d.parentElement.closest('details')) d.open = true;
  const button = block.querySelector(selector);
  button.scrollIntoView({block: 'center', behavior: 'instant'});
  const box = button.getBoundingClientRect();
  return {x: box.left + box.width / 2, y: box.top + box.height / 2};
}
"""
COPY_TIMEOUT_MS = 3_000


def _copy(page: Page, index: int) -> str:
    """Click the copy button of the page's `index`-th code block; return what the clipboard got ("" if nothing)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    where = page.evaluate(_PREPARE_COPY_JS, [index, _COPY_BUTTON])
    # A real mouse click where the button is (a covered button would not copy); one round trip
    # instead of a locator click's actionability checks, which cost seconds on the reference page.
    page.mouse.click(where["x"], where["y"])
    # Waits for the clipboard to fill (at once, usually) rather than for a fixed time.
    try:
        filled = page.wait_for_function("navigator.clipboard.readText()", timeout=COPY_TIMEOUT_MS, polling=50)
        return filled.json_value()
    except PlaywrightTimeout:
        return ""


@dataclass(frozen=True)
class CopiedBlock:
    """A `>>>` example block and what its copy button yielded."""

    number: int
    transcript: str
    copied: str

    @property
    def name(self) -> str:
        """How failure messages name the block: its number and first line of code."""
        first = parse_transcript(self.transcript)[0].source.splitlines()[0]
        return f"example block {self.number} (`{first[:60]}`)"


def _copy_problems(block: CopiedBlock) -> list[str]:
    """What is wrong with a block's copied text: empty, prompts left in, or not the code shown."""
    if not block.copied.strip():
        return [f"{block.name}: the copy button copied nothing"]
    leftover = prompt_lines(block.copied)
    if leftover:
        return [f"{block.name}: copied text keeps REPL prompts (so it is not run), e.g. {leftover[0]!r}"]
    shown = code_lines("\n".join(example.source for example in parse_transcript(block.transcript)))
    got = code_lines(block.copied)
    if got == shown:
        return []
    at = next((i for i, (a, b) in enumerate(zip(shown, got)) if a != b), min(len(shown), len(got)))
    return [
        f"{block.name}: copied code differs from the code shown, at code line {at + 1}: "
        f"shown {shown[at] if at < len(shown) else '(nothing)'!r}, copied {got[at] if at < len(got) else '(nothing)'!r}"
    ]


def _run_problems(blocks: list[CopiedBlock], workdir: Path) -> list[str]:
    """Run the blocks' copied code in order in one fresh interpreter; compare what raised with the page."""
    run = subprocess.run(
        [sys.executable, str(RUNNER)],
        input=json.dumps([block.copied for block in blocks]),
        capture_output=True,
        text=True,
        cwd=workdir,
        env={**os.environ, "MPLBACKEND": "Agg"},
        timeout=RUN_TIMEOUT_S,
    )
    if run.returncode != 0:
        return [f"running the copied code crashed (exit {run.returncode}):\n{run.stderr[-2000:]}"]
    problems = []
    for block, raised in zip(blocks, json.loads(run.stdout)):
        expected = [e.expected_exception for e in parse_transcript(block.transcript) if e.expected_exception]
        got = [entry["error"] for entry in raised]
        if len(expected) == len(got) and all(map(same_exception, expected, got)):
            continue
        actual = "; ".join(f"`{entry['code']}` raised {entry['error']}" for entry in raised) or "nothing"
        problems.append(f"{block.name}: the page shows {expected or 'no error'}, but the copied code, run in order, gave: {actual}")
    return problems


def test_copied_examples_run_in_python(
    page_path: str, browsing: Browsing, reports: PageReports, tmp_path: Path
) -> None:
    """Each >>> example's copy button yields plain code; run in order, it raises exactly what the page shows."""
    # Known from the page's measured visit, so a page without examples is not opened again.
    if not reports.get(page_path, "desktop").example_blocks:
        pytest.skip("no >>> examples on this page")
    problems: list[str] = []
    runnable: list[CopiedBlock] = []
    with browsing.open(page_path, clipboard=True, settle=False) as (page, _traffic):
        found = page.evaluate(_EXAMPLE_BLOCKS_JS, _COPY_BUTTON)
        assert found, f"page /{page_path}: its visit counted >>> examples, but none is found now"
        for number, item in enumerate(found, start=1):
            has_button = item["hasButton"]
            block = CopiedBlock(number, item["transcript"], _copy(page, item["index"]) if has_button else "")
            problems += _copy_problems(block) if has_button else [f"{block.name}: has no copy button"]
            # An empty copy or one with prompts would only raise SyntaxError; the others still run, in page order.
            if block.copied.strip() and not prompt_lines(block.copied):
                runnable.append(block)
    if runnable:
        problems += _run_problems(runnable, tmp_path)
    fail_if_any(page_path, "copy buttons of >>> examples", problems)
