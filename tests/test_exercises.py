"""Exercise notebooks: every chapter has checked exercises, every solution passes, a wrong one fails the build.

The notebooks (docs/exercises/*.py) are run here with the build's own reader
and executor, in-process: with their solutions every check prints OK, and
without them (the starters as a reader first sees them) no check does. One
site build in a subprocess proves that a solution failing its check stops
`mkdocs build --strict` with the page and the exercise named.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from docsite.examples import ExampleError, run_page
from docsite.exercise_notebooks import (
    ROLES,
    code_blocks,
    exercise_page_html,
    failed_checks,
    is_exercise_file,
    read_exercises,
)
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.utils.yaml import get_yaml_loader

from micrograd.exercises import check, matches
from tests.test_site import mkdocs_build, scratch_site

ROOT = Path(__file__).resolve().parents[1]
EXERCISES = sorted((ROOT / "docs" / "exercises").glob("*.py"))
CONFIG = ROOT / "mkdocs.yml"


def nav() -> list[object]:
    loader = get_yaml_loader(config=MkDocsConfig(str(CONFIG)))
    return yaml.load(CONFIG.read_text(), Loader=loader)["nav"]


def exercise_id(path: Path) -> str:
    return path.stem


def run_cells(path: Path, with_solutions: bool) -> tuple[list, list]:
    text = path.read_text(encoding="utf-8")
    cells = read_exercises(text, path.name)
    kept = [cell for cell in cells if with_solutions or cell.role != "solution"]
    return kept, run_page(f"docs/exercises/{path.name}", text, code_blocks(kept))


# --- the check readers run ----------------------------------------------------------------


def test_check_prints_ok_or_wrong_with_the_expected_value(capsys: pytest.CaptureFixture[str]) -> None:
    check([1.0, 2.0 + 1e-9], (1, 2))
    check(0.5, 0.25)
    check(1e-3, 1.1e-3, tol=0.2)
    assert capsys.readouterr().out == "OK\nWRONG: expected 0.25, got 0.5\nOK\n"
    assert not matches(True, 1.0) and not matches([1.0], 1.0) and matches("tanh", "tanh")


# --- the notebooks ------------------------------------------------------------------------


def test_every_chapter_has_an_exercise_notebook_in_the_nav_and_ends_with_a_link_to_it() -> None:
    sections = {title: value for item in nav() for title, value in item.items()}
    exercise_nav = [page for item in sections["Exercises"] for page in item.values()]
    assert sorted(exercise_nav) == sorted(f"exercises/{path.name}" for path in EXERCISES)
    others = ("index.md", "reference.md", "notices.md")
    # Tools and the closing signpost teach nothing new to practise: they have no exercises.
    tools_and_signposts = ("stepper.md", "playground.md", "where-next.md")
    skipped = others + tools_and_signposts
    chapters = [page for page in sections.values() if isinstance(page, str) and page not in skipped]
    assert [f"exercises/{Path(chapter).stem}.py" for chapter in chapters] == exercise_nav
    for chapter in chapters:
        text = (ROOT / "docs" / chapter).read_text(encoding="utf-8").rstrip()
        last_section = text[text.rindex("\n## ") :]
        assert last_section.startswith(("\n## What to take away", "\n## Exercises")), chapter
        link = re.search(rf"\[(\d+) exercises for this chapter\]\(exercises/{Path(chapter).stem}\.py\)[^\n]*$", text)
        assert link, f"{chapter} does not end with a link to its exercises"
        notebook = ROOT / "docs" / "exercises" / f"{Path(chapter).stem}.py"
        exercises = {cell.exercise for cell in read_exercises(notebook.read_text(), notebook.name) if cell.role}
        assert int(link[1]) == len(exercises), f"{chapter} says {link[1]} exercises, its notebook has {len(exercises)}"
        if last_section.startswith("\n## What to take away"):
            bullets = re.findall(r"^- ", last_section, re.MULTILINE)
            assert 3 <= len(bullets) <= 5, chapter


@pytest.mark.parametrize("path", EXERCISES, ids=exercise_id)
def test_each_notebook_has_two_to_four_exercises_each_with_starter_solution_and_check(path: Path) -> None:
    cells = read_exercises(path.read_text(encoding="utf-8"), path.name)
    exercises = {cell.exercise for cell in cells if cell.role}
    assert 2 <= len(exercises) <= 4, path.name
    assert all(cell.source.strip() for cell in cells)
    assert "from micrograd.exercises import check" in cells[1].source  # one helper, imported, never retyped
    assert not any("def check(" in cell.source for cell in cells)


@pytest.mark.parametrize("path", EXERCISES, ids=exercise_id)
def test_with_the_solutions_every_check_prints_ok(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # the PyTorch comparison reads docs/recorded/, as at build time
    cells, results = run_cells(path, with_solutions=True)
    assert failed_checks(cells, results, path.name) == []
    assert sum(cell.role == "check" for cell in cells) >= 2


@pytest.mark.parametrize("path", EXERCISES, ids=exercise_id)
def test_the_starters_as_given_pass_no_check(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without the solutions each check prints WRONG (and does not crash): a starter never gives the answer away."""
    monkeypatch.chdir(ROOT)
    text = path.read_text(encoding="utf-8")
    cells = read_exercises(text, path.name)
    namespace_cells = [cell for cell in cells if cell.kind == "code" and cell.role != "solution"]
    for index, cell in enumerate(namespace_cells):
        if cell.role != "check":
            continue
        results = run_page(path.name, text, code_blocks(namespace_cells[: index + 1]))  # a check never raises
        assert results[-1].shown.startswith("WRONG"), f"{path.name}: exercise “{cell.exercise}” passes with its starter"


