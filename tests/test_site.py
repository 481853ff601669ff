"""The documentation site builds cleanly, asks nothing of other hosts, and its build package keeps its promises.

Site builds run `python -m mkdocs build --strict` in a subprocess, as CI and the
Pages workflow do: once for the real `docs/`, once for `tests/site_demo/` (a page
using every feature of the build, built with the real mkdocs.yml), and once per
kind of broken page that must fail the build. The package's own functions are
tested in-process, which is much faster than a build.
"""

from __future__ import annotations

import doctest
import html
import io
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from docsite import (
    browser_bundle,
    chapter_notebooks,
    examples,
    exercise_notebooks,
    fences,
    latex_math,
    library_wheel,
    page_blocks,
    page_session,
    results_cache,
    site_assets,
    svg_figures,
    workers,
)
from docsite.examples import ExampleError, run_page
from docsite.page_blocks import page_blocks as cut_page
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File
from mkdocs.utils.meta import get_data
from mkdocs.utils.yaml import get_yaml_loader

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "mkdocs.yml"
DEMO_DOCS = ROOT / "tests" / "site_demo"
PACKAGE_MODULES = [
    page_blocks, examples, svg_figures, results_cache, chapter_notebooks, latex_math, site_assets, workers, library_wheel,
    browser_bundle, fences, page_session, exercise_notebooks,
]
LINK_TEXT = "Download this chapter as a notebook"


@dataclass(frozen=True)
class Build:
    name: str
    docs: Path
    site: Path
    nav: list[str]
    returncode: int
    log: str
    seconds: float


def nav_pages(nav: object) -> list[str]:
    """Every Markdown page a nav lists, in order."""
    if isinstance(nav, str):
        return [nav] if nav.endswith(".md") else []
    if isinstance(nav, dict):
        return [page for value in nav.values() for page in nav_pages(value)]
    if isinstance(nav, list):
        return [page for item in nav for page in nav_pages(item)]
    return []


def mkdocs_build(config: Path, site: Path) -> tuple[int, str, float]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config), "-d", str(site)]
    start = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    return done.returncode, done.stdout + done.stderr, time.perf_counter() - start


def scratch_site(tmp: Path, pages: dict[str, str]) -> tuple[Path, Path]:
    """A docs dir holding `pages`, and a config that inherits everything else from mkdocs.yml (own, empty cache)."""
    docs = tmp / "docs"
    docs.mkdir(parents=True)
    for folder in ("stylesheets", "javascripts"):
        if (ROOT / "docs" / folder).is_dir():
            shutil.copytree(ROOT / "docs" / folder, docs / folder)
    for name, text in pages.items():
        (docs / name).write_text(text, encoding="utf-8")
    # Snippet and template paths in mkdocs.yml are relative to the config file.
    for name in ("micrograd", "docsite", "node_modules"):
        if (ROOT / name).exists():
            (tmp / name).symlink_to(ROOT / name)
    config = tmp / "mkdocs.yml"
    config.write_text(f"INHERIT: {CONFIG}\ndocs_dir: docs\nnav:\n" + "".join(f"  - {name}\n" for name in pages))
    return config, docs


