"""Site-wide behaviour in headless Chromium: page coverage, navigation, search, colour toggle, mobile drawer."""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit, urlunsplit

import pytest

from browser_session import Browsing
from page_probes import FIGURES_JS, backdrop_problems
from page_reports import PageReports
from site_under_test import built_pages, discovered_pages

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser

SEARCH_TERM = "topological"
# What the URL or title of the chapter on the topological sort contains.
CHAPTER_MARKERS = ("topolog", "backward")
_TITLE = re.compile(r"<title>(.*?)</title>", re.DOTALL | re.IGNORECASE)
_H1 = re.compile(r"<h1\b[^>]*>(.*?)</h1>", re.DOTALL | re.IGNORECASE)
_TAGS = re.compile(r"<[^>]+>")
_ARTICLE = re.compile(r"<article\b.*?</article>", re.DOTALL | re.IGNORECASE)
_FIGURE = re.compile(r"<(figure|img)\b", re.IGNORECASE)


def _pages() -> list[str]:
    pages, error = discovered_pages()
    if error:
        pytest.fail(f"could not discover the site's pages: {error}", pytrace=False)
    return pages


def _built_html(site_dir: Path, page_path: str) -> str:
    file = site_dir / page_path / "index.html" if page_path == "" or page_path.endswith("/") else site_dir / page_path
    return file.read_text(encoding="utf-8")


def _built_titles(site_dir: Path, page_path: str) -> str:
    """The page's <title> and first <h1> (the nav may call a chapter something shorter than its heading)."""
    text = _built_html(site_dir, page_path)
    found = [_TAGS.sub("", m.group(1)) for pattern in (_TITLE, _H1) if (m := pattern.search(text))]
    return " | ".join(dict.fromkeys(html.unescape(" ".join(f.split())) for f in found))


def _site_path(base_url: str, href: str) -> str:
    """A link's page path relative to the site root (query, such as search's `?h=`, and fragment dropped)."""
    parts = urlsplit(urljoin(base_url, href))
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", "")).removeprefix(base_url)


def test_every_built_page_is_under_test(site_dir: Path) -> None:
    """The pages the per-page tests run on are exactly the pages of the built site."""
    pages = _pages()
    built = built_pages(site_dir)
    missing = sorted(set(built) - set(pages))
    phantom = sorted(set(pages) - set(built))
    assert not missing and not phantom, (
        f"the pages under test differ from the built site: built but not tested {missing}, "
        f"tested but not built {phantom}"
    )


def test_navigation_lists_every_page(browsing: Browsing) -> None:
    """The navigation links to every page, so no chapter is reachable only by URL."""
    pages = _pages()
    with browsing.open("", settle=False) as (page, _traffic):
        hrefs = page.eval_on_selector_all("nav.md-nav--primary a[href]", "links => links.map(a => a.href)")
    listed = {_site_path(browsing.base_url, href) for href in hrefs}
    unlisted = [f"/{p}" for p in pages if p not in listed]
    assert not unlisted, f"pages missing from the navigation: {unlisted}"


def test_search_finds_the_topological_sort_chapter(browsing: Browsing, site_dir: Path) -> None:
    """Typing "topological" in the search box offers the chapter on the topological sort."""
    pages = _pages()
    titles = {p: _built_titles(site_dir, p) for p in pages}
    chapters = [p for p in pages if any(m in (p + " " + titles[p]).lower() for m in CHAPTER_MARKERS)]
    if not chapters:
        pytest.fail(
            "the site has no chapter on the topological sort: no page URL or title contains "
            f"{' or '.join(repr(m) for m in CHAPTER_MARKERS)}; pages: "
            + ", ".join(f"/{p} ({titles[p]!r})" for p in pages),
            pytrace=False,
        )
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    with browsing.open("") as (page, _traffic):
        search = page.locator("input.md-search__input")
        search.click()
        search.press_sequentially(SEARCH_TERM, delay=20)
        results = page.locator(".md-search-result a.md-search-result__link, .md-search-result__item a")
        try:
            results.first.wait_for(state="attached", timeout=10_000)
        except PlaywrightTimeout:
            meta = page.locator(".md-search-result__meta").first.text_content() or "nothing"
            pytest.fail(f"searching {SEARCH_TERM!r} showed no result (the search said: {meta.strip()!r})", pytrace=False)
        found = [_site_path(browsing.base_url, href) for href in results.evaluate_all("as => as.map(a => a.href)")]
    assert set(found) & set(chapters), (
        f"searching {SEARCH_TERM!r} does not lead to the chapter {['/' + c for c in chapters]}; results: "
        f"{['/' + f for f in dict.fromkeys(found)]}"
    )


