"""The machinery that builds micrograd's literate site, as one MkDocs plugin.

Each module has one job:

- `page_blocks`: find a page's fenced blocks and prose with pymdownx.superfences itself.
- `examples`: run a page's `pycon` and `python exec` blocks (the one executor).
- `svg_figures`: turn a figure an exec block returns into inline, accessible SVG.
- `results_cache`: remember executed results, keyed by the code that produced them.
- `workers`: run pages in parallel, in fresh worker processes.
- `fences`: the superfences custom fences that show what the executor produced.
- `chapter_notebooks`: write each chapter as a Jupyter notebook.
- `exercise_notebooks`: the exercise notebooks (jupytext `.py`): their checks, page and download.
- `latex_math`: LaTeX to MathML at build time.
- `plugin`: the MkDocs plugin that ties them together.

How to write a chapter: see `docsite/README.md`.
"""
