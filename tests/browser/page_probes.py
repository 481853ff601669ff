"""What the suite measures inside a page (JavaScript probes) and how it judges the measurements.

Each probe is a JavaScript function run with `page.evaluate`; it returns plain
data. Each `*_problems` function turns that data into readable complaints, one
line each, or an empty list when all is well. Keeping the judging in Python
makes the thresholds visible and testable without a browser.
"""

from __future__ import annotations

import re
from typing import Any

# Text drawn smaller than this (CSS px, after scaling) is hard to read.
MIN_TEXT_PX = 9.0
# A plot shrinks with the column by design; on a phone its smallest labels must
# still be readable (a 576 px plot with 12 pt ticks shown 342 px wide: 9.5 px).
MIN_PHONE_PLOT_TEXT_PX = 9.0
# A figure whose text cannot be measured (a raster image) is judged by its
# scale: below this, labels drawn at 10-12 pt fall under ~9 px.
MIN_SCALE = 0.6
# Relative luminance a figure's backdrop needs for dark ink on it to stay readable.
MIN_BACKDROP_LUMINANCE = 0.75

# The page's main content column.
_ARTICLE_JS = "document.querySelector('article.md-content__inner') || document.querySelector('article') || document.body"
# Opens the closed <details> and unselected content tab that hide `el`, as a reader would.
_REVEAL_JS = """const reveal = (el) => {
    for (let a = el.parentElement; a && a !== article; a = a.parentElement) {
      if (a.tagName.toLowerCase() === 'details') a.open = true;
      if (a.classList.contains('tabbed-block') && a.parentElement) {
        const set = a.closest('.tabbed-set');
        const input = set && set.querySelectorAll(':scope > input')[[...a.parentElement.children].indexOf(a)];
        if (input) input.checked = true;
      }
    }
  };"""