def test_the_lecture_exercises_check_the_lecture_numbers() -> None:
    derivatives = (ROOT / "docs" / "exercises" / "derivatives.py").read_text()
    assert derivatives.count("[-12.353553390593273, 10.25699027111255, 0.0625]") == 3  # analytic, forward, symmetric
    operations = (ROOT / "docs" / "exercises" / "operations.py").read_text()
    lecture = ["0.041772570515350445", "0.8390245074625319", "0.005653302662216329", "-0.8864503806400986"]
    assert re.search(r"check\(grads, \[" + r",\s*".join(map(re.escape, lecture)) + r"\]\)", operations)
    assert "softmax_nll_in_torch" in operations and "torch-softmax.json" in operations


# --- the reader and the page ----------------------------------------------------------------


def notebook(*cells: str) -> str:
    return "\n\n".join(cells) + "\n"


TITLE = "# %% [markdown]\n# # Exercises\n#\n# Math $x^2$ and `$y$` stays code."
ONE = ('# %% [markdown]\n# ## 1. Twice\n\n# %% tags=["starter"]\nx = ...\n\n'
       '# %% tags=["solution"]\nx = 2 * 2\n\n# %% tags=["check"]\ncheck(x, 4)')


def test_the_reader_refuses_malformed_notebooks() -> None:
    setup = "# %%\nfrom micrograd.exercises import check"
    assert [c.role for c in read_exercises(notebook(TITLE, setup, ONE), "e.py")] == ["", "", "", *ROLES]
    with pytest.raises(ExampleError, match="starts with a Markdown cell holding its `# Title`"):
        read_exercises(notebook(setup, ONE), "e.py")
    with pytest.raises(ExampleError, match="needs one starter, one solution and one check cell, in that order"):
        read_exercises(notebook(TITLE, ONE.replace('tags=["solution"]', 'tags=["starter"]')), "e.py")
    with pytest.raises(ExampleError, match="takes one tag of starter, solution, check"):
        read_exercises(notebook(TITLE, ONE.replace('tags=["check"]', 'tags=["checks"]')), "e.py")
    with pytest.raises(ExampleError, match="no `code` in a heading"):
        read_exercises(notebook(TITLE, ONE.replace("## 1. Twice", "## 1. `twice`")), "e.py")
    with pytest.raises(ExampleError, match="no exercise"):
        read_exercises(notebook(TITLE, setup), "e.py")
    assert is_exercise_file("exercises/mlp.py") and not is_exercise_file("exercises/deeper/mlp.py")