@pytest.fixture(scope="module", params=["docs", "demo"])
def build(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Build:
    tmp = tmp_path_factory.mktemp(request.param)
    if request.param == "docs":
        config, docs = CONFIG, ROOT / "docs"
        # The placeholder config only lets the loader accept `!relative` tags; the nav needs none.
        loader = get_yaml_loader(config=MkDocsConfig(str(CONFIG)))
        nav = nav_pages(yaml.load(CONFIG.read_text(), Loader=loader)["nav"])
    else:
        pages = {path.name: path.read_text(encoding="utf-8") for path in sorted(DEMO_DOCS.glob("*.md"))}
        config, docs = scratch_site(tmp, pages)
        nav = list(pages)
    returncode, log, seconds = mkdocs_build(config, tmp / "site")
    return Build(request.param, docs, tmp / "site", nav, returncode, log, seconds)


def built_html(build: Build, page: str) -> Path:
    return Path(File(page, str(build.docs), str(build.site), use_directory_urls=True).abs_dest_path)


def page_markdown(build: Build, page: str) -> str:
    return get_data((build.docs / page).read_text(encoding="utf-8"))[0]


def exec_blocks(markdown: str) -> list[page_blocks.Block]:
    return [b for b in cut_page(markdown).runnable if b.lang != "pycon"]


def pycon_blocks(markdown: str) -> list[page_blocks.Block]:
    return [b for b in cut_page(markdown).runnable if b.lang == "pycon"]


class VisibleText(HTMLParser):
    """The text a reader sees as prose: no code, scripts, styles, SVG or MathML."""

    HIDDEN = {"script", "style", "pre", "code", "svg", "math", "textarea"}

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in self.HIDDEN:
            self.depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in self.HIDDEN:
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if not self.depth:
            self.parts.append(data)


# A resource the browser would fetch from another host (anchor links are fine).
OTHER_HOST = [
    re.compile(r"""\bsrc\s*=\s*["']?\s*(?:https?:)?//""", re.I),
    re.compile(r"""<link\b[^>]*\bhref\s*=\s*["']?\s*(?:https?:)?//""", re.I),
    re.compile(r"""url\(\s*["']?\s*(?:https?:)?//""", re.I),
    re.compile(r"""@import\s+(?:url\()?\s*["']?\s*(?:https?:)?//""", re.I),
]


def test_the_other_host_check_catches_what_it_should() -> None:
    fetched = [
        '<script src="https://cdn.example.org/mathjax.js"></script>',
        '<link rel="stylesheet" href="//fonts.googleapis.com/css?family=Roboto">',
        "@font-face{src:url(https://fonts.gstatic.com/x.woff2)}",
        '@import "https://example.org/more.css";',
    ]
    assert all(any(p.search(text) for p in OTHER_HOST) for text in fetched)
    not_fetched = ['<a href="https://github.com/karpathy/micrograd">classic</a>', '<img src="assets/logo.png">']
    assert not any(p.search(text) for p in OTHER_HOST for text in not_fetched)


# --- the built sites -------------------------------------------------------------------


def test_build_is_clean(build: Build, capsys: pytest.CaptureFixture[str]) -> None:
    # No time budget here: build speed is measured by scripts/measure_build.py, not asserted.
    assert build.returncode == 0, build.log
    warnings = [line for line in build.log.splitlines() if "WARNING" in line]
    assert not warnings, "\n".join(warnings)
    with capsys.disabled():
        print(f"\n[{build.name}] mkdocs build --strict took {build.seconds:.1f} s")


def test_every_nav_page_is_built(build: Build) -> None:
    assert build.nav
    for page in build.nav:
        assert built_html(build, page).is_file(), page


def test_nothing_is_requested_from_other_hosts(build: Build) -> None:
    offenders = []
    for path in build.site.rglob("*"):
        if path.suffix in (".html", ".css", ".js"):
            text = path.read_text(encoding="utf-8", errors="replace")
            offenders += [f"{path.relative_to(build.site)}: {m.group()}" for p in OTHER_HOST for m in p.finditer(text)]
    assert not offenders, "\n".join(offenders)


def test_no_raw_math_is_left_in_page_text(build: Build) -> None:
    for page in build.nav:
        parser = VisibleText()
        parser.feed(built_html(build, page).read_text(encoding="utf-8"))
        text = "".join(parser.parts)
        for raw in ("$", "\\(", "\\)", "\\[", "\\]"):
            assert raw not in text, f"{page}: {raw!r} left in {text[max(0, text.find(raw) - 80) : text.find(raw) + 80]!r}"
        assert 'class="arithmatex"' not in built_html(build, page).read_text(encoding="utf-8")


def test_figures_are_where_the_markdown_asks(build: Build) -> None:
    for page in build.nav:
        asked = [(b.options["alt"], b.options.get("caption")) for b in exec_blocks(page_markdown(build, page)) if "alt" in b.options]
        page_html = built_html(build, page).read_text(encoding="utf-8")
        found = re.findall(
            r'<figure class="mg-figure mg-figure--(graph|plot)" data-search-exclude>\n'
            r'<div class="mg-figure__canvas" role="img" aria-label="([^"]*)"[^>]*><svg.*?</svg></div>'
            r"(?:\n<figcaption>(.*?)</figcaption>)?\n</figure>",
            page_html,
            re.DOTALL,
        )
        assert [(html.unescape(alt), html.unescape(caption) or None) for _, alt, caption in found] == asked, page


def test_graphs_scroll_at_natural_size_and_plots_scale() -> None:
    css = (ROOT / "docs" / "stylesheets" / "micrograd.css").read_text()
    graph_canvas = re.search(r"\.mg-figure--graph \.mg-figure__canvas \{(.*?)\}", css, re.DOTALL)[1]
    graph_svg = re.search(r"\.mg-figure--graph svg \{(.*?)\}", css, re.DOTALL)[1]
    assert "overflow-x: auto" in graph_canvas
    assert "max-width: none" in graph_svg


def test_pages_show_no_executor_internals(build: Build) -> None:
    """An expected exception shows as a REPL shows it, never with the executor's own frames."""
    for page in build.nav:
        text = built_html(build, page).read_text(encoding="utf-8")
        assert "doctest.py" not in text and "examples.py" not in text, page


def test_figures_are_kept_out_of_the_search_index(build: Build) -> None:
    index = (build.site / "search" / "search_index.json").read_text(encoding="utf-8")
    assert "<svg" not in index and "DejaVuSans" not in index and "clip-path" not in index


def test_pages_with_code_link_to_their_notebook(build: Build) -> None:
    import nbformat

    for page in build.nav:
        page_html = built_html(build, page)
        markdown = page_markdown(build, page)
        expected = chapter_notebooks.chapter_notebook(cut_page(markdown), markdown)
        name = Path(page).stem + ".ipynb"
        link = re.compile(rf'href="{re.escape(name)}" download>\s*{LINK_TEXT}</a>')
        if expected is None:
            assert LINK_TEXT not in page_html.read_text(encoding="utf-8"), page
            continue
        assert link.search(page_html.read_text(encoding="utf-8")), page
        written = nbformat.read(page_html.parent / name, as_version=4)
        nbformat.validate(written)
        # First what the notebook needs and a cell that installs it, one that shows figures; then the page.
        assert [c.cell_type for c in written.cells[:3]] == ["markdown", "code", "code"]
        assert [c.cell_type for c in written.cells[3:]] == [c.cell_type for c in expected.cells]
        wheel = re.search(r'Path\("([^"]+\.whl)"\)', written.cells[1].source)
        assert wheel and (page_html.parent / wheel.group(1)).is_file(), page  # the wheel the install cell finds


def test_copy_buttons_copy_code_without_prompts_or_output(build: Build) -> None:
    for page in build.nav:
        markdown = page_markdown(build, page)
        blocks = pycon_blocks(markdown)
        copies = re.findall(r'<div class="language-pycon mg-pycon[^"]*" data-copy="([^"]*)"', built_html(build, page).read_text(encoding="utf-8"))
        assert len(copies) == len(blocks), page
        for block, copied in zip(blocks, copies):
            copied = html.unescape(copied)
            sources = [examples.without_directives(e.source) for e in examples.pycon_examples(block)]
            assert [line for line in copied.split("\n") if line] == [line for s in sources for line in s.split("\n") if line]
            assert not re.search(r"^(>>>|\.\.\.)", copied, re.MULTILINE)


# A highlighted block, with the attributes of a wrapper right around it (Material copies the
# `data-copy` of the nearest element that has one).
_CODE_BLOCK = re.compile(
    r'(?:<div (?P<wrapper>[^>]*)>\s*)?<div class="[^"]*\bhighlight\b[^"]*"(?P<attributes>[^>]*)>(?:(?!</div>).)*?<code[^>]*>(?P<code>.*?)</code>',
    re.DOTALL,
)


def example_blocks(page_html: str) -> list[tuple[str, str | None]]:
    """Each highlighted block holding a `>>>` line: its text as shown, and its copy text (None if it has none)."""
    blocks = []
    for match in _CODE_BLOCK.finditer(page_html):
        shown = html.unescape(re.sub(r"<[^>]+>", "", match["code"]))
        if re.search(r"^>>>( |$)", shown, re.MULTILINE):
            copy = re.search(r'\bdata-copy="([^"]*)"', match["attributes"]) or re.search(r'\bdata-copy="([^"]*)"', match["wrapper"] or "")
            blocks.append((shown, html.unescape(copy[1]) if copy else None))
    return blocks


@pytest.mark.parametrize("build", ["docs"], indirect=True)
def test_docstring_examples_copy_code_that_runs_alone(build: Build) -> None:
    """Every >>> block of every page copies its code only; the API reference's blocks each run in a fresh namespace."""
    reference_blocks = 0
    for page in build.nav:
        page_html = built_html(build, page).read_text(encoding="utf-8")
        for shown, copied in example_blocks(page_html):
            first_line = shown.strip().split("\n")[0]
            assert copied is not None, f"{page}: `{first_line}` has no data-copy, so its copy button copies prompts and output"
            examples = doctest.DocTestParser().get_examples(shown)
            assert [line for line in copied.split("\n") if line] == [line for e in examples for line in e.source.split("\n") if line]
            if page == "reference.md":
                reference_blocks += 1
                # A fresh namespace per block: each docstring example must import what it uses.
                test = doctest.DocTest(examples, {"__name__": "__main__"}, f"{page}: {first_line}", None, None, None)
                runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
                report = io.StringIO()
                runner.run(test, out=report.write)
                assert not runner.failures, report.getvalue()
    assert reference_blocks > 0


@pytest.mark.parametrize("build", ["demo"], indirect=True)
def test_the_demo_page_renders_every_feature(build: Build) -> None:
    from micrograd.engine import Value
    from micrograd.nn import MLP

    page_html = built_html(build, "demo.md").read_text(encoding="utf-8")
    text = html.unescape(re.sub(r"<[^>]+>", "", page_html))
    with pytest.raises(TypeError) as error:
        Value("x")
    # The page wrote "TypeError: Value wraps a real number..."; the site shows the message produced.
    assert f"TypeError: {error.value}" in text
    assert f"{len(MLP(2, [4, 1], rng=0).parameters())} parameters" in text  # printed by an exec block
    assert '<div class="language-text mg-output highlight">' in page_html
    assert '<span class="filename">train.py</span>' in page_html
    assert "def backward(self) -> None:" in text  # the snippet from micrograd/engine.py
    assert page_html.count("<math ") >= 2 and 'display="block"' in page_html
    assert "from micrograd.viz import draw_dot" not in text  # hide_code
    assert page_html.count("<figure") == 2


@pytest.mark.parametrize("build", ["demo"], indirect=True)
def test_two_builds_are_byte_identical(build: Build, tmp_path: Path) -> None:
    config, _ = scratch_site(tmp_path, {"demo.md": (build.docs / "demo.md").read_text(encoding="utf-8")})
    returncode, log, _ = mkdocs_build(config, tmp_path / "site")
    assert returncode == 0, log
    for name in ("demo/index.html", "demo/demo.ipynb"):
        assert (tmp_path / "site" / name).read_bytes() == (build.site / name).read_bytes(), name


@pytest.mark.parametrize("build", ["docs"], indirect=True)
def test_a_fresh_build_of_the_chapters_is_byte_identical(build: Build, tmp_path: Path) -> None:
    """Every chapter run again from scratch (its own empty cache) gives the same pages and notebooks."""
    text = CONFIG.read_text(encoding="utf-8").replace("\n  - micrograd-docsite\n", "\n  - micrograd-docsite:\n      cache_dir: fresh-cache\n")
    shutil.copytree(ROOT / "docs", tmp_path / "docs")
    for name in ("micrograd", "docsite", "node_modules"):
        (tmp_path / name).symlink_to(ROOT / name)
    (tmp_path / "mkdocs.yml").write_text(text, encoding="utf-8")
    returncode, log, _ = mkdocs_build(tmp_path / "mkdocs.yml", tmp_path / "site")
    assert returncode == 0, log
    assert "0 from the cache" in log
    compared = 0
    # A page that shows times measured at build (front matter `timed: true`) differs in those numbers only.
    timed = {p.stem for p in (ROOT / "docs").glob("*.md") if get_data(p.read_text(encoding="utf-8"))[1].get("timed")}
    for path in sorted(build.site.rglob("*")):
        if path.suffix == ".html" and path.parent.name in timed:
            continue
        if path.suffix in (".html", ".ipynb") and "search" not in path.parts:
            fresh, first = (tmp_path / "site" / path.relative_to(build.site)).read_bytes(), path.read_bytes()
            if "compiling" in path.parts:  # the chapter measures its own speed at build: only those numbers vary
                fresh, first = measured_times_masked(fresh), measured_times_masked(first)
            assert fresh == first, path
            compared += 1
    notebooks = [path for path in build.site.rglob("*.ipynb") if "search" not in path.parts]
    # every page and every notebook (tool pages have none), but the pages whose measured numbers vary
    assert compared >= len(build.nav) + len(notebooks) - len(timed)


def measured_times_masked(page: bytes) -> bytes:
    """A page with every measured time ("12.34 ms", "9.4 times faster") replaced by a placeholder.

    Examples:
        >>> measured_times_masked(b"eager step  12.34 ms  (9.4 times faster)")
        b'eager step # ms  (# times faster)'
        >>> measured_times_masked(b"step   9.63 ms") == measured_times_masked(b"step  10.20 ms")  # padded to a width
        True
    """
    return re.sub(rb" *\d+\.\d+( ms)|\d+\.\d+( times faster)", lambda m: b" #" + m[1] if m[1] else b"#" + m[2], page)


# --- pages that must fail the build ---------------------------------------------------

BROKEN_PAGES = {
    "wrong-output": (
        "# Broken\n\n```pycon\n>>> 1 + 1\n3\n\n```\n",
        ["wrong-output.md:4", "Expected:", "3", "Got:", "2"],
    ),
    "missing-snippet": (
        '# Broken\n\n```python\n--8<-- "micrograd/engine.py:no_such_section"\n```\n',
        ["no_such_section"],
    ),
    "raises": (
        '---\ntitle: Front matter shifts lines\n---\n# Broken\n\n```python exec="on"\nx = 1\n1 / 0\n```\n',
        ["raises.md:6: the exec block raised", 'raises.md", line 8', "ZeroDivisionError"],
    ),
    "prose-example": (
        "# Broken\n\nLike this:\n\n>>> 1 + 1\n3\n",
        ["prose-example.md:5: a >>> example outside a pycon block is never run"],
    ),
    "nested-wrong-output": (
        '# Broken\n\n!!! note\n\n    ```pycon\n    >>> 2 * 2\n    5\n    ```\n',
        ["nested-wrong-output.md:6", "Expected:", "5", "Got:", "4"],
    ),
}


@pytest.mark.parametrize("name", sorted(BROKEN_PAGES))
def test_a_broken_page_fails_the_build(name: str, tmp_path: Path) -> None:
    text, expected_in_log = BROKEN_PAGES[name]
    config, _ = scratch_site(tmp_path, {f"{name}.md": text})
    returncode, log, _ = mkdocs_build(config, tmp_path / "site")
    assert returncode != 0
    for expected in expected_in_log:
        assert expected in log, log




def test_a_page_with_two_figures_defines_each_id_once(tmp_path: Path) -> None:
    """Without per-figure id scoping the two drawings would define the same ids."""
    draw = 'from micrograd.engine import Value\nfrom micrograd.viz import draw_dot\ndraw_dot(Value(1.0, label="x") * {k})'
    page = "# Two\n\n" + "".join(f'```python exec="on" alt="graph {k}"\n{draw.format(k=k)}\n```\n\n' for k in (2, 3))
    config, _ = scratch_site(tmp_path, {"two.md": page})
    returncode, log, _ = mkdocs_build(config, tmp_path / "site")
    assert returncode == 0, log
    page_html = (tmp_path / "site" / "two" / "index.html").read_text(encoding="utf-8")
    ids = Counter(re.findall(r'\sid="([^"]+)"', page_html))
    assert page_html.count("<figure class=\"mg-figure") == 2
    assert [name for name, count in ids.items() if count > 1] == []


# --- serve: a broken page shows its error; fixing it brings the page back ------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def fetch_when(url: str, wanted: str, timeout: float = 60.0) -> str:
    deadline = time.monotonic() + timeout
    last = ""
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                last = response.read().decode("utf-8")
            if wanted in last:
                return last
        except OSError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"{url} never showed {wanted!r}; last response:\n{last[:2000]}")