FIGURES_JS = (
    """
() => {
  const article = ARTICLE;
  const style = getComputedStyle(article);
  const columnWidth = article.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  // Theme icons are small inline SVGs: not figures.
  const ICON = '.twemoji, .md-icon, .emojione, .gemoji, button, .md-code__nav, .headerlink, .md-clipboard, .md-source, .md-annotation, .md-tooltip, .md-tag';
  const UNITS = {px: 1, pt: 4 / 3, pc: 16, in: 96, cm: 96 / 2.54, mm: 96 / 25.4};
  const toPx = (length) => {
    const m = /^\\s*([0-9.]+)\\s*(px|pt|pc|in|cm|mm)?\\s*$/.exec(length || '');
    return m ? parseFloat(m[1]) * UNITS[m[2] || 'px'] : null;
  };
  const parseColor = (text) => {
    const m = /rgba?\\(([^)]+)\\)/.exec(text || '');
    if (!m) return null;
    const parts = m[1].split(/[ ,\\/]+/).filter(Boolean).map(parseFloat);
    return {r: parts[0], g: parts[1], b: parts[2], a: parts.length > 3 ? parts[3] : 1, text};
  };
  const luminance = (c) => {
    const channel = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b);
  };
  const describe = (el, index) => {
    const named = el.getAttribute('alt') || el.getAttribute('aria-label')
      || (el.closest('[aria-label]') && el.closest('[aria-label]').getAttribute('aria-label'))
      || (el.closest('figure') && el.closest('figure').querySelector('figcaption') && el.closest('figure').querySelector('figcaption').textContent)
      || '';
    const text = named.trim().replace(/\\s+/g, ' ');
    return `figure ${index + 1}` + (text ? ` ("${text.slice(0, 70)}")` : '');
  };
  const graphics = [...article.querySelectorAll('img, svg')].filter((el) =>
    !(el.tagName.toLowerCase() === 'svg' && el.parentElement && el.parentElement.closest('svg')) && !el.closest(ICON));
  // A figure in a closed <details> or an unselected content tab is shown by opening it, as a reader
  // would; the page's own state is restored at the end.
  const closedDetails = [...article.querySelectorAll('details:not([open])')];
  const checkedTabs = [...article.querySelectorAll('.tabbed-set > input:checked')];
  REVEAL
  const figures = [];
  for (const el of graphics) {
    reveal(el);
    const isSvg = el.tagName.toLowerCase() === 'svg';
    let naturalWidth, naturalHeight;
    if (isSvg) {
      const box = el.viewBox && el.viewBox.baseVal;
      naturalWidth = toPx(el.getAttribute('width')) ?? (box ? box.width : 0);
      naturalHeight = toPx(el.getAttribute('height')) ?? (box ? box.height : 0);
      if (Math.max(naturalWidth, naturalHeight) <= 48) continue;  // an icon, not a figure
    } else {
      naturalWidth = el.naturalWidth;
      naturalHeight = el.naturalHeight;
    }
    const index = figures.length;
    const rect = el.getBoundingClientRect();
    // On-screen size of the smallest text: font size times the scale the drawing is shown at.
    let minTextPx = null, textCount = 0, outlinedText = false;
    const measure = (node, fontSize) => {
      const ctm = node.getScreenCTM();
      if (!ctm) return;
      const px = fontSize * Math.sqrt(Math.abs(ctm.a * ctm.d - ctm.b * ctm.c));
      textCount += 1;
      minTextPx = minTextPx === null ? px : Math.min(minTextPx, px);
    };
    if (isSvg) {
      for (const t of el.querySelectorAll('text')) {
        if (t.textContent.trim()) measure(t, parseFloat(getComputedStyle(t).fontSize));
      }
      // matplotlib draws text as glyph outlines: a group `text_N` holding a
      // `scale(size/100, -size/100)` group of glyphs (100 = its FONT_SCALE, em units).
      for (const g of el.querySelectorAll('g[id*="text_"] > g[transform*="scale"]')) {
        if (!g.querySelector('use, path')) continue;
        outlinedText = true;
        measure(g, 100);
      }
    }
    let scroller = null;
    for (let a = el.parentElement; a && a !== article; a = a.parentElement) {
      const overflow = getComputedStyle(a).overflowX;
      if (overflow === 'auto' || overflow === 'scroll') { scroller = a; break; }
    }
    const scrollerWidth = scroller ? scroller.getBoundingClientRect().width : null;
    let backdrop = null;
    for (let a = el.parentElement; a; a = a.parentElement) {
      const c = parseColor(getComputedStyle(a).backgroundColor);
      if (c && c.a >= 0.99) {
        backdrop = {color: c.text, luminance: luminance(c), element: a.tagName.toLowerCase() + (a.className && typeof a.className === 'string' ? '.' + a.className.trim().split(/\\s+/).join('.') : '')};
        break;
      }
    }
    let ownBackground = null;
    if (isSvg) {
      const first = el.querySelector('rect, polygon, path');
      if (first) {
        const computed = getComputedStyle(first);
        const fill = parseColor(computed.fill);
        const box = first.getBoundingClientRect();
        ownBackground = fill && {
          color: fill.text,
          luminance: luminance(fill),
          opaque: fill.a >= 0.99 && parseFloat(computed.fillOpacity) >= 0.99,
          covers: box.width >= rect.width * 0.95 && box.height >= rect.height * 0.95,
        };
      }
    }
    figures.push({
      label: describe(el, index),
      kind: isSvg ? 'svg' : 'img',
      src: isSvg ? null : el.currentSrc || el.src,
      naturalWidth, naturalHeight,
      width: rect.width, height: rect.height,
      visible: el.checkVisibility({opacityProperty: true, visibilityProperty: true}),
      loaded: isSvg || (el.complete && el.naturalWidth > 0),
      textCount, minTextPx,
      // A graph drawing keeps its size and scrolls; a plot (outlined text) shrinks with the column.
      keepsSize: !!el.closest('.mg-figure--graph') || (textCount > 0 && !outlinedText && !el.closest('.mg-figure--plot')),
      columnWidth,
      scrollerWidth,
      backdrop, ownBackground,
    });
  }
  const emptyFigures = [...article.querySelectorAll('figure.mg-figure')]
    .filter((f) => !f.querySelector('svg, img')).length;
  closedDetails.forEach((d) => { d.open = false; });
  checkedTabs.forEach((input) => { input.checked = true; });
  return {figures, emptyFigures};
}
"""
).replace("ARTICLE", _ARTICLE_JS).replace("REVEAL", _REVEAL_JS)