def _scheme(page: Page) -> str:
    return page.evaluate("document.body.getAttribute('data-md-color-scheme') || ''")


def _toggle_palette(page: Page) -> str:
    """Click the visible light/dark toggle and return the scheme it switched to."""
    before = _scheme(page)
    page.locator("form[data-md-component='palette'] label:not([hidden])").first.click()
    page.wait_for_function("s => document.body.getAttribute('data-md-color-scheme') !== s", arg=before, timeout=5_000)
    return _scheme(page)


def _has_figures(site_dir: Path, page_path: str) -> bool:
    article = _ARTICLE.search(_built_html(site_dir, page_path))
    return bool(article and _FIGURE.search(article.group(0)))


def test_colour_toggle_switches_scheme_and_figures_stay_readable(browsing: Browsing, site_dir: Path) -> None:
    """The light/dark toggle switches the scheme both ways, and figures stay on a light background."""
    pages = _pages()
    # Toggle on a page with figures, if the site has one, so their readability is judged in both schemes.
    path = next((p for p in pages if _has_figures(site_dir, p)), pages[0])
    problems = []
    with browsing.open(path, settle=False) as (page, _traffic):
        first = _scheme(page)
        problems += [f"[{first}] {p}" for p in backdrop_problems(page.evaluate(FIGURES_JS))]
        second = _toggle_palette(page)
        problems += [f"[{second}] {p}" for p in backdrop_problems(page.evaluate(FIGURES_JS))]
        back = _toggle_palette(page)
    assert {first, second} == {"default", "slate"}, f"the toggle went from {first!r} to {second!r}, not light <-> dark"
    assert back == first, f"toggling twice did not come back to {first!r} but to {back!r}"
    assert not problems, f"page /{path}: figures unreadable after toggling:\n  - " + "\n  - ".join(problems)


def test_mobile_drawer_opens_and_page_fits(browsing: Browsing) -> None:
    """At 390 px the menu button opens the navigation drawer on top, and the page does not scroll sideways."""
    pages = _pages()
    # A chapter has the fullest drawer (sections, table of contents); the home page will do otherwise.
    path = next((p for p in pages if p), pages[0])
    with browsing.open(path, viewport="mobile", settle=False) as (page, _traffic):
        link = page.locator("nav.md-nav--primary a.md-nav__link[href]").first
        hamburger = page.locator("header label[for='__drawer']")
        assert hamburger.is_visible(), "no visible menu button (label[for=__drawer]) in the header at 390 px"
        box = link.bounding_box()
        assert box is None or box["x"] + box["width"] <= 1, f"the navigation is already on screen before opening: {box}"
        hamburger.click()
        page.wait_for_function(
            """() => {
              const a = document.querySelector('nav.md-nav--primary a.md-nav__link[href]');
              const r = a.getBoundingClientRect();
              return r.left >= 0 && r.right <= window.innerWidth && r.width > 0;
            }""",
            timeout=5_000,
        )
        # The link is not just placed on screen but on top: a tap there reaches it.
        reachable = page.evaluate(
            """() => {
              const a = document.querySelector('nav.md-nav--primary a.md-nav__link[href]');
              const r = a.getBoundingClientRect();
              const hit = document.elementFromPoint(r.left + Math.min(r.width / 2, 20), r.top + r.height / 2);
              return !!hit && (hit === a || a.contains(hit));
            }"""
        )
        width = page.evaluate("document.documentElement.scrollWidth")
    assert reachable, "the drawer opened but its first link is covered by something else"
    assert width <= 391, f"with the drawer open the page scrolls sideways: {width} px wide at 390 px"