def test_serve_shows_a_failing_example_on_its_page_and_recovers(tmp_path: Path) -> None:
    config, docs = scratch_site(tmp_path, {"page.md": "# Sums\n\n```pycon\n>>> 20 + 22\n41\n```\n"})
    port = free_port()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    command = [sys.executable, "-m", "mkdocs", "serve", "--strict", "-f", str(config), "-a", f"127.0.0.1:{port}"]
    server = subprocess.Popen(command, cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        broken = fetch_when(f"http://127.0.0.1:{port}/page/", "An example on this page failed")
        assert "docs/page.md:4: the example" in html.unescape(broken)
        (docs / "page.md").write_text("# Sums\n\n```pycon\n>>> 20 + 22\n42\n```\n", encoding="utf-8")
        fixed = fetch_when(f"http://127.0.0.1:{port}/page/", "mg-pycon")
        assert "An example on this page failed" not in fixed
    finally:
        server.terminate()
        output = server.communicate(timeout=30)[0]
    assert "EXAMPLE FAILED" in output


# --- the executor, in-process ------------------------------------------------------------


def run(markdown: str) -> list[examples.BlockResult]:
    return run_page("page.md", markdown, cut_page(markdown).runnable)


def test_an_exception_in_an_exec_block_names_page_line_and_traceback() -> None:
    page = '# T\n\n```python exec="on"\nx = 1\n1 / 0\n```\n'
    with pytest.raises(ExampleError) as error:
        run(page)
    message = str(error.value)
    assert message.startswith("page.md:3: the exec block raised an exception")
    assert 'File "page.md", line 5' in message and "1 / 0" in message and "ZeroDivisionError" in message


def test_an_unexpected_exception_in_a_pycon_block_fails() -> None:
    with pytest.raises(ExampleError, match=r"page\.md:2: the example raised an exception(.|\n)*KeyError"):
        run("```pycon\n>>> {}['missing']\n```\n")


def test_a_wrong_output_names_its_line_expected_and_got() -> None:
    with pytest.raises(ExampleError) as error:
        run("# T\n\n```pycon\n>>> x = 1\n>>> x + 1\n3\n```\n")
    assert str(error.value).startswith("page.md:5: the example's output differs")
    assert "Expected:\n    3\nGot:\n    2" in str(error.value)


def test_an_expected_exception_is_shown_as_raised() -> None:
    (result,) = run("```pycon\n>>> print(1); int('x')\nTraceback (most recent call last):\nValueError: ...\n```\n")
    assert result.shown == (
        ">>> print(1); int('x')\n1\nTraceback (most recent call last):\n  ...\n"
        "ValueError: invalid literal for int() with base 10: 'x'\n"
    )
    with pytest.raises(ExampleError, match="differs"):
        run("```pycon\n>>> int('x')\nTraceback (most recent call last):\nTypeError: ...\n```\n")


def test_exception_detail_is_ignored_only_when_asked() -> None:
    page = "```pycon\n>>> int('x')  # doctest: +IGNORE_EXCEPTION_DETAIL\nTraceback (most recent call last):\nValueError: other words\n```\n"
    (result,) = run(page)
    assert "invalid literal" in result.shown
    with pytest.raises(ExampleError, match="differs"):
        run(page.replace("  # doctest: +IGNORE_EXCEPTION_DETAIL", ""))


def test_shown_output_is_the_produced_output() -> None:
    (result,) = run("```pycon\n>>> print('abcdef')  # doctest: +ELLIPSIS\na...f\n>>> 2\n2\n```\n")
    assert result.shown == ">>> print('abcdef')\nabcdef\n>>> 2\n2\n"  # directive dropped, real output shown
    assert result.copy == "print('abcdef')\n2\n"


def test_ellipsis_is_on_and_other_directives_work() -> None:
    run("```pycon\n>>> list(range(20))\n[0, 1, ..., 19]\n>>> print('a  b')  # doctest: +NORMALIZE_WHITESPACE\na b\n```\n")
    with pytest.raises(ExampleError, match="differs"):
        run("```pycon\n>>> print('a  b')\na b\n```\n")
    with pytest.raises(ExampleError, match="differs"):
        run("```pycon\n>>> list(range(20))  # doctest: -ELLIPSIS\n[0, 1, ..., 19]\n```\n")


def test_skip_is_refused() -> None:
    with pytest.raises(ExampleError, match=r"^page\.md:2: \+SKIP is not allowed"):
        run("```pycon\n>>> 1  # doctest: +SKIP\n2\n```\n")


def test_exec_blocks_and_pycon_blocks_share_the_page_namespace_in_order() -> None:
    results = run('```python exec="on"\nx = 41\n```\n\n```pycon\n>>> x + 1\n42\n>>> x = 7\n>>> del y\nTraceback (most recent call last):\nNameError: ...\n```\n\n```python exec="on"\nprint(x)\n```\n')
    assert results[-1].shown == "7\n"


def test_a_function_from_an_earlier_block_sees_later_redefinitions() -> None:
    # As in a notebook: a chapter redefines a class it grows, and helpers defined before use the new one.
    page = "```pycon\n>>> class V: pass\n>>> def make(): return V()\n```\n\n"
    page += "```pycon\n>>> class V:\n...     grown = True\n>>> make().grown\nTrue\n```\n"
    assert run(page)[-1].shown.endswith("True\n")


def test_the_last_expression_is_shown_like_a_notebook_shows_it() -> None:
    def output(code: str) -> str:
        return run(f'```python exec="on"\n{code}\n```')[0].shown

    assert output("print('hi')\n6 * 7") == "hi\n42\n"
    assert output("x = [1]\nx.append(2)") == ""  # None shows nothing
    assert output("'text'") == "'text'\n"  # the repr, as the REPL would
    assert output("6 * 7;") == ""  # a trailing semicolon hides it
    with pytest.raises(ExampleError, match="memory address"):
        output("object()")


def test_blocks_using_numpy_and_blocks_reading_their_names_need_numpy() -> None:
    results = run(
        '```pycon\n>>> import numpy as np\n>>> a = np.ones(2)\n\n```\n\n'
        '```python exec="on"\nb = 3\nprint(b)\n```\n\n'  # uses nothing from NumPy: runs in the page
        '```pycon\n>>> float(a.sum()) + b\n5.0\n\n```\n\n'  # reads `a`, which the NumPy block made
        '```python exec="on"\ndef f(x):\n    a = x\n    return a\nprint(f(b))\n```\n'  # its own local `a`
    )
    assert [r.needs for r in results] == ["numpy", "", "numpy", ""]


def test_figures_need_alt_text_and_alt_text_needs_a_figure() -> None:
    draw = "from micrograd.engine import Value\nfrom micrograd.viz import draw_dot\ndraw_dot(Value(1.0) * 2)"
    with pytest.raises(ExampleError, match=r'page\.md:1: this exec block draws a figure, so it needs alt="..."'):
        run(f'```python exec="on"\n{draw}\n```\n')
    with pytest.raises(ExampleError, match="not a figure"):
        run('```python exec="on" alt="nothing"\n1 + 1\n```\n')
    with pytest.raises(ExampleError, match="unknown fence option hidecode"):
        run('```python exec="on" hidecode\nx = 1\n```\n')


def test_a_figure_is_inlined_accessibly_and_byte_stable() -> None:
    page = get_data((DEMO_DOCS / "demo.md").read_text(encoding="utf-8"))[0]
    first, second = run(page), run(page)
    assert first == second
    figures = [r.figure for r in first if r.figure]
    graph = next(f for f in figures if "mg-figure--graph" in f)
    assert 'role="img" aria-label="The computation graph of c = a*b + 10" tabindex="0"><svg' in graph
    ids = [re.findall(r'\sid="([^"]+)"', f) for f in figures]
    assert not set(ids[0]) & set(ids[1])  # each figure's ids are its own


def test_blocks_are_what_superfences_renders() -> None:
    """Fences inside admonitions and tabs count; a fence inside a longer fence is only text."""
    page = '!!! note\n\n    ```pycon\n    >>> 1\n    1\n    ```\n\n````markdown\n```pycon\n>>> 2\n```\n````\n\n=== "Tab"\n\n    ```python exec="on"\n    print(3)\n    ```\n'
    cut = cut_page(page)
    assert [(b.lang, b.line, b.end_line) for b in cut.blocks] == [("pycon", 3, 6), ("markdown", 8, 12), ("python", 16, 18)]
    assert [b.lang for b in cut.runnable] == ["pycon", "python"]


def test_the_cache_key_ignores_prose_and_follows_code_library_and_build(tmp_path: Path) -> None:
    page = "# T\n\nSome prose.\n\n```pycon\n>>> 1\n1\n```\n"
    key = results_cache.page_key("p.md", cut_page(page).runnable, "env")
    assert results_cache.page_key("p.md", cut_page(page.replace("Some prose.", "Other\n\nprose.")).runnable, "env") == key
    assert results_cache.page_key("p.md", cut_page(page.replace(">>> 1\n1", ">>> 2\n2")).runnable, "env") != key
    assert results_cache.page_key("p.md", cut_page(page).runnable, "other env") != key
    (tmp_path / "module.py").write_text("X = 1\n")
    before = results_cache.folder_digest([tmp_path])
    (tmp_path / "module.py").write_text("X = 2\n")
    assert results_cache.folder_digest([tmp_path]) != before
    assert results_cache.environment_digest() == results_cache.environment_digest()


def test_math_becomes_mathml() -> None:
    converted = latex_math.render_math('<p><span class="arithmatex">\\(a &lt; b\\)</span></p><div class="arithmatex">\\[x^2\\]</div>')
    assert "\\(" not in converted and "<mo>&#x0003C;</mo>" in converted
    assert '<div class="mg-math"><math xmlns="http://www.w3.org/1998/Math/MathML" display="block">' in converted
    with pytest.raises(latex_math.MathError, match="frac"):
        latex_math.latex_to_mathml("\\frac{1}{")


@pytest.mark.parametrize("module", PACKAGE_MODULES, ids=lambda m: m.__name__)
def test_package_docstring_examples(module: object, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # snippet paths are relative to the repository root
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted and not result.failed


def test_nothing_edits_sys_path() -> None:
    """The build package and the library are imported as installed packages, never through sys.path edits."""
    offenders = []
    for folder in ("docsite", "micrograd", "tests", "scripts"):
        for path in (ROOT / folder).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            if re.search(r"sys\.path\.(insert|append)|syspath_prepend", text) and path != Path(__file__):
                offenders.append(str(path.relative_to(ROOT)))
    assert offenders == ["scripts/bench.py"]  # bench.py runs classic micrograd from its own folder, in a subprocess


@pytest.mark.parametrize("build", ["docs"], indirect=True)
def test_the_reference_shows_docstrings_as_written(build: Build) -> None:
    """Formulas keep their `*` and `**`, a `>` stays text: no stray emphasis, no block quotes."""
    page_html = built_html(build, "reference.md").read_text(encoding="utf-8")
    text = html.unescape(re.sub(r"<[^>]+>", "", page_html))
    for line in ("m = b1*m + (1-b1)*g", "v = b2*v + (1-b2)*g*g", "p = p - lr/(1-b1**t) * m / (sqrt(v)/sqrt(1-b2**t) + eps)"):
        assert line in text
    assert "never 0 (eps > 0)" in text
    assert "<blockquote>" not in page_html
    emphasised = re.findall(r"<(em|strong)>(.*?)</\1>", page_html)
    assert all(inner in ("required",) for _, inner in emphasised), emphasised


@pytest.mark.parametrize("build", ["docs"], indirect=True)
def test_the_notices_page_names_what_the_site_ships_at_its_versions(build: Build) -> None:
    import importlib.metadata

    lock = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))["packages"]
    text = " ".join(html.unescape(re.sub(r"<[^>]+>", "", built_html(build, "notices.md").read_text(encoding="utf-8"))).split())
    for package, name in (("pyodide", "Pyodide"), ("@viz-js/viz", "viz.js"), ("@fontsource/noto-sans-math", "Noto Sans Math")):
        version = lock[f"node_modules/{package}"]["version"]
        assert re.search(rf"{re.escape(name)}.*?{re.escape(version)}", text, re.DOTALL), (name, version)
        assert (build.site / "assets").exists()
    assert importlib.metadata.version("graphviz") in text
    assert (build.site / "assets" / "fonts" / "noto-sans-math-OFL.txt").is_file()
    for licence in ("Mozilla Public License 2.0", "Python Software Foundation License", "Eclipse Public License 1.0", "Open Font License 1.1"):
        assert licence in text


