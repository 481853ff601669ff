"""The MkDocs plugin: run every chapter's examples, show their results, write notebooks, render math.

One build, in MkDocs' order of events:

1. `on_config`: registers the `pycon` and `python exec` custom fences and the
   theme templates.
2. `on_files`: cuts every page into blocks (with superfences itself), takes
   the results of pages whose code is unchanged from the cache, and starts the
   others in worker processes, in parallel.
3. `on_page_markdown`: waits for the page's results (a failure stops the build
   with `page:line`; under `mkdocs serve` it is shown on the page instead) and
   hands them to the fences, which put them in the page as it is converted.
4. `on_page_content`: renders math; `on_post_page` writes the page's notebook.

Exercise notebooks (`docs/exercises/*.py`, see `exercise_notebooks`) go the
same way: `on_files` reads them and runs their code cells with the chapters'
executor (cached, in the same pool); mkdocs-jupyter renders their prose, and
`on_page_content` checks that every solution passes its check and makes their
code cells runnable.
"""

from __future__ import annotations

import dataclasses
import html
import importlib.metadata
import json
import logging
import posixpath
import time
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink, TableOfContents, get_toc
from mkdocs.utils.meta import get_data
from mkdocs.utils.templates import TemplateContext

from .browser_bundle import bundle_zip, data_files
from .chapter_notebooks import SNIPPETS, NotebookSite, chapter_notebook, notebook_extras, notebook_json
from .examples import BlockResult, ExampleError
from .exercise_notebooks import (
    ExerciseCell,
    code_blocks,
    exercise_notebook,
    exercise_page_html,
    failed_checks,
    is_exercise_file,
    read_exercises,
)
from .fences import PageFences, highlighter
from .latex_math import MathError, plain_title, render_math, render_title
from .library_wheel import Wheel, build_wheel
from .page_blocks import Block, PageText, page_blocks, prose_doctests
from .results_cache import ResultsCache, environment_digest, page_key, text_key
from .site_assets import MissingAsset, served_files
from .workers import Outcome, PagePool

TEMPLATES = Path(__file__).parent / "templates"
# docs/javascripts/python-worker.mjs loads these: the Python packages, and the files chapters read.
BUNDLE_PATH = "assets/runtime/python-bundle.zip"
DATA_PATH = "assets/runtime/page-files.zip"
WHEEL_FOLDER = "assets"  # the wheel's folder in the site
JUPYTER_PLUGIN = "mkdocs-jupyter"  # renders the exercise notebooks' pages
RENDERING_PACKAGES = ("mkdocs-jupyter", "nbconvert", "jupytext", "mistune", "pygments", "mkdocs")
SUPERFENCES = "pymdownx.superfences"
log = logging.getLogger("mkdocs.plugins.docsite")
# Under `mkdocs serve` a failing example is reported here and shown on its page;
# a logger outside "mkdocs" is not counted as a warning, so serving goes on.
serve_log = logging.getLogger("docsite")


@dataclass
class _PagePlan:
    """What `on_files` learned about one page."""

    filename: str
    markdown: str
    page: PageText | None
    key: str
    results: list[BlockResult] | None = None
    future: Future[Outcome] | None = None
    exercises: list[ExerciseCell] | None = None  # an exercise notebook's cells (then `page` is None)


class DocsiteConfig(base.Config):
    """The plugin's options in mkdocs.yml."""

    cache_dir = c.Type(str, default=".cache/docsite")  # relative to mkdocs.yml; git-ignored
    workers = c.Type(int, default=0)  # worker processes; 0: one per CPU, at most 4


