"""Drive Debian's Chromium through Playwright: launch it offline, open pages, record their traffic.

Chromium is launched with the flags that keep it from calling home (this
machine refuses connections to anything but the loopback), and every request
to another host is recorded and aborted, so a page that tries to load a
remote font or script is reported instead of hanging the test.
"""

from __future__ import annotations

import contextlib
import shutil
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterator
from urllib.parse import urlsplit

from site_under_test import HOST

if TYPE_CHECKING:  # Playwright is only needed once a browser runs, not to import (or doctest) this file.
    from playwright.sync_api import Browser, Page, Playwright

CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
VIEWPORTS: dict[str, dict[str, int]] = {
    "desktop": {"width": 1280, "height": 800},
    "mobile": {"width": 390, "height": 844},
}
# Schemes that never touch the network.
_LOCAL_SCHEMES = frozenset({"data", "blob", "about", "javascript"})
NAVIGATION_TIMEOUT_MS = 30_000


def chromium_executable() -> str:
    """Path of the system Chromium (Debian's `chromium` package).

    Raises:
        FileNotFoundError: No Chromium on PATH, with the command that installs it.

    Examples:
        >>> try:
        ...     path = chromium_executable()
        ... except FileNotFoundError as error:
        ...     path = str(error)  # not installed: the message says how to install it
        >>> "chromium" in path
        True
    """
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        raise FileNotFoundError("Chromium is not installed: run `apt-get install chromium` (as root)")
    return path


def launch_chromium(playwright: Playwright) -> Browser:
    """Launch headless system Chromium with a fresh profile and no background networking."""
    return playwright.chromium.launch(executable_path=chromium_executable(), headless=True, args=list(CHROMIUM_ARGS))


def is_local(url: str) -> bool:
    """Whether loading `url` stays on this machine's test server (127.0.0.1) or needs no network.

    Examples:
        >>> is_local("http://127.0.0.1:8000/assets/x.css"), is_local("data:image/png;base64,AA==")
        (True, True)
        >>> is_local("https://fonts.googleapis.com/css"), is_local("http://localhost:8000/")
        (False, False)
    """
    parts = urlsplit(url)
    return parts.scheme in _LOCAL_SCHEMES or parts.hostname == HOST


@dataclass
class Traffic:
    """What a page did on the network and in its console while it was open.

    Attributes:
        requests: Every URL requested, in order.
        external: Requested URLs on another host than 127.0.0.1 (all were aborted).
        failed: Local requests that failed, as "url (reason)".
        bad_status: Local responses with an HTTP status >= 400, as "url -> status".
        console_errors: Console messages of type "error".
        page_errors: Uncaught JavaScript exceptions.
    """

    requests: list[str] = field(default_factory=list)
    external: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    bad_status: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        """Everything that went wrong, one readable line each (external requests are not included).

        Examples:
            >>> Traffic(bad_status=["http://127.0.0.1:1/x.js -> 404"]).problems()
            ['HTTP error: http://127.0.0.1:1/x.js -> 404']
        """
        return (
            [f"console error: {text}" for text in self.console_errors]
            + [f"JavaScript exception: {text}" for text in self.page_errors]
            + [f"failed request: {text}" for text in self.failed]
            + [f"HTTP error: {text}" for text in self.bad_status]
        )


def _record(page: Page, traffic: Traffic) -> None:
    def on_request(request) -> None:
        traffic.requests.append(request.url)
        if not is_local(request.url):
            traffic.external.append(request.url)

    def on_request_failed(request) -> None:
        if is_local(request.url):
            traffic.failed.append(f"{request.url} ({request.failure})")

    def on_response(response) -> None:
        if response.status >= 400 and is_local(response.url):
            traffic.bad_status.append(f"{response.url} -> {response.status}")

    def on_console(message) -> None:
        url = (message.location or {}).get("url") or ""
        if message.type == "error" and (not url or is_local(url)):
            # (Chromium logs each blocked request to another host as an error too: those
            # are reported as external requests, not twice.)
            where = f" at {url}:{message.location.get('lineNumber')}" if url else ""
            traffic.console_errors.append(f"{message.text}{where}")

    page.on("request", on_request)
    page.on("requestfailed", on_request_failed)
    page.on("response", on_response)
    page.on("console", on_console)
    page.on("pageerror", lambda error: traffic.page_errors.append(str(error)))


class Browsing:
    """Opens pages of the served site, each in a fresh browser context (no shared storage).

    Args:
        browser: The session's Chromium.
        base_url: The served site's root URL, ending in `/`.
    """

    def __init__(self, browser: Browser, base_url: str) -> None:
        self.browser = browser
        self.base_url = base_url

    def url(self, path: str) -> str:
        """Absolute URL of a page path such as "" or "chapters/backprop/"."""
        return self.base_url + path

    @contextlib.contextmanager
    def open(
        self,
        path: str,
        viewport: str = "desktop",
        color_scheme: str = "light",
        clipboard: bool = False,
        settle: bool = True,
    ) -> Iterator[tuple[Page, Traffic]]:
        """Open a page and yield it with its recorded traffic; the context is closed afterwards.

        Args:
            path: Page path relative to the site root.
            viewport: A key of `VIEWPORTS`.
            color_scheme: The reader's preferred scheme ("light" or "dark").
            clipboard: Grant clipboard read/write to the site (for copy buttons).
            settle: Wait until the network is idle (late requests such as the
                search index are then recorded too).
        """
        context = self.browser.new_context(
            viewport=VIEWPORTS[viewport],
            color_scheme=color_scheme,
            is_mobile=viewport == "mobile",
            has_touch=viewport == "mobile",
        )
        try:
            if clipboard:
                context.grant_permissions(["clipboard-read", "clipboard-write"], origin=self.base_url.rstrip("/"))
            # Anything off this machine is refused at once rather than left to time out.
            context.route(lambda url: not is_local(url), lambda route: route.abort("blockedbyclient"))
            page = context.new_page()
            page.set_default_timeout(NAVIGATION_TIMEOUT_MS)
            traffic = Traffic()
            _record(page, traffic)
            page.goto(self.url(path), wait_until="load")
            if settle:
                page.wait_for_load_state("networkidle")
            yield page, traffic
        finally:
            context.close()