MATH_JS = (
    """
() => {
  const article = ARTICLE;
  const SKIP = 'pre, code, kbd, samp, math, svg, script, style, textarea, .mg-figure';
  const BLOCK = 'p, li, td, th, h1, h2, h3, h4, h5, h6, dd, dt, figcaption, blockquote, summary, div, section, article';
  const texts = new Map();
  const walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || parent.closest(SKIP)) continue;
    const block = parent.closest(BLOCK) || article;
    texts.set(block, (texts.get(block) || '') + node.textContent);
  }
  const maths = [...article.querySelectorAll('math')];
  const excerpt = (m) => (m.getAttribute('alttext') || m.textContent).trim().replace(/\\s+/g, ' ').slice(0, 80);
  return {
    blocks: [...texts.values()],
    formulas: maths.length,
    unknownCommands: maths.filter((m) => /\\\\[A-Za-z]+/.test(m.textContent)).map(excerpt),
    collapsed: maths.filter((m) => {
      const r = m.getBoundingClientRect();
      return m.checkVisibility() && (r.width < 1 || r.height < 1);
    }).map(excerpt),
  };
}
"""
).replace("ARTICLE", _ARTICLE_JS)

# Whether each figure fits its visible box, and if not, whether it offers a visible
# "Full size" control (docs/javascripts/figure-zoom.js). Figures in closed <details> or
# unselected tabs are revealed first, as a reader would, and measured after two frames,
# so the script has seen their new size; the page's own state is restored at the end.
FIGURE_FIT_JS = (
    """
async () => {
  const article = ARTICLE;
  const closedDetails = [...article.querySelectorAll('details:not([open])')];
  const checkedTabs = [...article.querySelectorAll('.tabbed-set > input:checked')];
  const frame = () => new Promise((resolve) => requestAnimationFrame(() => resolve()));
  REVEAL
  const figures = [...article.querySelectorAll('figure')].filter((f) => f.querySelector('svg, img'));
  const results = [];
  for (const [index, figure] of figures.entries()) {
    reveal(figure);
    await frame(); await frame();
    const graphic = figure.querySelector('svg, img');
    // The visible box: the nearest ancestor (up to the figure) that clips or scrolls the drawing.
    let box = figure;
    for (let a = graphic.parentElement; a && a !== figure.parentElement; a = a.parentElement) {
      if (getComputedStyle(a).overflowX !== 'visible') { box = a; break; }
    }
    const name = (figure.querySelector('[aria-label]') && figure.querySelector('[aria-label]').getAttribute('aria-label'))
      || (figure.querySelector('figcaption') && figure.querySelector('figcaption').textContent) || '';
    const control = [...figure.querySelectorAll('button')].find((b) => /full size|zoom/i.test(
      `${b.textContent} ${b.getAttribute('aria-label') || ''}`));
    results.push({
      label: `figure ${index + 1}` + (name.trim() ? ` ("${name.trim().replace(/\\s+/g, ' ').slice(0, 70)}")` : ''),
      boxWidth: box.clientWidth,
      contentWidth: Math.max(box.scrollWidth, Math.ceil(graphic.getBoundingClientRect().right - box.getBoundingClientRect().left)),
      zoomControl: !!control && control.checkVisibility({opacityProperty: true, visibilityProperty: true}),
      zoomName: control ? (control.getAttribute('aria-label') || control.textContent).trim() : null,
    });
  }
  closedDetails.forEach((d) => { d.open = false; });
  checkedTabs.forEach((input) => { input.checked = true; });
  return results;
}
"""
).replace("ARTICLE", _ARTICLE_JS).replace("REVEAL", _REVEAL_JS)

