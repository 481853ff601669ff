"""Which exercise pages the browser suite takes through the whole reader flow, and why only those.

Every exercise page (docs/exercises/*.py) is made by the same code
(`docsite.exercise_notebooks.exercise_page_html`): the same runnable blocks,
the same starter / solution / check layout, the same scripts. What differs
from page to page is the Python in it, and the main suite already runs every
notebook with CPython (tests/test_exercises.py: with the solutions every check
prints OK, with the starters none does). So in the browser every exercise page
gets the per-page checks of test_browser_pages.py (clean load, local only,
math, links, layout at 390 px, screenshots) and the structural check of
test_browser_exercises.py, both judged from the one measured visit; the pages
below also get Python in the page, as a reader uses it: every block run, each
check WRONG with the starter, each solution run and its check OK.
"""

from __future__ import annotations

EXERCISES_PREFIX = "exercises/"

# Sampled for what their Python does differently in the page (the reason is the value).
READER_FLOW_PAGES: dict[str, str] = {
    "exercises/derivatives/": "the lecture's first exercise; a wrong answer is typed in and its WRONG checked",
    "exercises/operations/": "the most blocks (12), and one the page cannot reproduce (the PyTorch comparison)",
    "exercises/moons/": "trains an MLP on the moons in the page: the heaviest Python a reader runs",
    "exercises/compiling/": "the compiler generates Python source and runs it in the page's Python",
}


def is_exercise_page(path: str) -> bool:
    """Whether a page path is one of the exercise notebooks' pages.

    Examples:
        >>> is_exercise_page("exercises/moons/"), is_exercise_page("moons/")
        (True, False)
    """
    return path.startswith(EXERCISES_PREFIX)

