// The playground: train the real library in the page and watch it learn.
//
// Markup: <div class="mg-playground"></div>. Python runs in run-in-page.js's worker; the run
// itself is micrograd.playground.Trainer, driven through docsite.page_tools: each update asks
// for one more training step and gets back the loss, the accuracy, the model's scores over a
// grid (or its fitted curve) and its weights, which this file draws on canvases. The settings
// live in the URL's query, so a link reproduces the run; "Export as Python" shows the
// library's script for the same run.
(function () {
  "use strict";

  const GRID = 24; // boundary grid points per side
  const RED = "#dc2626";
  const BLUE = "#2563eb";

  // The shared DOM builders (run-in-page.js, loaded first).
  const { element, button, textInput, labelled } = window.micrograd_dom;

  function select(options) {
    const node = element("select");
    for (const [value, text] of options) {
      const option = element("option", "", text);
      option.value = value;
      node.append(option);
    }
    return node;
  }

  function numberInput(step, min, max) {
    const node = element("input");
    node.type = "number";
    node.step = step;
    node.min = min;
    if (max !== undefined) node.max = max;
    node.inputMode = "decimal";
    return node;
  }

  function colour(name, fallback) {
    const value = getComputedStyle(document.body).getPropertyValue(name).trim();
    return value || fallback;
  }

  // A canvas sized to its box in CSS pixels, drawn at the screen's resolution.
  function canvas2d(canvas, aspect) {
    const width = canvas.parentElement.clientWidth || 300;
    const height = Math.round(width * aspect);
    const ratio = window.devicePixelRatio || 1;
    if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
      canvas.width = Math.round(width * ratio);
      canvas.height = Math.round(height * ratio);
      canvas.style.height = `${height}px`;
    }
    const ctx = canvas.getContext("2d");
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, width, height);
    return [ctx, width, height];
  }

  function panel(title, aspect, label) {
    const figure = element("figure", "mg-playground__panel");
    const canvas = element("canvas");
    canvas.setAttribute("role", "img");
    canvas.setAttribute("aria-label", label);
    const box = element("div", "mg-playground__canvas");
    box.append(canvas);
    figure.append(box, element("figcaption", "", title));
    return { figure, canvas, aspect };
  }

  function setUp(root) {
    if (root.dataset.mgReady) return;
    root.dataset.mgReady = "1";
    const state = {
      started: false, playing: false, busy: false, settings: null, choices: null, data: null,
      losses: [], accuracies: [], rates: [], drawing: null, network: null, updateTimes: [], query: "",
    };
    root.mgPlayground = state; // read by the browser test suite

    const intro = element("div", "mg-playground__start");
    const startButton = button("Start the playground", "Load Python (about 7 MB, once) and set up the run", () => start(), true);
    const status = element("p", "mg-run__status mg-playground__status");
    status.setAttribute("aria-live", "polite");
    intro.append(startButton);
    root.append(intro, status);

    // --- the form ---
    const controls = {
      dataset: select([]), hidden: textInput("", 8), activation: select([]), loss: select([]),
      optimizer: select([]), lr: numberInput("any", "0", "10"), schedule: select([]),
      steps: numberInput("1", "1"), batch_size: numberInput("1", "0"), l2: numberInput("any", "0", "1"),
      seed: numberInput("1", "0"),
    };
    controls.hidden.inputMode = "numeric";
    const form = element("form", "mg-playground__form");
    form.hidden = true;
    const fields = [
      ["dataset", "Data set"], ["hidden", "Hidden layers", "sizes, e.g. 16, 16"], ["activation", "Activation"],
      ["loss", "Loss"], ["optimizer", "Optimizer"], ["lr", "Learning rate"], ["schedule", "Schedule"],
      ["steps", "Schedule length", "steps"], ["batch_size", "Batch size", "0 = all points"], ["l2", "L2 penalty"],
      ["seed", "Seed", "weights and batches"],
    ];
    for (const [name, text, hint] of fields) form.append(labelled(`mg-pg-${name}`, text, controls[name], hint));
    form.addEventListener("change", (event) => {
      if (event.target === controls.dataset) applyDefaults(controls.dataset.value);
      restart();
    });
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      restart();
    });

    const bar = element("div", "mg-playground__bar");
    bar.hidden = true;
    bar.setAttribute("role", "group");
    bar.setAttribute("aria-label", "Training");
    const play = button("Play", "Train continuously (Pause stops)", () => (state.playing ? pause() : playLoop()), true);
    play.setAttribute("aria-pressed", "false");
    const stepButton = button("Step", "Train one step", () => single());
    const reset = button("Reset", "Start the run over from its first step", () => restart());
    const exportButton = button("Export as Python", "Show a script that reproduces this run with CPython", () => exportScript());
    const copyLink = button("Copy link", "Copy a link that reproduces this run", () => copy(location.href, copyLink));
    bar.append(play, stepButton, reset, exportButton, copyLink);
    const readout = element("p", "mg-playground__readout");
    readout.setAttribute("aria-live", "off");

    const panels = {
      model: panel("The data and the model: shading is the predicted class (or the fitted curve)", 0.75, "The data and what the model predicts"),
      loss: panel("Loss per step (log scale)", 0.5, "Loss curve"),
      accuracy: panel("Accuracy per step, on all points", 0.5, "Accuracy curve"),
      network: panel("The network: blue weights positive, orange negative, thicker is larger", 0.6, "The network's weights"),
    };
    const grid = element("div", "mg-playground__grid");
    grid.hidden = true;
    for (const p of Object.values(panels)) grid.append(p.figure);
    const exported = element("div", "mg-playground__export");
    root.append(form, bar, readout, grid, exported);

    // --- starting and restarting ---
    async function start() {
      startButton.disabled = true;
      await restart(location.search);
    }

    function formQuery() {
      const s = {};
      for (const [name, control] of Object.entries(controls)) s[name] = control.value.trim();
      const params = new URLSearchParams({
        data: s.dataset, hidden: s.hidden.split(/[\s,;x-]+/).filter(Boolean).join("-"), act: s.activation, loss: s.loss,
        opt: s.optimizer, lr: s.lr, sched: s.schedule, steps: s.steps, batch: s.batch_size, l2: s.l2, seed: s.seed,
      });
      return params.toString();
    }

    function applyDefaults(dataset) {
      const defaults = state.choices.datasets[dataset].defaults;
      fillLosses(state.choices.datasets[dataset].kind);
      for (const [name, value] of Object.entries(defaults)) controls[name].value = Array.isArray(value) ? value.join(", ") : value;
    }

    function fillLosses(kind) {
      const current = controls.loss.value;
      controls.loss.replaceChildren(
        ...Object.entries(state.choices.losses)
          .filter(([, loss]) => loss.kinds.includes(kind))
          .map(([value, loss]) => Object.assign(element("option", "", loss.title), { value })),
      );
      if (Array.from(controls.loss.options).some((o) => o.value === current)) controls.loss.value = current;
    }

    async function restart(query) {
      pause();
      while (state.busy) await new Promise((r) => setTimeout(r, 10));
      state.busy = true;
      status.textContent = state.started ? "Setting up the run…" : "Starting Python (the first time loads it, about 7 MB)…";
      try {
        const reply = await window.micrograd_python.call(
          "playground.start", { query: query !== undefined ? query : formQuery() }, (text) => (status.textContent = text),
        );
        if (reply.error) {
          status.textContent = `That setting does not work: ${reply.error}`;
          return;
        }
        if (!state.started) {
          state.started = true;
          setUpChoices(reply.choices);
          intro.hidden = true;
          form.hidden = bar.hidden = grid.hidden = false;
        }
        Object.assign(state, {
          settings: reply.settings, data: reply, losses: [], accuracies: [], rates: [], drawing: null, network: null,
          query: reply.query,
        });
        fillForm(reply.settings);
        history.replaceState(null, "", `${location.pathname}?${reply.query}${location.hash}`);
        exported.textContent = "";
        status.textContent = "Ready: press Play, or Step for one step.";
        const first = await window.micrograd_python.call("playground.advance", { steps: 0, grid: GRID });
        take(first);
      } catch (error) {
        status.textContent = `Python stopped: ${error.message}. Press Reset to start again.`;
      } finally {
        state.busy = false;
      }
    }

    function setUpChoices(choices) {
      state.choices = choices;
      controls.dataset.replaceChildren(
        ...Object.entries(choices.datasets).map(([value, d]) => Object.assign(element("option", "", d.title), { value })),
      );
      controls.activation.replaceChildren(...choices.activations.map((a) => Object.assign(element("option", "", a), { value: a })));
      controls.optimizer.replaceChildren(
        ...Object.entries(choices.optimizers).map(([value, title]) => Object.assign(element("option", "", title), { value })),
      );
      controls.schedule.replaceChildren(
        ...Object.entries(choices.schedules).map(([value, title]) => Object.assign(element("option", "", title), { value })),
      );
    }

    function fillForm(settings) {
      fillLosses(state.choices.datasets[settings.dataset].kind);
      for (const [name, control] of Object.entries(controls)) {
        const value = settings[name];
        control.value = Array.isArray(value) ? value.join(", ") : String(value);
      }
    }

    // --- training ---
    function take(reply) {
      if (reply.error) throw new Error(reply.error);
      for (const [, loss, accuracy, rate] of reply.results) {
        state.losses.push(loss);
        state.accuracies.push(accuracy);
        state.rates.push(rate);
      }
      state.drawing = reply.drawing;
      state.network = reply.network;
      drawAll();
    }

    async function advance() {
      const reply = await window.micrograd_python.call("playground.advance", { steps: 1, grid: GRID });
      take(reply);
      state.updateTimes.push(performance.now());
    }

    async function single() {
      if (state.busy || !state.started) return;
      pause();
      state.busy = true;
      try {
        await advance();
      } catch (error) {
        status.textContent = `Could not train: ${error.message}`;
      } finally {
        state.busy = false;
      }
    }

    async function playLoop() {
      if (state.busy || !state.started) return;
      state.playing = true;
      state.busy = true;
      play.textContent = "Pause";
      play.setAttribute("aria-pressed", "true");
      status.textContent = "Training…";
      const goal = Math.max(state.settings.steps, state.losses.length + 1);
      try {
        while (state.playing && state.losses.length < goal) {
          await advance();
          await new Promise((r) => setTimeout(r, 0)); // let the page handle clicks between updates
        }
        status.textContent = state.playing
          ? `Paused at the end of the schedule (${goal} steps); Play trains on.`
          : `Paused at step ${state.losses.length}.`;
      } catch (error) {
        status.textContent = `Could not train: ${error.message}`;
      } finally {
        state.busy = false;
        pause();
      }
    }

    function pause() {
      state.playing = false;
      play.textContent = "Play";
      play.setAttribute("aria-pressed", "false");
    }

    async function exportScript() {
      if (!state.started) return;
      const steps = Math.max(state.losses.length, 1);
      const reply = await window.micrograd_python.call("playground.export", { steps });
      exported.textContent = "";
      const note = element("p", "", `A script that runs the same ${steps} step${steps === 1 ? "" : "s"} with CPython and this library ` +
        "and prints each step's loss (the same numbers as the curve above):");
      const pre = element("pre", "mg-playground__script");
      const code = element("code", "", reply.script);
      pre.append(code);
      pre.tabIndex = 0;
      const actions = element("div", "mg-playground__bar");
      const blob = new Blob([reply.script], { type: "text/x-python" });
      const download = element("a", "md-button mg-run__button", "Download playground_run.py");
      download.href = URL.createObjectURL(blob);
      download.download = "playground_run.py";
      actions.append(download, button("Copy the script", "Copy the script", (event) => copy(reply.script, event.target)));
      exported.append(note, actions, pre);
    }

    async function copy(text, target) {
      try {
        await navigator.clipboard.writeText(text);
        target.textContent = "Copied";
      } catch {
        target.textContent = "Copy failed: select and copy";
      }
    }

    // --- drawing ---
    function fmt(x) {
      return typeof x === "number" ? (Math.abs(x) >= 0.01 ? x.toFixed(4) : x.toPrecision(3)) : x;
    }

    function drawAll() {
      const n = state.losses.length;
      const last = n ? state.losses[n - 1] : null;
      const acc = n ? state.accuracies[n - 1] : null;
      const times = state.updateTimes.slice(-11);
      const rate = times.length > 1 ? (times.length - 1) / ((times[times.length - 1] - times[0]) / 1000) : null;
      readout.textContent = n
        ? `Step ${n}: loss ${fmt(last)}${acc === null ? "" : `, accuracy ${Math.round(acc * 100)} %`}, ` +
          `learning rate ${fmt(state.rates[n - 1])}${rate && state.playing ? `, ${rate.toFixed(1)} updates/s` : ""}`
        : "Step 0: not trained yet.";
      drawModel();
      drawCurve(panels.loss, state.losses, true);
      drawCurve(panels.accuracy, state.accuracies, false);
      drawNetwork();
    }

    function axes(ctx, width, height) {
      ctx.strokeStyle = colour("--md-default-fg-color--lighter", "#999");
      ctx.lineWidth = 1;
      ctx.strokeRect(0.5, 0.5, width - 1, height - 1);
    }

    function drawModel() {
      const p = panels.model;
      const [ctx, width, height] = canvas2d(p.canvas, p.aspect);
      const { bounds, X, y, kind } = state.data;
      const [x0, x1] = bounds[0];
      const toX = (v) => ((v - x0) / (x1 - x0)) * width;
      if (kind === "classification") {
        const [y0, y1] = bounds[1];
        const toY = (v) => height - ((v - y0) / (y1 - y0)) * height;
        const drawing = state.drawing;
        if (drawing) {
          // One pixel per grid point, scaled up smoothly: the shading fades across the boundary.
          const n = drawing.grid;
          const small = document.createElement("canvas");
          small.width = small.height = n;
          const image = small.getContext("2d").createImageData(n, n);
          drawing.scores.forEach((score, k) => {
            const i = k % n;
            const j = n - 1 - Math.floor(k / n); // the grid's first row is the lowest y
            const strength = typeof score === "number" ? Math.min(1, Math.abs(score)) : 1;
            const [r, g, b] = score > 0 ? [37, 99, 235] : [220, 38, 38];
            image.data.set([r, g, b, Math.round(255 * (0.15 + 0.35 * strength))], 4 * (j * n + i));
          });
          small.getContext("2d").putImageData(image, 0, 0);
          ctx.imageSmoothingEnabled = true;
          ctx.drawImage(small, 0, 0, width, height);
        }
        X.forEach((point, k) => {
          ctx.beginPath();
          ctx.arc(toX(point[0]), toY(point[1]), 3.5, 0, 2 * Math.PI);
          ctx.fillStyle = y[k] > 0 ? BLUE : RED;
          ctx.fill();
          ctx.strokeStyle = "#fff";
          ctx.lineWidth = 1;
          ctx.stroke();
        });
      } else {
        const values = y.concat(state.drawing ? state.drawing.curve.filter((v) => typeof v === "number") : []);
        let lo = Math.min(...values);
        let hi = Math.max(...values);
        const pad = 0.1 * (hi - lo || 1);
        lo -= pad;
        hi += pad;
        const toY = (v) => height - ((v - lo) / (hi - lo)) * height;
        if (state.drawing) {
          ctx.beginPath();
          state.drawing.xs.forEach((x, k) => {
            const v = state.drawing.curve[k];
            if (typeof v === "number") ctx[k ? "lineTo" : "moveTo"](toX(x), toY(v));
          });
          ctx.strokeStyle = RED;
          ctx.lineWidth = 2;
          ctx.stroke();
        }
        X.forEach((point, k) => {
          ctx.beginPath();
          ctx.arc(toX(point[0]), toY(y[k]), 3.5, 0, 2 * Math.PI);
          ctx.fillStyle = BLUE;
          ctx.fill();
        });
      }
      axes(ctx, width, height);
    }

    function drawCurve(p, values, logScale) {
      const [ctx, width, height] = canvas2d(p.canvas, p.aspect);
      const ink = colour("--md-default-fg-color--light", "#666");
      axes(ctx, width, height);
      const finite = values.filter((v) => typeof v === "number" && (!logScale || v > 0));
      p.figure.hidden = !logScale && values.length > 0 && values.every((v) => v === null);
      if (!finite.length) return;
      const f = logScale ? Math.log10 : (v) => v;
      let lo = logScale ? f(Math.min(...finite)) : 0;
      let hi = logScale ? f(Math.max(...finite)) : 1;
      if (hi - lo < 1e-9) {
        lo -= 0.5;
        hi += 0.5;
      }
      const left = 44;
      const top = 8;
      const bottom = 18;
      const toX = (k) => left + (values.length > 1 ? (k / (values.length - 1)) * (width - left - 8) : 0);
      const toY = (v) => top + (1 - (f(v) - lo) / (hi - lo)) * (height - top - bottom);
      ctx.fillStyle = ink;
      ctx.font = "11px sans-serif";
      ctx.textBaseline = "middle";
      const ticks = logScale ? [10 ** hi, 10 ** lo] : [1, 0.5, 0];
      for (const t of ticks) ctx.fillText(logScale ? t.toPrecision(2) : `${t * 100} %`, 4, toY(t));
      ctx.textBaseline = "alphabetic";
      ctx.fillText(`${values.length} steps`, width - 60, height - 4);
      ctx.beginPath();
      let started = false;
      values.forEach((v, k) => {
        if (typeof v !== "number" || (logScale && v <= 0)) return;
        ctx[started ? "lineTo" : "moveTo"](toX(k), toY(v));
        started = true;
      });
      ctx.strokeStyle = colour("--md-typeset-a-color", BLUE);
      ctx.lineWidth = 2;
      ctx.stroke();
    }

    function drawNetwork() {
      const p = panels.network;
      const [ctx, width, height] = canvas2d(p.canvas, p.aspect);
      const layers = state.network;
      if (!layers) return;
      const sizes = [layers[0][0].length - 1, ...layers.map((layer) => layer.length)];
      const x = (l) => 16 + (l / (sizes.length - 1)) * (width - 32);
      const y = (l, i) => (height * (i + 0.5)) / sizes[l];
      let biggest = 0;
      for (const layer of layers) for (const neuron of layer) for (const w of neuron.slice(0, -1)) biggest = Math.max(biggest, Math.abs(w) || 0);
      layers.forEach((layer, l) => {
        layer.forEach((neuron, j) => {
          neuron.slice(0, -1).forEach((w, i) => {
            if (typeof w !== "number") return;
            ctx.beginPath();
            ctx.moveTo(x(l), y(l, i));
            ctx.lineTo(x(l + 1), y(l + 1, j));
            ctx.strokeStyle = w >= 0 ? "rgba(37, 99, 235, 0.75)" : "rgba(234, 88, 12, 0.75)";
            ctx.lineWidth = 0.3 + 3 * (Math.abs(w) / (biggest || 1));
            ctx.stroke();
          });
        });
      });
      const ink = colour("--md-default-fg-color", "#222");
      sizes.forEach((size, l) => {
        for (let i = 0; i < size; i++) {
          ctx.beginPath();
          ctx.arc(x(l), y(l, i), Math.min(6, height / size / 2.5), 0, 2 * Math.PI);
          ctx.fillStyle = colour("--md-default-bg-color", "#fff");
          ctx.fill();
          ctx.strokeStyle = ink;
          ctx.lineWidth = 1.2;
          ctx.stroke();
        }
      });
    }

    window.addEventListener("resize", () => state.started && drawAll());
    // Material switches the colour scheme with an attribute on <body>: redraw in the new colours.
    new MutationObserver(() => state.started && drawAll()).observe(document.body, {
      attributes: true, attributeFilter: ["data-md-color-scheme"],
    });
  }

  function setUpAll() {
    document.querySelectorAll(".mg-playground").forEach(setUp);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setUpAll);
  else setUpAll();
})();