# The font the first <math> is set in, whether the page loaded a font face of that
# family, and whether the browser has it ready (after `document.fonts.ready`).
MATH_FONT_JS = """
async () => {
  const math = document.querySelector('article math');
  if (!math) return null;
  await document.fonts.ready;
  const stack = getComputedStyle(math).fontFamily;
  const family = stack.split(',')[0].trim().replace(/^["']|["']$/g, '');
  const faces = [...document.fonts].filter((face) => face.family.replace(/^["']|["']$/g, '') === family);
  return {
    stack,
    family,
    faces: faces.map((face) => face.status),
    ready: faces.length > 0 && document.fonts.check(`16px "${family}"`),
  };
}
"""

LINKS_JS = """
() => [...document.querySelectorAll('a[href]')].map((a) => ({
  href: a.href,
  text: (a.textContent.trim() || a.getAttribute('title') || a.getAttribute('aria-label') || '')
    .replace(/\\s+/g, ' ').slice(0, 50),
}))
"""

LAYOUT_JS = (
    """
() => {
  const article = ARTICLE;
  const viewport = document.documentElement.clientWidth;
  const name = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
    + (typeof el.className === 'string' && el.className.trim() ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
  // Whether an element cannot widen the page: an ancestor clips or scrolls it, or it (or an
  // ancestor) is fixed to the viewport and only follows the page's width.
  const contained = (el) => {
    if (getComputedStyle(el).position === 'fixed') return true;
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      const style = getComputedStyle(a);
      if (style.overflowX !== 'visible' || style.position === 'fixed') return true;
    }
    return false;
  };
  const sticking = [];
  if (document.documentElement.scrollWidth > viewport + 1) {
    for (const el of document.body.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      if (r.width > 0 && r.right > viewport + 1 && !contained(el)) sticking.push(`${name(el)} (right edge at ${Math.round(r.right)} px)`);
      if (sticking.length >= 5) break;
    }
  }
  const code = [...article.querySelectorAll('pre > code')].map((c) => {
    const overflow = getComputedStyle(c).overflowX;
    const r = c.getBoundingClientRect();
    return {
      firstLine: c.textContent.trim().split('\\n')[0].slice(0, 60),
      overflows: c.scrollWidth > c.clientWidth + 1,
      scrolls: overflow === 'auto' || overflow === 'scroll',
      right: r.right,
    };
  });
  return {viewport, scrollWidth: document.documentElement.scrollWidth, sticking, code};
}
"""
).replace("ARTICLE", _ARTICLE_JS)

# A `$...$` pair as TeX writes inline math: no space inside the dollars, no digit after the closing one
# (so "costs $5 and $10" is not math).
_RAW_DOLLAR_MATH = re.compile(r"(?<![\w$\\])\$(?=[^\s$])[^$\n]{1,200}?(?<=[^\s$\\])\$(?![\w$])")
_RAW_DELIMITER = re.compile(r"\$\$|\\\(|\\\)|\\\[|\\\]")
_TEX_COMMAND = re.compile(r"\\(?:frac|partial|sum|prod|cdot|times|sqrt|tanh|exp|log|left|right|mathrm|mathbf|text|alpha|beta|eta|sigma|nabla|infty|leq|geq|approx|quad|begin|end)\b")


def raw_math(text: str) -> list[str]:
    """Pieces of unrendered TeX in visible prose (with a little context), in order.

    Examples:
        >>> raw_math(r"the slope $\\frac{dy}{dx}$ here")
        ['$\\\\frac{dy}{dx}$']
        >>> raw_math(r"inline \\(x^2\\) and a bare \\partial")
        ['\\\\(', '\\\\)', '\\\\partial']
        >>> raw_math("it costs $5 and $10, and x = 3")
        []
    """
    found: list[tuple[int, str]] = []
    taken: list[range] = []
    for pattern in (_RAW_DOLLAR_MATH, _RAW_DELIMITER, _TEX_COMMAND):
        for match in pattern.finditer(text):
            if any(match.start() in span for span in taken):
                continue
            taken.append(range(match.start(), match.end()))
            found.append((match.start(), match.group(0)))
    return [piece for _, piece in sorted(found)]


