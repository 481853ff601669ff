"""The superfences custom fences that show what the executor produced.

`pycon` blocks and `python exec="on"` blocks are custom fences. Their
formatter does not run anything: the page's results are computed before the
page is converted (see `plugin`), and each formatter call takes the next one,
checking that it belongs to the same code. A plain `python` block is not ours
(the validator declines it) and superfences highlights it as usual.
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable
from typing import Any

from .examples import BlockResult, ExampleError, is_flag_on
from .page_blocks import Block


class PageFences:
    """Formatters for one build; `start_page` hands them the results of the page being converted."""

    def __init__(self) -> None:
        self._pending: list[BlockResult] = []
        self._page = ""
        self.errors: list[str] = []

    def start_page(self, filename: str, results: list[BlockResult]) -> None:
        """The results of the page about to be converted, in page order."""
        self._page, self._pending = filename, list(results)

    def finish_page(self) -> None:
        """Check that every result found its block."""
        if self._pending:
            raise ExampleError(f"{self._page}: {len(self._pending)} executed block(s) were not shown "
                               "(is a pycon or exec block inside raw HTML without `markdown`?)")

    def custom_fences(self) -> list[dict[str, Any]]:
        """The entries for pymdownx.superfences' `custom_fences` option."""
        return [
            {"name": "pycon", "class": "pycon", "validator": _validate_pycon, "format": self._format_pycon},
            {"name": "python", "class": "python", "validator": _validate_exec, "format": self._format_exec},
            {"name": "py", "class": "python", "validator": _validate_exec, "format": self._format_exec},
        ]

    def _next(self, lang: str, src: str) -> BlockResult | None:
        if not self._pending:
            return None
        result = self._pending[0]
        if result.lang != lang or result.code.rstrip("\n") != src.rstrip("\n"):
            raise ExampleError(f"{self._page}: the page's blocks changed between running and rendering "
                               f"(expected a {result.lang} block starting {result.code[:40]!r})")
        return self._pending.pop(0)

    def _format_pycon(self, src: str, language: str, class_name: str, options: dict[str, str], md: Any,
                      **kwargs: Any) -> str:
        result = self._next("pycon", src)
        if result is None:  # a pycon fence that no page run covers, e.g. in a docstring: shown as written
            return _highlight(md, src, "pycon", ["mg-pycon"], options.get("title"))
        shown = _highlight(md, result.shown, "pycon", ["mg-pycon"], options.get("title"), copy=result.copy)
        return runnable(shown, result)

    def _format_exec(self, src: str, language: str, class_name: str, options: dict[str, str], md: Any,
                     **kwargs: Any) -> str:
        result = self._next("exec", src)
        if result is None:
            raise ExampleError(f"{self._page}: an exec block was not run (it is not in the page as written?)")
        block = Block("python", options, src, 0)
        pieces = []
        if not is_flag_on(block, "hide_code"):
            pieces.append(_highlight(md, src, "python", ["mg-exec"], options.get("title")))
        if result.shown:
            pieces.append(_highlight(md, result.shown, "text", ["mg-output"]))
        if result.figure:
            pieces.append(result.figure)
        return runnable("\n".join(pieces), result)


def runnable(shown: str, result: BlockResult, role: str = "") -> str:
    """Wrap a block's HTML for the page's runtime (docs/javascripts/run-in-page.js).

    The wrapper carries what the runtime needs to run the block again: its
    kind, its code as written and its options, for a block that only the
    build can run, why, and for an exercise's cell its role (a "solution"
    runs only when the reader runs it, never as one of the blocks above).

    Examples:
        >>> html_text = runnable("<pre>x</pre>", BlockResult("exec", "x = 1", "", options={"exec": "on"}))
        >>> html_text.split(">")[0].split(" data-mg-options")[0]
        '<div class="mg-run" data-mg-kind="exec" data-mg-code="x = 1"'
    """
    attributes = {
        "data-mg-kind": result.lang,
        "data-mg-code": result.code,
        "data-mg-options": json.dumps(result.options, sort_keys=True),
    }
    if result.needs:
        attributes["data-mg-needs"] = result.needs
    if role:
        attributes["data-mg-role"] = role
    rendered = " ".join(f'{name}="{html.escape(value)}"' for name, value in attributes.items())
    return f'<div class="mg-run" {rendered}>\n{shown}\n</div>'


def _validate_pycon(language: str, inputs: dict[str, str], options: dict[str, Any], attrs: dict[str, Any],
                    md: Any) -> bool:
    options.update(inputs)
    return True


def _validate_exec(language: str, inputs: dict[str, str], options: dict[str, Any], attrs: dict[str, Any],
                   md: Any) -> bool:
    if "exec" not in inputs:
        return False  # a listing: superfences' own highlighting takes it
    options.update(inputs)
    return True


def _highlight(md: Any, code: str, language: str, classes: list[str], title: str | None = None,
               copy: str | None = None) -> str:
    """Highlight `code` the way superfences highlights any fence (same classes, same title bar)."""
    attrs = {"data-copy": html.escape(copy)} if copy is not None else {}
    options = {"title": title} if title else {}
    return str(md.preprocessors["fenced_code_block"].highlight(
        src=code.rstrip("\n"), language=language, options=options, md=md, classes=classes, id_value="", attrs=attrs))


def highlighter(config: Any) -> Callable[[str, str, list[str]], str]:
    """Highlight code as the site's fences do, outside a Markdown conversion (e.g. an exercise notebook's cells).

    Args:
        config: The MkDocs configuration, whose Markdown extensions and their settings are used.
    """
    import markdown

    names = ["pymdownx.highlight", "pymdownx.superfences"]
    settings = {name: config.mdx_configs.get(name, {}) for name in names}
    md = markdown.Markdown(extensions=names, extension_configs=settings)
    md.preprocessors["fenced_code_block"].get_hl_settings()  # read pymdownx.highlight's settings, as a conversion does

    def highlight(code: str, language: str, classes: list[str]) -> str:
        return _highlight(md, code, language, classes)

    return highlight