class DocsitePlugin(BasePlugin[DocsiteConfig]):
    """Runs micrograd's chapters at build time (see the module docstring)."""

    def __init__(self) -> None:
        self.serving = False
        self.fences = PageFences()
        self._plans: dict[str, _PagePlan] = {}
        self._notebooks: dict[str, str] = {}
        self._sources: dict[str, str] = {}  # exercise notebooks' .py text, published next to their page
        self.wheel: Wheel | None = None
        self._pool: PagePool | None = None
        self._cache: ResultsCache | None = None
        self._environment = ""
        self.stats = {"cached": 0, "executed": 0}

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.serving = command == "serve"

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        if SUPERFENCES not in config.markdown_extensions:
            raise PluginError(f"the micrograd-docsite plugin needs the {SUPERFENCES} Markdown extension")
        fences_config = config.mdx_configs.setdefault(SUPERFENCES, {})
        fences_config["custom_fences"] = [*fences_config.get("custom_fences", []), *self.fences.custom_fences()]
        config.theme.dirs.insert(0, str(TEMPLATES))
        folder = _project(config) / self.config.cache_dir
        self._cache = ResultsCache(folder / "results")
        self._pool = PagePool(folder / "timings.json", self.config.workers or None)
        self._plans, self._notebooks, self._sources = {}, {}, {}
        self.stats = {"cached": 0, "executed": 0}
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        assert self._cache is not None and self._pool is not None
        project = _project(config)
        try:
            assets = served_files(project / "node_modules")
        except MissingAsset as error:
            raise PluginError(str(error)) from None
        for destination, source in assets.items():
            files.append(File.generated(config, destination, abs_src_path=str(source)))
        files.append(File.generated(config, BUNDLE_PATH, content=bundle_zip()))
        files.append(File.generated(config, DATA_PATH, content=bundle_zip(data_files(project))))
        # The library's wheel, which the notebooks install (see chapter_notebooks.install_cells).
        self.wheel = build_wheel()
        files.append(File.generated(config, f"{WHEEL_FOLDER}/{self.wheel.name}", content=self.wheel.data))
        environment = self._environment = environment_digest()
        jobs = self._exercise_jobs(files, project, environment)
        for file in files.documentation_pages():
            if is_exercise_file(file.src_uri):
                continue
            filename = _display_name(file.abs_src_path or file.src_uri, project)
            text = file.content_string
            markdown = get_data(text)[0]
            first_line = text[: len(text) - len(markdown)].count("\n") + 1 if text.endswith(markdown) else 1
            page = page_blocks(markdown, first_line)
            stray = prose_doctests(page)
            if stray:
                raise PluginError(f"{filename}:{stray[0]}: a >>> example outside a pycon block is never run; "
                                  "put it in a ```pycon block (or write it as inline code)")
            plan = _PagePlan(filename, markdown, page, page_key(filename, page.runnable, environment))
            self._plans[file.src_uri] = plan
            if not page.runnable:
                plan.results = []
                continue
            plan.results = self._cache.load(plan.key)
            if plan.results is None:
                jobs.append((filename, text, page.runnable))
            else:
                self.stats["cached"] += 1
        futures = self._pool.submit_all(jobs) if jobs else {}
        for plan in self._plans.values():
            plan.future = futures.get(plan.filename)
        self.stats["executed"] = len(jobs)
        return files

    def _exercise_jobs(self, files: Files, project: Path, environment: str) -> list[tuple[str, str, list[Block]]]:
        """Plan every exercise notebook: results from the cache, or a job that runs its code cells."""
        assert self._cache is not None
        jobs = []
        for file in files:
            if not is_exercise_file(file.src_uri):
                continue
            filename = _display_name(file.abs_src_path or file.src_uri, project)
            text = file.content_string
            try:
                cells = read_exercises(text, filename)
            except ExampleError as error:
                raise PluginError(str(error)) from None
            blocks = code_blocks(cells)
            plan = _PagePlan(filename, text, None, page_key(filename, blocks, environment), exercises=cells)
            self._plans[file.src_uri] = plan
            plan.results = self._cache.load(plan.key)
            if plan.results is None:
                jobs.append((filename, text, blocks))
            else:
                self.stats["cached"] += 1
        return jobs

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        plan = self._plans.get(page.file.src_uri)
        if plan is not None and plan.exercises is not None:
            self._cache_rendering(page, plan, config)
            return markdown  # mkdocs-jupyter renders the notebook; on_page_content finishes it
        if plan is None or plan.markdown != markdown or plan.page is None:
            raise PluginError(f"{page.file.src_uri}: the page changed after its examples were collected")
        try:
            results = self._results(plan)
        except ExampleError as error:
            if not self.serving:
                raise PluginError(str(error)) from None
            serve_log.error("EXAMPLE FAILED %s", error)
            self.fences.start_page(plan.filename, [])
            return _error_page(str(error))
        self.fences.start_page(plan.filename, results)
        snippets = config.mdx_configs.get(SNIPPETS)
        if page.meta.get("notebook", True):
            site = self._notebook_site(page, files, config, notebook_extras(plan.page.runnable))
            text = self._notebook(plan, markdown, snippets, site)
            if text is not None:
                self._notebooks[page.file.src_uri] = text
        return markdown

    def _notebook(self, plan: _PagePlan, markdown: str, snippets: Any, site: NotebookSite) -> str | None:
        """The page's notebook as JSON text, or None; cached like the results (it is rebuilt on every save)."""
        assert self._cache is not None and plan.page is not None
        if not plan.page.runnable:
            return None
        key = text_key("notebook", markdown, snippets, dataclasses.asdict(site), self._environment)
        text = self._cache.load_text(key)
        if text is None:
            notebook = chapter_notebook(plan.page, markdown, snippets, plan.filename, site)
            text = notebook_json(notebook) if notebook is not None else ""
            self._cache.store_text(key, text)
        return text or None

    def on_page_content(self, html_text: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        plan = self._plans.get(page.file.src_uri)
        if plan is not None and plan.exercises is not None:
            try:
                html_text = self._exercise_page(plan, html_text, page, files, config)
            except ExampleError as error:
                if not self.serving:
                    raise PluginError(str(error)) from None
                serve_log.error("EXERCISE FAILED %s", error)
                return _error_html(str(error))
        try:
            self.fences.finish_page()
            rendered = render_math(html_text)
            for item in page.toc:
                _render_toc(item)
        except (ExampleError, MathError) as error:
            raise PluginError(f"{page.file.src_uri}: {error}") from None
        if page.title:
            page.title = plain_title(page.title)
        return rendered

    def _cache_rendering(self, page: Page, plan: _PagePlan, config: MkDocsConfig) -> None:
        """Keep mkdocs-jupyter's rendering of an exercise notebook in the results cache.

        mkdocs-jupyter converts every notebook on every build (its own cache is
        off: it keys on the file alone). Its HTML depends on nothing but the
        notebook, its settings and the converting packages, so that is the key;
        the cells' results are cached apart, keyed like a chapter's.
        """
        assert self._cache is not None
        cache, render = self._cache, page.render  # mkdocs-jupyter's, set by its on_pre_page
        settings = {name: str(value) for name, value in config.plugins[JUPYTER_PLUGIN].config.items()}
        versions = [importlib.metadata.version(name) for name in RENDERING_PACKAGES]
        key = text_key("exercise-page", plan.markdown, settings, versions)

        def cached_render(config: MkDocsConfig, files: Files) -> None:
            stored = cache.load_text(key)
            if stored is not None:
                rendered = json.loads(stored)
                page.content, page.toc = rendered["content"], get_toc(rendered["toc"])
                return
            render(config, files)
            cache.store_text(key, json.dumps({"content": page.content, "toc": _toc_tokens(page.toc)}))

        page.render = cached_render  # type: ignore[method-assign]

    def _exercise_page(self, plan: _PagePlan, html_text: str, page: Page, files: Files, config: MkDocsConfig) -> str:
        """Check an exercise notebook's solutions, make its cells runnable, keep its downloads."""
        assert plan.exercises is not None
        results = self._results(plan)
        failures = failed_checks(plan.exercises, results, plan.filename)
        if failures:
            raise ExampleError("\n".join(failures))
        rendered = exercise_page_html(html_text, plan.exercises, results, highlighter(config))
        notebook = exercise_notebook(plan.exercises, self._notebook_site(page, files, config))
        self._notebooks[page.file.src_uri] = notebook_json(notebook)
        self._sources[page.file.src_uri] = plan.markdown
        return rendered

    def on_page_context(self, context: TemplateContext, *, page: Page, config: MkDocsConfig,
                        nav: Navigation) -> TemplateContext:
        if page.file.src_uri in self._notebooks:
            context["notebook_url"] = notebook_name(page)  # type: ignore[typeddict-unknown-key]
        if page.file.src_uri in self._sources:
            context["notebook_label"] = "Download these exercises as a notebook"  # type: ignore[typeddict-unknown-key]
            context["source_url"] = Path(page.file.src_uri).name  # type: ignore[typeddict-unknown-key]
        return context

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        notebook = self._notebooks.pop(page.file.src_uri, None)
        if notebook is not None:
            path = Path(page.file.abs_dest_path).parent / notebook_name(page)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(notebook, encoding="utf-8")
        source = self._sources.pop(page.file.src_uri, None)
        if source is not None:  # the exercises' jupytext source, for readers who keep notebooks as .py
            (Path(page.file.abs_dest_path).parent / Path(page.file.src_uri).name).write_text(source, encoding="utf-8")
        return output

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        self._close()
        log.info("docsite: %d page(s) executed, %d from the cache", self.stats["executed"], self.stats["cached"])

    def on_build_error(self, *, error: Exception) -> None:
        self._close()

    def _notebook_site(self, page: Page, files: Files, config: MkDocsConfig,
                       extras: tuple[str, ...] = ("viz",)) -> NotebookSite:
        """Where the page's notebook is published and what it installs: its first cells and links depend on it."""
        assert self.wheel is not None
        titles = {file.src_uri: (file.url, (file.page.title if file.page else None) or "") for file in files}
        notebook = posixpath.join(posixpath.dirname(page.file.dest_uri), notebook_name(page))
        return NotebookSite(page.file.src_uri, notebook, f"{WHEEL_FOLDER}/{self.wheel.name}",
                            self.wheel.version, titles, config.site_url, extras)

    def _results(self, plan: _PagePlan) -> list[BlockResult]:
        if plan.results is not None:
            return plan.results
        assert plan.future is not None and self._cache is not None and self._pool is not None
        start = time.perf_counter()
        results, error, seconds = plan.future.result()
        waited = time.perf_counter() - start
        if waited > 1.0:
            log.debug("docsite: waited %.1f s for %s", waited, plan.filename)
        self._pool.record(plan.filename, seconds)
        if results is None:
            raise ExampleError(error)
        self._cache.store(plan.key, results)
        plan.results = results
        return results

    def _close(self) -> None:
        if self._pool is not None:
            self._pool.close()


def notebook_name(page: Page) -> str:
    """The notebook's file name: the page's source name with `.ipynb` (e.g. "value.ipynb")."""
    return Path(page.file.src_uri).stem + ".ipynb"


def _project(config: MkDocsConfig) -> Path:
    """The folder of mkdocs.yml: the project root, which snippet paths and the cache are relative to."""
    return Path(config.config_file_path or ".").resolve().parent


def _display_name(path: str, project: Path) -> str:
    """How messages name a page: relative to the project when it is below it (e.g. "docs/value.md")."""
    try:
        return Path(path).resolve().relative_to(project).as_posix()
    except ValueError:
        return path


def _toc_tokens(toc: TableOfContents | list[AnchorLink]) -> list[dict[str, Any]]:
    """A table of contents as the tokens `get_toc` builds it from."""
    return [{"level": item.level, "id": item.id, "name": item.title, "children": _toc_tokens(item.children)}
            for item in toc]


def _render_toc(item: AnchorLink) -> None:
    item.title = render_title(item.title)
    for child in item.children:
        _render_toc(child)


def _error_html(message: str) -> str:
    """What `mkdocs serve` shows instead of an exercise page whose check or cell failed."""
    return ('<div class="admonition failure"><p class="admonition-title">An exercise on this page failed</p>'
            f'<pre class="mg-build-error">{html.escape(message)}</pre></div>')


def _error_page(message: str) -> str:
    """What `mkdocs serve` shows instead of a page whose example failed."""
    return ('!!! failure "An example on this page failed"\n\n    The build stopped on this page. Fix it and save; '
            f'the page reloads.\n\n<pre class="mg-build-error">{html.escape(message)}</pre>\n')
