"""Fixtures of the browser suite: the built and served site, one Chromium, and per-page reports.

Environment variables:
    MICROGRAD_SITE_DIR: test this already built site instead of building one
        (`mkdocs build --strict`) into a temporary folder.
    MICROGRAD_ARTIFACTS: folder for the screenshots (default: artifacts/screenshots
        in the repository, which git ignores).

Every test that takes `page_path` runs once per page of the site; pages are
discovered (see `site_under_test`), so chapters added later are covered too.
A test that takes `chapter_path` runs once per page that is not an exercise
page, and one that takes `exercise_page_path` once per exercise page (see
`exercise_pages` for why exercise pages get lighter checks, and which do not).
"""

from __future__ import annotations

import os
from pathlib import Path
from collections.abc import Callable, Iterator

import pytest

from browser_session import Browsing, chromium_executable, launch_chromium
from exercise_pages import is_exercise_page
from page_reports import SCREENSHOT_SUFFIX, PageReports
from site_under_test import (
    PROJECT_ROOT,
    SITE_DIR_VARIABLE,
    LinkTargets,
    build_site,
    discovered_pages,
    given_site_dir,
    page_name,
    serve,
)

ARTIFACTS_VARIABLE = "MICROGRAD_ARTIFACTS"
# Stands in for the pages when they cannot be discovered, so every page test fails saying why.
UNDISCOVERED = "<pages could not be discovered>"


# Each page-parametrized fixture and which discovered pages it runs on.
PAGE_SELECTIONS: dict[str, Callable[[str], bool]] = {
    "page_path": lambda path: True,
    "chapter_path": lambda path: not is_exercise_page(path),
    "exercise_page_path": is_exercise_page,
}


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    for name, selected in PAGE_SELECTIONS.items():
        if name in metafunc.fixturenames:
            pages, _ = discovered_pages()
            params = [p for p in pages if selected(p)] or [UNDISCOVERED]
            ids = [page_name(p) if p != UNDISCOVERED else "no-pages" for p in params]
            metafunc.parametrize(name, params, indirect=True, ids=ids)


def _discovered(request: pytest.FixtureRequest) -> str:
    if request.param == UNDISCOVERED:
        reason = discovered_pages()[1] or "none of the kind this test needs"
        pytest.fail(f"could not discover the site's pages: {reason}")
    return request.param


@pytest.fixture
def page_path(request: pytest.FixtureRequest) -> str:
    """The page under test (parametrized); fails the test if pages could not be discovered."""
    return _discovered(request)


@pytest.fixture
def chapter_path(request: pytest.FixtureRequest) -> str:
    """A page that is not an exercise page: a chapter, the home page, the reference, the tools."""
    return _discovered(request)


@pytest.fixture
def exercise_page_path(request: pytest.FixtureRequest) -> str:
    """An exercise page (every one)."""
    return _discovered(request)


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The built site: MICROGRAD_SITE_DIR, or a fresh strict build of the project."""
    given = given_site_dir()
    if given is not None:
        if not (given / "index.html").is_file():
            pytest.fail(f"{SITE_DIR_VARIABLE}={given} is not a built site (no index.html)")
        return given
    try:
        return build_site(PROJECT_ROOT, tmp_path_factory.mktemp("build") / "site")
    except RuntimeError as error:
        failure = str(error)
    pytest.fail(failure, pytrace=False)  # outside `except`, so the log is not shown twice


@pytest.fixture(scope="session")
def base_url(site_dir: Path) -> Iterator[str]:
    """Root URL of the site served on 127.0.0.1 (stopped at the end of the session)."""
    with serve(site_dir) as url:
        yield url


@pytest.fixture(scope="session")
def chromium() -> Iterator[object]:
    """One headless Debian Chromium for the whole session."""
    from playwright.sync_api import sync_playwright

    try:
        chromium_executable()
    except FileNotFoundError as error:
        pytest.fail(str(error), pytrace=False)
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="session")
def browsing(chromium: object, base_url: str) -> Browsing:
    """Opens pages of the served site in fresh browser contexts."""
    return Browsing(chromium, base_url)  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def screenshots_dir() -> Path:
    """The screenshot folder, emptied of earlier screenshots (so removed pages leave none behind)."""
    root = os.environ.get(ARTIFACTS_VARIABLE, "").strip()
    folder = Path(root).resolve() if root else PROJECT_ROOT / "artifacts" / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob(f"*--*{SCREENSHOT_SUFFIX}"):
        old.unlink()
    return folder


@pytest.fixture(scope="session")
def reports(browsing: Browsing, screenshots_dir: Path) -> PageReports:
    """One measured visit per (page, viewport, scheme), shared by the tests."""
    return PageReports(browsing, screenshots_dir)


@pytest.fixture(scope="session")
def link_targets() -> LinkTargets:
    """Same-site link targets, each fetched once."""
    return LinkTargets()