def test_a_check_that_prints_nothing_or_wrong_is_a_failure_naming_the_exercise() -> None:
    text = notebook(TITLE, "# %%\nfrom micrograd.exercises import check", ONE.replace("check(x, 4)", "check(x, 5)"))
    cells = read_exercises(text, "e.py")
    results = run_page("e.py", text, code_blocks(cells))
    assert failed_checks(cells, results, "e.py") == [
        "e.py:18: exercise “1. Twice”: its solution fails its check: WRONG: expected 5, got 4"]
    quiet = notebook(TITLE, ONE.replace("check(x, 4)", "x"))
    cells = read_exercises(quiet, "e.py")
    results = run_page("e.py", quiet, code_blocks(cells))
    assert failed_checks(cells, results, "e.py") == ["e.py:15: exercise “1. Twice”: its solution fails its check: 4"]


def test_the_page_keeps_the_prose_and_makes_every_code_cell_runnable(tmp_path: Path) -> None:
    from mkdocs_jupyter import convert

    text = notebook(TITLE, "# %%\nfrom micrograd.exercises import check\nprint('ready')", ONE)
    source = tmp_path / "e.py"
    source.write_text(text)
    rendered = convert.nb2html(str(source), allow_errors=False, custom_mathjax_url="")
    assert "<script" in rendered and "mathjax" in rendered.lower()  # what mkdocs-jupyter brings along
    cells = read_exercises(text, "e.py")
    results = run_page("e.py", text, code_blocks(cells))
    def highlight(code: str, language: str, classes: list[str]) -> str:
        return f"<pre class='{classes[0]}'>{code}</pre>"

    page = exercise_page_html(rendered, cells, results, highlight)
    assert "<script" not in page and "<style" not in page and "jp-Cell" not in page
    assert page.count('class="mg-run"') == 4
    assert re.findall(r'data-mg-role="(\w+)"', page) == list(ROLES)
    assert "<pre class='mg-output'>ready\n</pre>" in page  # a plain cell shows what it printed at build
    assert "OK" not in page  # a check's verdict is the reader's to see
    solution = r'<details class="success mg-solution">\s*<summary>[^<]*</summary>\s*<div class="mg-run"[^>]*"solution"'
    assert re.search(solution, page)
    assert '<span class="arithmatex">\\(x^2\\)</span>' in page and "<code>$y$</code>" in page
    assert 'class="headerlink"' in page


# --- the build -------------------------------------------------------------------------------


@pytest.mark.slow
def test_a_solution_that_fails_its_check_fails_the_build(tmp_path: Path) -> None:
    config, docs = scratch_site(tmp_path, {"index.md": "# Home\n"})
    (docs / "exercises").mkdir()
    wrong = notebook(TITLE, "# %%\nfrom micrograd.exercises import check", ONE.replace("x = 2 * 2", "x = 2 + 3"))
    (docs / "exercises" / "wrong.py").write_text(wrong)
    config.write_text(config.read_text() + "  - exercises/wrong.py\n")
    returncode, log, _ = mkdocs_build(config, tmp_path / "site")
    assert returncode != 0
    expected = "docs/exercises/wrong.py:18: exercise “1. Twice”: its solution fails its check: WRONG: expected 4, got 5"
    assert expected in log, log


def test_a_cached_rendering_keeps_the_table_of_contents() -> None:
    from docsite.plugin import _toc_tokens
    from mkdocs.structure.toc import get_toc

    tokens = [{"level": 1, "id": "t", "name": "Title", "children": [
        {"level": 2, "id": "one", "name": "1. One", "children": []},
        {"level": 2, "id": "two", "name": "2. <code>two</code>", "children": []}]}]
    assert _toc_tokens(get_toc(tokens)) == tokens
