"""The exercise pages in headless Chromium: laid out as starter, folded solution and check; used as a reader does.

Every exercise page is checked for its structure from the suite's one measured
visit (no extra page load). The pages in `READER_FLOW_PAGES` are also used as a
reader uses them: every block run in the page's Python, each check saying WRONG
after the starter as given (or a wrong answer typed in), then each solution
opened, run, and its check saying OK. Why a sample: see exercise_pages.py.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from browser_session import Browsing
from exercise_pages import READER_FLOW_PAGES
from page_probes import exercise_problems
from page_reports import PageReports
from site_under_test import discovered_pages
from test_browser_pages import fail_if_any
from test_browser_runtime import block, click, finished, run_edited, run_every_block

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser

# A wrong answer a reader types into a starter, and the start of what its check then prints.
TYPED_WRONG_ANSWERS = {
    "exercises/derivatives/": (
        "def gradf(a, b, c):\n    return [-12.0, 10.0, 0.0625]\n",
        "WRONG: expected [-12.353553390593273, 10.25699027111255, 0.0625], got [-12.0, 10.0",
    ),
}


def test_every_exercise_page_has_starters_folded_solutions_and_checks(
    exercise_page_path: str, reports: PageReports
) -> None:
    """Every block has Run, Edit and Reset; each exercise is a starter, a solution folded away, and a check."""
    runnable = reports.get(exercise_page_path, "desktop").runnable
    fail_if_any(exercise_page_path, "exercise blocks", exercise_problems(runnable))


def test_the_sampled_pages_are_exercise_pages_of_the_site() -> None:
    """A sampled page that was renamed or removed fails here instead of silently not being run."""
    pages, error = discovered_pages()
    missing = [page for page in READER_FLOW_PAGES if page not in pages]
    assert not missing, f"sampled exercise pages not in the site: {missing} ({error or 'see mkdocs.yml'})"


def _typed_wrong_answer(page: Page, check: int, typed: tuple[str, str] | None, starter: int) -> list[str]:
    """Type a wrong answer into the starter and run the check: it must say WRONG, with what it expected."""
    if typed is None:
        return []
    code, expected = typed
    assert run_edited(page, starter, code).startswith("Ran")
    click(page, check, "Run")
    finished(page, check)
    verdict = block(page, check).locator(".mg-run__live").inner_text().strip()
    problems = [] if verdict.startswith(expected) else [f"typed wrong answer: the check printed {verdict!r}"]
    if "not yet" not in block(page, check).locator(".mg-run__status").inner_text():
        problems.append("typed wrong answer: the status does not say 'not yet'")
    if block(page, check).locator(".mg-run__output--wrong").count() != 1:
        problems.append("typed wrong answer: the check's output is not marked wrong")
    return problems


@pytest.mark.parametrize("exercise_page", list(READER_FLOW_PAGES), ids=lambda path: path.strip("/").split("/")[-1])
def test_a_reader_gets_wrong_then_ok_from_every_exercise(exercise_page: str, browsing: Browsing) -> None:
    """Every block runs as the page shows (each check WRONG); each solution, opened and run, makes its check OK."""
    with browsing.open(exercise_page, settle=False) as (page, traffic):
        roles = page.evaluate("Array.from(document.querySelectorAll('.mg-run')).map(b => b.dataset.mgRole || '')")
        starters = [i for i, role in enumerate(roles) if role == "starter"]
        assert starters and all(roles[i + 1 : i + 3] == ["solution", "check"] for i in starters), roles
        problems = _typed_wrong_answer(page, starters[0] + 2, TYPED_WRONG_ANSWERS.get(exercise_page), starters[0])
        _, run_problems = run_every_block(page, exercise_page)
        problems += run_problems
        for starter in starters:
            solution, check = starter + 1, starter + 2
            name = f"exercise at block {starter}"
            # The solution was not run as one of the blocks above the checks.
            if page.evaluate("i => window.micrograd_runtime.replies[i] || null", solution) is not None:
                problems.append(f"{name}: its solution ran without being asked")
            if block(page, solution).is_visible():
                problems.append(f"{name}: the solution shows before the reader opens it")
            block(page, solution).locator("xpath=ancestor::details[1]/summary").click()
            if not block(page, solution).is_visible():
                problems.append(f"{name}: opening the solution box does not show the solution")
            click(page, solution, "Run")
            finished(page, solution)
            block(page, check).locator(".mg-run__status").evaluate("status => status.textContent = ''")
            click(page, check, "Run")
            finished(page, check)
            verdict = block(page, check).locator(".mg-run__live").inner_text().strip()
            status = block(page, check).locator(".mg-run__status").inner_text()
            marked_ok = block(page, check).locator(".mg-run__output--ok").count() == 1
            if verdict != "OK" or "passes the check" not in status or not marked_ok:
                problems.append(f"{name}: after the solution the check printed {verdict!r} ({status!r})")
        assert not traffic.external, traffic.external
        problems += traffic.problems()
    fail_if_any(exercise_page, "the reader's WRONG-then-OK flow", problems)
