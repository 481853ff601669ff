"""Files the site serves from installed npm packages, so no page loads anything from another host.

`npm ci --ignore-scripts` (run by scripts/dev.py from package-lock.json)
installs them into `node_modules/`; the build copies each listed file into the
site under `assets/`. Nothing third-party is committed to the repository.
"""

from __future__ import annotations

from pathlib import Path

# package folder in node_modules -> {file in the package: path in the site}
SERVED: dict[str, dict[str, str]] = {
    # Noto Sans Math (OFL-1.1): an OpenType MATH font, so MathML looks the same on every
    # system; docs/stylesheets/micrograd.css names the served path in its @font-face.
    "@fontsource/noto-sans-math": {
        "files/noto-sans-math-latin-400-normal.woff2": "assets/fonts/noto-sans-math.woff2",
        "LICENSE": "assets/fonts/noto-sans-math-OFL.txt",
    },
    # Pyodide (MPL-2.0): CPython compiled to WebAssembly, the whole runtime and its
    # standard library, loaded from this folder by docs/javascripts/python-worker.mjs.
    "pyodide": {
        name: f"assets/runtime/pyodide/{name}"
        for name in ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json")
    },
    # viz.js (MIT; Graphviz, EPL-1.0, compiled to WebAssembly): draws the DOT of draw_dot in the page.
    "@viz-js/viz": {"dist/viz.js": "assets/runtime/viz.js"},
}


class MissingAsset(FileNotFoundError):
    """A file the site serves is not installed; the message says how to install it."""


def served_files(node_modules: Path) -> dict[str, Path]:
    """Map each site path to the installed file it is copied from.

    Raises:
        MissingAsset: A package or file is not installed.

    Examples:
        >>> try:
        ...     served_files(Path("/nowhere"))
        ... except MissingAsset as error:
        ...     print(str(error).split(" is missing")[0])
        /nowhere/@fontsource/noto-sans-math/files/noto-sans-math-latin-400-normal.woff2
    """
    found = {}
    for package, files in SERVED.items():
        for source, destination in files.items():
            path = node_modules / package / source
            if not path.is_file():
                raise MissingAsset(f"{path} is missing: run `npm ci --ignore-scripts` in the repository root "
                                   "(scripts/dev.py does it for you)")
            found[destination] = path
    return found