def math_problems(probe: dict[str, Any]) -> list[str]:
    """Complaints about math on a page, from `MATH_JS`'s result.

    Examples:
        >>> math_problems({"blocks": ["ok", "see $x^2$"], "formulas": 1, "unknownCommands": [], "collapsed": []})
        ['raw TeX in the text: "$x^2$" in "see $x^2$"']
    """
    problems = []
    for block in probe["blocks"]:
        for piece in raw_math(block):
            context = " ".join(block.split())
            problems.append(f'raw TeX in the text: "{piece}" in "{context[:120]}"')
    problems += [f"formula with an unrendered TeX command: {text}" for text in probe["unknownCommands"]]
    problems += [f"formula rendered with zero size: {text}" for text in probe["collapsed"]]
    return problems


def figure_problems(probe: dict[str, Any], phone: bool = False) -> list[str]:
    """Complaints about a page's figures, from `FIGURES_JS`'s result.

    Judged: the image loaded and is visible; a figure wider than the column
    sits in a horizontally scrollable box no wider than the column; its
    smallest text, as drawn on screen, is readable. A graph drawing keeps its
    natural size (and scrolls), so its text must stay at `MIN_TEXT_PX`
    everywhere; a plot shrinks with the column by design, so on a phone it may
    go down to `MIN_PHONE_PLOT_TEXT_PX`. A figure whose text cannot be
    measured (a raster image) must keep `MIN_SCALE` of its width on desktop.

    Args:
        probe: What `FIGURES_JS` returned.
        phone: The page was measured at phone width.

    Examples:
        >>> figure = {"label": "figure 1", "kind": "svg", "src": None, "naturalWidth": 1000,
        ...     "naturalHeight": 200, "width": 400, "height": 80, "visible": True, "loaded": True,
        ...     "textCount": 5, "minTextPx": 4.8, "keepsSize": True, "columnWidth": 600,
        ...     "scrollerWidth": None, "backdrop": None, "ownBackground": None}
        >>> figure_problems({"figures": [figure], "emptyFigures": 0})
        ['figure 1: smallest text drawn at 4.8 px (under 9 px): shown at 40% of its natural width']
    """
    problems = [f"{probe['emptyFigures']} figure element(s) without an image"] if probe["emptyFigures"] else []
    for fig in probe["figures"]:
        label, width, height = fig["label"], fig["width"], fig["height"]
        if not fig["loaded"]:
            problems.append(f"{label}: image did not load ({fig['src']})")
            continue
        if not fig["visible"] or width < 1 or height < 1:
            problems.append(f"{label}: not visible (rendered {width:.0f}x{height:.0f} px)")
            continue
        scale = width / fig["naturalWidth"] if fig["naturalWidth"] else 1.0
        floor = MIN_PHONE_PLOT_TEXT_PX if phone and not fig["keepsSize"] else MIN_TEXT_PX
        if fig["minTextPx"] is not None and fig["minTextPx"] < floor:
            problems.append(
                f"{label}: smallest text drawn at {fig['minTextPx']:.1f} px (under {floor:.0f} px): "
                f"shown at {scale:.0%} of its natural width"
            )
        elif fig["minTextPx"] is None and not phone and scale < MIN_SCALE:
            problems.append(
                f"{label}: shrunk to {scale:.0%} of its natural width ({fig['naturalWidth']:.0f} -> {width:.0f} px, "
                f"under {MIN_SCALE:.0%}): too small to read"
            )
        if width > fig["columnWidth"] + 1:
            scroller = fig["scrollerWidth"]
            if scroller is None:
                problems.append(
                    f"{label}: {width:.0f} px wide in a {fig['columnWidth']:.0f} px column and not inside a "
                    "horizontally scrollable container (overflow-x: auto)"
                )
            elif scroller > fig["columnWidth"] + 1:
                problems.append(
                    f"{label}: its scroll container is {scroller:.0f} px wide, wider than the "
                    f"{fig['columnWidth']:.0f} px column"
                )
    return problems


