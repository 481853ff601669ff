"""The built documentation site the browser suite drives: find its pages, build it, serve it.

Pages are discovered, never listed by hand, so a chapter added later is
covered without touching the suite: from the built files when an already
built site is given (`MICROGRAD_SITE_DIR`), otherwise from MkDocs' own view of
the docs folder (the same files `mkdocs build` turns into pages).
"""

from __future__ import annotations

import contextlib
import functools
import html.parser
import json
import logging
import os
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Iterator
from urllib.parse import unquote, urldefrag, urlsplit

HOST = "127.0.0.1"
PROJECT_ROOT = Path(__file__).resolve().parents[2]
SITE_DIR_VARIABLE = "MICROGRAD_SITE_DIR"
# Built HTML that is not a documentation page.
NOT_PAGES = frozenset({"404.html"})
NOT_PAGE_DIRS = frozenset({"assets", "search", "stylesheets", "javascripts"})


def page_url_path(html_file: str) -> str:
    """The URL path (relative to the site root) under which a built HTML file is served.

    Args:
        html_file: The file's path relative to the site folder, with `/` separators.

    Examples:
        >>> page_url_path("index.html")
        ''
        >>> page_url_path("chapters/backprop/index.html")
        'chapters/backprop/'
        >>> page_url_path("about.html")
        'about.html'
    """
    if html_file == "index.html":
        return ""
    if html_file.endswith("/index.html"):
        return html_file[: -len("index.html")]
    return html_file


def page_name(url_path: str) -> str:
    """A short, file-name-safe name for a page, used in test ids and screenshot names.

    Examples:
        >>> page_name("")
        'index'
        >>> page_name("chapters/backprop/")
        'chapters-backprop'
        >>> page_name("about.html")
        'about'
    """
    stem = url_path.strip("/").removesuffix(".html").replace("/", "-")
    return stem or "index"


def built_pages(site_dir: Path) -> list[str]:
    """URL paths of every documentation page in a built site, sorted.

    Every HTML file counts except the 404 page and theme assets.

    Raises:
        FileNotFoundError: `site_dir` has no `index.html` (it is not a built site).

    Examples:
        >>> import tempfile
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     site = Path(folder)
        ...     for name in ("index.html", "404.html", "intro/index.html", "assets/x.html"):
        ...         (site / name).parent.mkdir(parents=True, exist_ok=True)
        ...         _ = (site / name).write_text("<html></html>")
        ...     built_pages(site)
        ['', 'intro/']
    """
    if not (site_dir / "index.html").is_file():
        raise FileNotFoundError(f"{site_dir} is not a built site: it has no index.html")
    pages = []
    for path in site_dir.rglob("*.html"):
        relative = path.relative_to(site_dir)
        if relative.parts[0] in NOT_PAGE_DIRS or relative.as_posix() in NOT_PAGES:
            continue
        pages.append(page_url_path(relative.as_posix()))
    return sorted(pages)


def configured_pages(config_file: Path) -> list[str]:
    """URL paths of the pages `mkdocs build` makes from a config's docs folder, sorted.

    Uses MkDocs' own file discovery (exclusions and drafts honoured), without building.
    """
    from mkdocs.config import load_config
    from mkdocs.structure.files import get_files

    # Loading a config logs plugin chatter; the suite reports its own findings.
    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    config = load_config(config_file=str(config_file))
    files = get_files(config)
    # mkdocs-jupyter turns the exercise notebooks (.py) into pages in its files event; the
    # other plugins' events need a running build (docsite starts its workers in on_config).
    jupyter = config.plugins.get("mkdocs-jupyter")
    if jupyter is not None:
        files = jupyter.on_files(files, config=config)
    return sorted(page_url_path(file.dest_uri) for file in files.documentation_pages())


def build_site(project_root: Path, destination: Path) -> Path:
    """Build the site strictly, as the project does, into `destination`.

    Raises:
        RuntimeError: The build failed; the message holds the end of its log.
    """
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(destination)]
    result = subprocess.run(command, cwd=project_root, env=env, capture_output=True, text=True, timeout=600)
    if result.returncode != 0:
        log = "\n".join((result.stdout + result.stderr).strip().splitlines()[-25:])
        raise RuntimeError(f"`mkdocs build --strict` failed (exit {result.returncode}):\n{log}")
    return destination


class _QuietHandler(SimpleHTTPRequestHandler):
    """Serves files without logging every request to stderr."""

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        pass


