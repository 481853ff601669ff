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
