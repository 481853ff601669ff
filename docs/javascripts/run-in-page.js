// Run, Edit and Reset on every example of a chapter, with Python running in the page.
//
// The build wraps each runnable block in <div class="mg-run"> carrying its kind
// (pycon or exec), its code as written and its fence options. The first Run
// starts Python in a Web Worker (python-worker.mjs, served by this site; nothing
// comes from another host). Running a block first runs the page's earlier blocks
// that have not run yet, in page order, in one namespace, as the build does; its
// output then replaces the build's, and an example whose output differs from the
// page's is marked.
//
// On an exercise page the blocks carry a role (data-mg-role): a "starter" the reader
// edits, a "solution" (runs only when its own Run is pressed, never as a block above)
// and a "check", whose OK or WRONG is what the reader is after.
(function () {
  "use strict";

  const WORKER_URL = new URL("python-worker.mjs", document.currentScript.src);
  const NEEDS = {
    matplotlib:
      "Runs only when the site is built: it draws a plot with matplotlib, which cannot run in the browser. " +
      "The figure shown was made by the build.",
    numpy:
      "Runs only on your own machine: it uses NumPy (micrograd.tensor), which the Python in this page does not have. " +
      'Install it with pip install "micrograd-literate[tensor]" or download the notebook. ' +
      "What is shown here was produced when the site was built.",
  };

  // One Python session per page view; it is started on the first Run.
  const runtime = {
    worker: null,
    ready: null,
    queue: Promise.resolve(),
    nextId: 1,
    listeners: new Map(), // message id -> function(message)
    replies: {}, // block index -> its last reply (read by the browser test suite)
    ranUpTo: -1, // index of the last block that ran in this session
    stats: { starts: 0, readySeconds: [], firstOutputSeconds: null, clickedAt: null },
  };
  window.micrograd_runtime = runtime; // read by the browser test suite

  // --- small DOM builders, shared with the page's tools (stepper.js, playground.js) ------

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function button(label, title, action, primary) {
    const node = element("button", `md-button mg-run__button${primary ? " md-button--primary" : ""}`, label);
    node.type = "button";
    node.title = title;
    node.addEventListener("click", action);
    return node;
  }

  // A one-line text box for code or settings: no spell check or autofill, which would mangle them.
  function textInput(value, size) {
    const node = element("input");
    node.type = "text";
    node.value = value;
    node.size = size;
    node.spellcheck = false;
    node.autocomplete = "off";
    return node;
  }

  // A form control with its visible <label> (and an optional hint the control is described by).
  function labelled(id, text, control, hint) {
    const wrap = element("div", "mg-field");
    const label = element("label", "", text);
    label.htmlFor = id;
    control.id = id;
    wrap.append(label, control);
    if (hint) {
      const small = element("span", "mg-field__hint", hint);
      small.id = `${id}-hint`;
      control.setAttribute("aria-describedby", small.id);
      wrap.append(small);
    }
    return wrap;
  }

  // Loaded before stepper.js and playground.js (mkdocs.yml's extra_javascript order), which use these.
  window.micrograd_dom = { element, button, textInput, labelled };

  function blocks() {
    return Array.from(document.querySelectorAll(".mg-run"));
  }

  // --- the worker --------------------------------------------------------------------

  function startWorker(statusOf) {
    const worker = new Worker(WORKER_URL, { type: "module" });
    runtime.worker = worker;
    runtime.stats.starts += 1;
    runtime.ready = new Promise((resolve, reject) => {
      runtime.listeners.set("ready", (message) => {
        runtime.stats.readySeconds.push(message.seconds);
        resolve();
      });
      runtime.listeners.set("fatal", (message) => reject(new Error(message.message)));
    });
    worker.onmessage = (event) => {
      const message = event.data;
      const listener = runtime.listeners.get(message.type === "ready" || message.type === "fatal" ? message.type : message.id);
      if (message.type === "fatal") {
        fail(message.message);
      } else if (listener) {
        listener(message);
      }
    };
    worker.onerror = (event) => fail(event.message || "the Python worker stopped");
    statusOf("Starting Python (the first run loads it, about 7 MB)…");
    return runtime.ready;
  }

  // The runtime died (a fatal Python error, a stack overflow, out of memory): say so,
  // drop it, and let the next Run start a fresh one that re-runs the blocks above.
  function fail(reason) {
    if (runtime.worker) runtime.worker.terminate();
    runtime.worker = null;
    runtime.ready = null;
    runtime.ranUpTo = -1;
    const waiting = Array.from(runtime.listeners.entries());
    runtime.listeners.clear();
    for (const [key, listener] of waiting) if (key !== "ready") listener({ type: "fatal", message: reason });
    for (const block of blocks()) block.classList.remove("mg-run--ran");
    const notice = document.querySelector(".mg-run-restarted") || element("div", "mg-run-restarted admonition failure");
    notice.textContent =
      `Python stopped (${reason}). It starts again on the next Run, which first re-runs the examples above it.`;
    notice.setAttribute("role", "alert");
    const first = document.querySelector(".mg-run--active") || blocks()[0];
    if (first && !notice.isConnected) first.before(notice);
  }

  function send(message, onOutput) {
    const id = runtime.nextId++;
    return new Promise((resolve, reject) => {
      runtime.listeners.set(id, (reply) => {
        if (reply.type === "output") return onOutput(reply.text);
        runtime.listeners.delete(id);
        if (reply.type === "fatal") reject(new Error(reply.message));
        else resolve(reply);
      });
      runtime.worker.postMessage({ ...message, id });
    });
  }

  // --- running ----------------------------------------------------------------------

  function codeOf(block) {
    const editor = block.querySelector(".mg-run__editor");
    return editor ? editor.value : block.dataset.mgCode;
  }

  function runFrom(index) {
    // One run at a time, in click order: a session is one sequence of blocks.
    runtime.queue = runtime.queue.then(() => runUpTo(index)).catch(() => {});
    return runtime.queue;
  }

  async function runUpTo(index) {
    const all = blocks();
    const target = all[index];
    const status = (text) => (target.querySelector(".mg-run__status").textContent = text);
    document.querySelector(".mg-run-restarted")?.remove();
    all.forEach((block) => block.classList.remove("mg-run--active"));
    target.classList.add("mg-run--active");
    runtime.stats.clickedAt = performance.now();
    try {
      if (!runtime.worker) await startWorker(status);
      await runtime.ready;
      for (let i = runtime.ranUpTo + 1; i < index; i++) {
        if (all[i].dataset.mgNeeds || all[i].dataset.mgRole === "solution") continue;
        status(`Running the examples above first (${i + 1} of ${index})…`);
        await runBlock(all[i], false);
      }
      status("Running…");
      const reply = await runBlock(target, true);
      status(reply.summary);
      runtime.ranUpTo = Math.max(runtime.ranUpTo, index);
    } catch (error) {
      status(`Could not run: ${error.message}`);
    }
  }

  async function runBlock(block, visible) {
    const kind = block.dataset.mgKind;
    const live = visible ? livePane(block) : null;
    const reply = await send(
      { type: "run", kind, code: codeOf(block), options: JSON.parse(block.dataset.mgOptions) },
      (text) => {
        if (runtime.stats.firstOutputSeconds === null && visible) {
          runtime.stats.firstOutputSeconds = (performance.now() - runtime.stats.clickedAt) / 1000;
        }
        if (live) live.querySelector("code").append(text);
      },
    );
    block.classList.add("mg-run--ran");
    runtime.replies[blocks().indexOf(block)] = reply;
    if (runtime.stats.firstOutputSeconds === null && visible) {
      runtime.stats.firstOutputSeconds = (performance.now() - runtime.stats.clickedAt) / 1000;
    }
    if (live) show(block, live, reply);
    const differing = kind === "pycon" ? reply.parts.filter((part) => part.differs).length : reply.differs.length;
    const took = reply.seconds < 0.01 ? "under 0.01 s" : `${reply.seconds.toFixed(2)} s`;
    // How this run compares with the page (read by the browser test suite, shown in the status).
    const built = block.querySelector(".mg-run__body .mg-output code");
    const printedSame = kind === "pycon" || (built ? built.textContent : "").trimEnd() === reply.shown.trimEnd();
    const role = block.dataset.mgRole;
    // A check's verdict is its last line: "OK", or "WRONG: expected …, got …".
    const verdict = role === "check" && !reply.error && !differing ? reply.shown.trim().split("\n").pop() : "";
    const checked = verdict.startsWith("OK") ? "ok" : verdict.startsWith("WRONG") ? "wrong" : "printed-otherwise";
    block.dataset.mgResult = reply.error
      ? "error"
      : differing
        ? "differs"
        : role === "check"
          ? checked
          : printedSame
            ? "same"
            : "printed-otherwise";
    reply.summary = reply.error
      ? `Could not run: ${reply.error}`
      : kind === "pycon"
        ? differing
          ? `Ran in ${took}: ${differing} of ${reply.parts.length} outputs differ from the page (marked).`
          : `Ran in ${took}: every output matches the page.`
        : differing
          ? `Ran in ${took}: it raised an exception (shown).`
          : role === "check"
            ? checked === "ok"
              ? `Ran in ${took}: your answer passes the check.`
              : checked === "wrong"
                ? `Ran in ${took}: not yet; the check says what it expected.`
                : `Ran in ${took}.`
          : printedSame
            ? `Ran in ${took}: the same output as the page.`
            : `Ran in ${took}: it printed something other than the page shows.`;
    return reply;
  }

  // Where a visible run shows its output: in place of the build's output.
  function livePane(block) {
    block.querySelector(".mg-run__live")?.remove();
    const live = element("div", "mg-run__live");
    const pre = element("pre", "mg-run__output");
    pre.append(element("code"));
    live.append(pre);
    block.querySelector(".mg-run__body").after(live);
    block.classList.add("mg-run--live");
    return live;
  }

  function show(block, live, reply) {
    const code = live.querySelector("code");
    code.textContent = "";
    if (block.dataset.mgKind === "pycon") {
      // As wide as the longest line, so a marked example's band spans the whole scrolled width.
      const lines = element("span", "mg-run__lines");
      for (const part of reply.parts) {
        const piece = element("span", part.differs ? "mg-run__example mg-run__example--differs" : "mg-run__example", part.text);
        lines.append(piece);
        if (part.differs) {
          const note = element("span", "mg-run__expected", `▲ differs from the page, which expects:\n${part.want}`);
          lines.append(note);
        }
      }
      code.append(lines);
    } else {
      code.textContent = reply.shown;
      if (reply.differs.length) live.querySelector("pre").classList.add("mg-run__output--raised");
      if (block.dataset.mgRole === "check" && !reply.differs.length) {
        const last = reply.shown.trim().split("\n").pop();
        if (last.startsWith("OK")) live.querySelector("pre").classList.add("mg-run__output--ok");
        if (last.startsWith("WRONG")) live.querySelector("pre").classList.add("mg-run__output--wrong");
      }
    }
    if (!code.textContent) live.querySelector("pre").remove();
    if (reply.error) live.prepend(element("p", "mg-run__error", reply.error));
    if (reply.svg) {
      const figure = element("figure", "mg-figure mg-figure--graph mg-run__figure");
      const canvas = element("div", "mg-figure__canvas");
      canvas.setAttribute("role", "img");
      canvas.setAttribute("aria-label", JSON.parse(block.dataset.mgOptions).alt || "graph drawn in the page");
      canvas.tabIndex = 0;
      canvas.innerHTML = reply.svg;
      figure.append(canvas);
      live.append(figure);
      if (window.micrograd_enhanceFigures) window.micrograd_enhanceFigures(live); // "Full size" when too wide
    }
  }

  // --- edit and reset ---------------------------------------------------------------

  function edit(block) {
    if (block.querySelector(".mg-run__editor")) return;
    const editor = element("textarea", "mg-run__editor");
    editor.value = block.dataset.mgCode;
    editor.spellcheck = false;
    editor.setAttribute("aria-label", "Edit the example; Ctrl+Enter runs it");
    editor.wrap = "off"; // a wrapped line would read as a new statement
    editor.rows = Math.min(30, editor.value.trimEnd().split("\n").length + 1);
    editor.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        runFrom(blocks().indexOf(block));
      }
    });
    block.querySelector(".mg-run__body").before(editor);
    block.classList.add("mg-run--editing");
    editor.focus();
  }

  function reset(block) {
    block.querySelector(".mg-run__editor")?.remove();
    block.querySelector(".mg-run__live")?.remove();
    block.classList.remove("mg-run--editing", "mg-run--live");
    block.querySelector(".mg-run__status").textContent = "";
  }

  // --- the same Python for the page's tools (the playground, the backward stepper) ---------

  // window.micrograd_python.call("playground.start", {query}) -> the tool's answer (docsite.page_tools);
  // .draw(dot) -> SVG. The first use starts Python (`status` hears how it goes), as the first Run does.
  async function started(status) {
    if (!runtime.worker) await startWorker(status || (() => {}));
    await runtime.ready;
  }
  window.micrograd_python = {
    async call(name, args, status) {
      await started(status);
      const reply = await send({ type: "call", name, args }, () => {});
      return reply.result;
    },
    async draw(dot, status) {
      await started(status);
      return (await send({ type: "draw", dot }, () => {})).svg;
    },
  };

  // --- set-up -----------------------------------------------------------------------

  function setUp(block) {
    if (block.querySelector(".mg-run__bar")) return;
    const body = element("div", "mg-run__body");
    body.append(...block.childNodes);
    const bar = element("div", "mg-run__bar");
    const status = element("span", "mg-run__status");
    status.setAttribute("aria-live", "polite");
    if (block.dataset.mgNeeds) {
      bar.append(element("span", "mg-run__note", NEEDS[block.dataset.mgNeeds] || `Needs ${block.dataset.mgNeeds}.`));
    } else {
      bar.append(
        button("Run", "Run this example in the page (and the ones above it that have not run)", () =>
          runFrom(blocks().indexOf(block)),
        ),
        button("Edit", "Change the code, then Run", () => edit(block)),
        button("Reset", "Back to the page's code and output", () => reset(block)),
      );
    }
    bar.append(status);
    block.append(bar, body);
  }

  function setUpAll() {
    blocks().forEach(setUp);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setUpAll);
  else setUpAll();
})();