@contextlib.contextmanager
def serve(site_dir: Path) -> Iterator[str]:
    """Serve a folder over HTTP on 127.0.0.1 at a free port; yields the base URL (ending in `/`).

    Examples:
        >>> import tempfile
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     _ = (Path(folder) / "index.html").write_text("hello")
        ...     with serve(Path(folder)) as base:
        ...         print(urllib.request.urlopen(base).read())
        b'hello'
    """
    handler = functools.partial(_QuietHandler, directory=str(site_dir))
    server = ThreadingHTTPServer((HOST, 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield f"http://{HOST}:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


class _IdCollector(html.parser.HTMLParser):
    """Collects every `id` (and `<a name>`) in an HTML document: the targets a `#fragment` can name."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is not None and (name == "id" or (tag == "a" and name == "name")):
                self.ids.add(value)


@dataclass(frozen=True)
class Target:
    """What a same-site link points at, as fetched.

    Attributes:
        url: The URL fetched (without fragment).
        problem: Why the target is unusable ("" when it is fine).
        ids: Element ids in the target, if it is HTML.
    """

    url: str
    problem: str
    ids: frozenset[str]


class LinkTargets:
    """Fetches same-site link targets once each and says whether a link resolves.

    Examples:
        >>> import tempfile
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     _ = (Path(folder) / "index.html").write_text('<h2 id="top">Top</h2>')
        ...     with serve(Path(folder)) as base:
        ...         targets = LinkTargets()
        ...         print(repr(targets.problem(base + "#top")), repr(targets.problem(base + "#nowhere")))
        ...         print(targets.problem(base + "missing/"))
        '' 'no element with id "nowhere" on the target page'
        HTTP 404
    """

    def __init__(self) -> None:
        self._fetched: dict[str, Target] = {}
        self._lock = threading.Lock()

    def fetch(self, url: str) -> Target:
        """The target at `url` (fragment ignored), fetched on first use."""
        url = urldefrag(url).url
        with self._lock:
            if url not in self._fetched:
                self._fetched[url] = self._download(url)
            return self._fetched[url]

    @staticmethod
    def _download(url: str) -> Target:
        try:
            with urllib.request.urlopen(url, timeout=20) as response:
                body = response.read()
                content_type = response.headers.get_content_type()
        except urllib.error.HTTPError as error:
            return Target(url, f"HTTP {error.code}", frozenset())
        except (urllib.error.URLError, OSError) as error:
            return Target(url, f"cannot fetch ({error})", frozenset())
        if urlsplit(url).path.endswith(".ipynb"):
            try:
                notebook = json.loads(body)
            except ValueError as error:
                return Target(url, f"notebook is not valid JSON ({error})", frozenset())
            if not isinstance(notebook, dict) or not notebook.get("cells"):
                return Target(url, "notebook has no cells", frozenset())
        ids: frozenset[str] = frozenset()
        if content_type == "text/html":
            collector = _IdCollector()
            collector.feed(body.decode("utf-8", errors="replace"))
            ids = frozenset(collector.ids)
        return Target(url, "", ids)

    def problem(self, url: str) -> str:
        """Why a same-site link does not resolve, or "" if it does (page exists, anchor exists)."""
        target = self.fetch(url)
        if target.problem:
            return target.problem
        fragment = unquote(urldefrag(url).fragment)
        if fragment and fragment not in target.ids:
            return f'no element with id "{fragment}" on the target page'
        return ""


_discovery: dict[str, object] = {}


def given_site_dir() -> Path | None:
    """The already built site named by MICROGRAD_SITE_DIR, if any."""
    value = os.environ.get(SITE_DIR_VARIABLE, "").strip()
    return Path(value).resolve() if value else None


def discovered_pages() -> tuple[list[str], str]:
    """(page paths, error): from the given built site, else from MkDocs' view of mkdocs.yml.

    Computed once per process; an error is returned, not raised, so that test
    collection goes on and every page test can fail saying why.
    """
    if not _discovery:
        site_dir = given_site_dir()
        try:
            pages = built_pages(site_dir) if site_dir else configured_pages(PROJECT_ROOT / "mkdocs.yml")
            _discovery.update(pages=pages, error="" if pages else "the site has no pages")
        except Exception as error:  # noqa: BLE001 - any failure here is reported by the tests
            _discovery.update(pages=[], error=f"{type(error).__name__}: {error}")
    return _discovery["pages"], _discovery["error"]  # type: ignore[return-value]