def figure_fit_problems(probe: list[dict[str, Any]]) -> list[str]:
    """Complaints about figures drawn wider than their visible box with no visible full-size control.

    A figure that does not fit is clipped or scrolls inside its box; the reader
    must then be offered a visible control that shows it whole.

    Examples:
        >>> figure = {"label": "figure 2", "boxWidth": 358, "contentWidth": 667, "zoomControl": False,
        ...     "zoomName": None}
        >>> figure_fit_problems([figure])
        ['figure 2: its drawing is 667 px wide in a 358 px box and there is no visible full-size control']
        >>> figure_fit_problems([{**figure, "zoomControl": True}]), figure_fit_problems([{**figure, "contentWidth": 358}])
        ([], [])
    """
    return [
        f"{fig['label']}: its drawing is {fig['contentWidth']:.0f} px wide in a {fig['boxWidth']:.0f} px box "
        "and there is no visible full-size control"
        for fig in probe
        if fig["contentWidth"] > fig["boxWidth"] + 1 and not fig["zoomControl"]
    ]


def math_font_problems(probe: dict[str, Any] | None, requests: list[str]) -> list[str]:
    """Complaints when math is not set in a font the site itself serves and the browser has loaded.

    Args:
        probe: What `MATH_FONT_JS` returned (None: the page has no math).
        requests: Every URL the page requested.

    Examples:
        >>> probe = {"stack": '"Site Math", math', "family": "Site Math", "faces": ["loaded"], "ready": True}
        >>> math_font_problems(probe, ["http://127.0.0.1:8000/assets/fonts/m.woff2"])
        []
        >>> for problem in math_font_problems({**probe, "faces": [], "ready": False}, []):
        ...     print(problem)
        math is set in "Site Math", but the page defines no font face of that family (@font-face)
        the page requested no font file from the site (.woff2, .woff, .otf, .ttf)
    """
    if probe is None:
        return []
    problems = []
    if not probe["faces"]:
        problems.append(f'math is set in "{probe["family"]}", but the page defines no font face of that family (@font-face)')
    elif "loaded" not in probe["faces"] or not probe["ready"]:
        problems.append(f'the math font "{probe["family"]}" did not load (font faces: {", ".join(probe["faces"])})')
    if not any(re.search(r"\.(woff2?|otf|ttf)$", url.split("?")[0]) for url in requests):
        problems.append("the page requested no font file from the site (.woff2, .woff, .otf, .ttf)")
    return problems


def backdrop_problems(probe: dict[str, Any]) -> list[str]:
    """Complaints about figures whose backdrop is not opaque and light (dark ink would vanish).

    A figure passes if the nearest opaque background behind it is light, or if
    the drawing paints its own opaque light background over its whole area.

    Examples:
        >>> dark = {"color": "rgb(30, 33, 41)", "luminance": 0.015, "element": "body"}
        >>> figure = {"label": "figure 1", "backdrop": dark, "ownBackground": None}
        >>> backdrop_problems({"figures": [figure]})
        ['figure 1: drawn on a dark backdrop (rgb(30, 33, 41) from body) with no opaque light background of its own']
    """
    problems = []
    for fig in probe["figures"]:
        backdrop, own = fig["backdrop"], fig["ownBackground"]
        if backdrop and backdrop["luminance"] >= MIN_BACKDROP_LUMINANCE:
            continue
        if own and own["opaque"] and own["covers"] and own["luminance"] >= MIN_BACKDROP_LUMINANCE:
            continue
        where = f"{backdrop['color']} from {backdrop['element']}" if backdrop else "transparent all the way up"
        problems.append(f"{fig['label']}: drawn on a dark backdrop ({where}) with no opaque light background of its own")
    return problems


def layout_problems(probe: dict[str, Any]) -> list[str]:
    """Complaints about a page that scrolls sideways or has code blocks sticking out, from `LAYOUT_JS`.

    Examples:
        >>> probe = {"viewport": 390, "scrollWidth": 512, "sticking": ["table.wide (right edge at 512 px)"],
        ...     "code": [{"firstLine": "x = 1", "overflows": True, "scrolls": False, "right": 380}]}
        >>> for problem in layout_problems(probe):
        ...     print(problem)
        the page scrolls sideways: 512 px of content in a 390 px viewport; sticking out: table.wide (right edge at 512 px)
        code block "x = 1": too wide and does not scroll inside its own box
    """
    problems = []
    viewport = probe["viewport"]
    if probe["scrollWidth"] > viewport + 1:
        culprits = "; sticking out: " + ", ".join(probe["sticking"]) if probe["sticking"] else ""
        problems.append(
            f"the page scrolls sideways: {probe['scrollWidth']} px of content in a {viewport} px viewport{culprits}"
        )
    for block in probe["code"]:
        if block["overflows"] and not block["scrolls"]:
            problems.append(f'code block "{block["firstLine"]}": too wide and does not scroll inside its own box')
        if block["right"] > viewport + 1:
            problems.append(f'code block "{block["firstLine"]}": reaches {block["right"]:.0f} px, past the viewport')
    return problems