# In the full-size view: the drawing's natural width (from its width attribute), the width it
# is drawn at, and whether scrolling the view to either end shows the drawing's edges.
_FULL_SIZE_JS = """
(dialog) => {
  const svg = dialog.querySelector('svg');
  const UNITS = {px: 1, pt: 4 / 3, in: 96};
  const m = /^([0-9.]+)(px|pt|in)?$/.exec(svg.getAttribute('width') || '');
  const natural = m ? parseFloat(m[1]) * UNITS[m[2] || 'px'] : svg.viewBox.baseVal.width;
  let view = svg.parentElement;
  while (view && view !== dialog && !['auto', 'scroll'].includes(getComputedStyle(view).overflowX)) view = view.parentElement;
  const edges = () => {
    const s = svg.getBoundingClientRect(), v = view.getBoundingClientRect();
    return {left: s.left >= v.left - 1, right: s.right <= v.right + 1, top: s.top >= v.top - 1, bottom: s.bottom <= v.bottom + 1};
  };
  view.scrollTo(0, 0);
  const start = edges();
  view.scrollTo(view.scrollWidth, view.scrollHeight);
  const end = edges();
  view.scrollTo(0, 0);
  return {natural, drawn: svg.getBoundingClientRect().width, scrolls: view !== dialog,
          leftAndTopReachable: start.left && start.top, rightAndBottomReachable: end.right && end.bottom};
}
"""


_SCROLL_LEFT_JS = """
(dialog) => {
  let view = dialog.querySelector('svg').parentElement;
  while (view !== dialog && !['auto', 'scroll'].includes(getComputedStyle(view).overflowX)) view = view.parentElement;
  return {scrollLeft: view.scrollLeft, most: view.scrollWidth - view.clientWidth};
}
"""


def test_full_size_control_shows_a_wide_figure_whole(browsing: Browsing, reports: PageReports) -> None:
    """On a phone, a figure wider than the column opens full size from its button, pans, and closes with Esc."""
    found = [
        (figure["contentWidth"] - figure["boxWidth"], path, index)
        for path in _pages()
        for index, figure in enumerate(reports.get(path, "mobile").fit)
        if figure["zoomControl"]
    ]
    candidates = [(path, index) for _, path, index in sorted(found, reverse=True)]  # the widest first: most to pan
    if not candidates:
        pytest.skip("no figure at 390 px needs a full-size control")
    for path, index in candidates:
        with browsing.open(path, viewport="mobile", settle=False) as (page, traffic):
            figure = page.locator("article figure:has(svg, img)").nth(index)
            button = figure.get_by_role("button", name=re.compile("full size", re.IGNORECASE))
            if not button.is_visible():
                continue  # in a closed tab: try the next one, which a reader sees without clicking first
            where = f"/{path} figure {index + 1}"
            # Keyboard first: the control is a real button, reachable and pressed without a mouse.
            button.focus()
            page.keyboard.press("Enter")
            # (Material's search box is a dialog too: the overlay is the one named after the figure.)
            dialog = page.get_by_role("dialog", name=re.compile("^full size", re.IGNORECASE))
            assert dialog.is_visible(), f"{where}: pressing Enter on the full-size button opened no dialog"
            box = dialog.bounding_box()
            assert box and box["width"] >= 389 and box["height"] >= 800, f"{where}: the overlay does not fill the window: {box}"
            shown = dialog.evaluate(_FULL_SIZE_JS)
            assert abs(shown["drawn"] - shown["natural"]) <= 1, f"{where}: drawn {shown['drawn']:.0f} px wide, natural {shown['natural']:.0f} px"
            assert shown["scrolls"] and shown["leftAndTopReachable"] and shown["rightAndBottomReachable"], (
                f"{where}: panning the full-size view does not reach every edge of the drawing: {shown}"
            )
            # Drag to pan, as with a mouse: the view scrolls the other way.
            drawing = dialog.locator("svg").first.bounding_box()
            y = min(drawing["y"] + 100, 700)
            page.mouse.move(300, y)
            page.mouse.down()
            page.mouse.move(100, y, steps=4)
            page.mouse.up()
            scrolled = dialog.evaluate(_SCROLL_LEFT_JS)
            assert scrolled["scrollLeft"] >= min(150, scrolled["most"]), f"{where}: dragging the drawing 200 px left did not pan it: {scrolled}"
            assert dialog.is_visible(), f"{where}: the full-size view closed after a drag"
            page.keyboard.press("Escape")
            assert dialog.count() == 0, f"{where}: Esc did not close the full-size view"
            assert button.evaluate("(b) => b === document.activeElement"), f"{where}: focus did not return to the button"
            # And with the mouse, closing with the visible Close button.
            button.click()
            dialog.get_by_role("button", name=re.compile("close", re.IGNORECASE)).click()
            assert dialog.count() == 0, f"{where}: the Close button did not close the full-size view"
            assert not traffic.page_errors, f"{where}: JavaScript errors: {traffic.page_errors}"
            return
    pytest.fail(f"figures report a full-size control at 390 px ({candidates}), but none is visible on its page")