@pytest.mark.parametrize("build", ["docs"], indirect=True)
def test_exercise_pages_are_the_sites_own_and_offer_their_notebook(build: Build) -> None:
    """mkdocs-jupyter's scripts and styles are gone, every code cell runs in the page, both downloads are there."""
    import nbformat
    from docsite.exercise_notebooks import read_exercises

    sources = sorted((build.docs / "exercises").glob("*.py"))
    assert len(sources) >= 13
    for source in sources:
        folder = build.site / "exercises" / source.stem
        page = (folder / "index.html").read_text(encoding="utf-8")
        article = page[page.index("<article") : page.index("</article>")]
        assert "<script" not in article and "<style" not in article and "jp-Cell" not in article, source.name
        cells = read_exercises(source.read_text(encoding="utf-8"), source.name)
        assert article.count('<div class="mg-run"') == sum(cell.kind == "code" for cell in cells), source.name
        assert article.count('<details class="success mg-solution">') == sum(cell.role == "solution" for cell in cells)
        parser = VisibleText()
        parser.feed(article)
        assert "$" not in "".join(parser.parts), source.name  # math went to MathML, like the chapters'
        assert f'href="{source.stem}.ipynb" download>Download these exercises as a notebook</a>' in article
        assert f'href="{source.stem}.py" download>' in article
        assert (folder / f"{source.stem}.py").read_bytes() == source.read_bytes()
        notebook = nbformat.read(folder / f"{source.stem}.ipynb", as_version=4)
        nbformat.validate(notebook)
        tags = [cell.metadata.get("tags", []) for cell in notebook.cells]
        assert sum(tag == ["check"] for tag in tags) == sum(cell.role == "check" for cell in cells)