# Each runnable block's role, buttons and visibility, for the exercise pages' structure: a
# starter, its solution folded away in a closed box, and the check the reader runs.
EXERCISE_BLOCKS_JS = """
() => [...document.querySelectorAll('article .mg-run')].map((block, index) => {
  const box = block.closest('details');
  return {
    index,
    role: block.dataset.mgRole || '',
    buttons: [...block.querySelectorAll('.mg-run__button')].map((b) => b.textContent),
    note: !!block.querySelector('.mg-run__note'),
    folded: !!box && box.classList.contains('mg-solution') && !box.open,
    visible: block.checkVisibility(),
    buildOutput: !!block.querySelector('.mg-run__body .mg-output'),
  };
})
"""

# How many blocks show `>>>` examples (the ones with copy buttons the suite clicks).
EXAMPLE_BLOCK_COUNT_JS = """
() => [...document.querySelectorAll('article div.highlight')]
  .filter((block) => /^>>>( |$)/m.test((block.querySelector('code') || block).textContent)).length
"""

_EXERCISE_ORDER = ("starter", "solution", "check")


def exercise_problems(blocks: list[dict[str, Any]]) -> list[str]:
    """Complaints about an exercise page's blocks, from `EXERCISE_BLOCKS_JS`'s result.

    Judged: every block can be run, edited and reset; the roles come as starter,
    solution, check, for at least one exercise; a solution is folded in a closed
    "solution" box, the starter and check are on show, and neither shows an output
    from the build (running them is the reader's job).

    Examples:
        >>> ok = {"role": "", "buttons": ["Run", "Edit", "Reset"], "note": False, "folded": False,
        ...     "visible": True, "buildOutput": False}
        >>> blocks = [{**ok, "index": 0}, {**ok, "index": 1, "role": "starter"},
        ...     {**ok, "index": 2, "role": "solution", "folded": True, "visible": False},
        ...     {**ok, "index": 3, "role": "check"}]
        >>> exercise_problems(blocks)
        []
        >>> blocks[2] = {**blocks[2], "folded": False, "visible": True}
        >>> blocks[3] = {**blocks[3], "buildOutput": True, "buttons": ["Run"]}
        >>> for problem in exercise_problems(blocks):
        ...     print(problem)
        block 3 (check): buttons ['Run'], expected Run, Edit and Reset
        block 2 (solution): not folded away in a closed solution box
        block 3 (check): shows the build's output, which is the reader's to produce
    """
    problems = []
    for block in blocks:
        if not block["note"] and block["buttons"] != ["Run", "Edit", "Reset"]:
            where = f"block {block['index']} ({block['role'] or 'code'})"
            problems.append(f"{where}: buttons {block['buttons']}, expected Run, Edit and Reset")
    roles = [block for block in blocks if block["role"]]
    if not roles:
        return [*problems, "no exercise on the page (no starter, solution and check blocks)"]
    sequence = [block["role"] for block in roles]
    if len(sequence) % 3 or any(sequence[i : i + 3] != list(_EXERCISE_ORDER) for i in range(0, len(sequence), 3)):
        problems.append(f"the exercise blocks do not come as starter, solution, check: {sequence}")
    for block in roles:
        where = f"block {block['index']} ({block['role']})"
        if block["role"] == "solution" and (not block["folded"] or block["visible"]):
            problems.append(f"{where}: not folded away in a closed solution box")
        if block["role"] != "solution" and not block["visible"]:
            problems.append(f"{where}: not visible")
        if block["role"] != "solution" and block["buildOutput"]:
            problems.append(f"{where}: shows the build's output, which is the reader's to produce")
    return problems
