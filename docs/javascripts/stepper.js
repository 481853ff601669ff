// The backward stepper: backward() one node at a time, on an expression the reader types.
//
// Markup: <div class="mg-stepper" data-expression="a*b + a" data-inputs="a=2, b=-3"></div>.
// The page's Python (run-in-page.js's worker) builds the graph with the real engine and runs
// each node's own _backward() in reverse topological order, recording every step
// (docsite.page_tools.stepper); viz.js lays the graph out. Stepping back and forth only
// replays those recorded steps here, so it is instant.
(function () {
  "use strict";

  // The shared DOM builders (run-in-page.js, loaded first).
  const { element, button, textInput, labelled } = window.micrograd_dom;

  // A labelled one-line text box: [the field, its input].
  function field(id, labelText, value, size) {
    const input = textInput(value, size);
    return [labelled(id, labelText, input), input];
  }

  // A number as Python's repr would show it (shortest round trip), so the page matches the engine's digits.
  function number(x) {
    if (typeof x === "string") return x; // "nan", "inf" from the worker
    if (Number.isInteger(x)) return x.toFixed(1);
    return String(x);
  }

  function short(x) {
    return typeof x === "string" ? x : x.toFixed(4);
  }

  let count = 0;

  function setUp(root) {
    if (root.dataset.mgReady) return;
    root.dataset.mgReady = "1";
    const n = ++count;
    const form = element("form", "mg-stepper__form");
    const [exprWrap, expression] = field(`mg-stepper-expr-${n}`, "Expression", root.dataset.expression || "a*b + a", 24);
    const [inputsWrap, inputs] = field(`mg-stepper-inputs-${n}`, "Inputs", root.dataset.inputs || "a=2, b=-3", 16);
    const draw = element("button", "md-button md-button--primary mg-run__button", "Draw the graph");
    draw.type = "submit";
    form.append(exprWrap, inputsWrap, draw);

    const bar = element("div", "mg-stepper__bar");
    bar.setAttribute("role", "group");
    bar.setAttribute("aria-label", "Backward steps");
    const back = button("◀ Back", "Undo the last step", () => go(state.position - 1));
    const forward = button("Step ▶", "Run the next node's local chain rule", () => go(state.position + 1));
    const end = button("All steps", "Run every remaining step, as backward() does", () => go(state.steps.length));
    const start = button("Start over", "Back to all gradients 0", () => go(0));
    const status = element("span", "mg-run__status");
    status.setAttribute("aria-live", "polite");
    bar.append(back, forward, end, start, status);

    const rule = element("div", "mg-stepper__rule");
    rule.setAttribute("aria-live", "polite");
    const figure = element("figure", "mg-figure mg-figure--graph mg-stepper__graph");
    const canvas = element("div", "mg-figure__canvas");
    canvas.tabIndex = 0;
    canvas.setAttribute("role", "img");
    figure.append(canvas); // put in the page once there is a graph to show
    const check = element("div", "mg-stepper__check");
    root.append(form, bar, rule, check);

    const state = { steps: [], nodes: [], position: 0, grads: [], backward: [] };
    root.mgStepper = state; // read by the browser test suite
    setEnabled(false);

    function setEnabled(on) {
      for (const b of [back, forward, end, start]) b.disabled = !on;
      if (on) {
        back.disabled = state.position === 0;
        start.disabled = state.position === 0;
        forward.disabled = end.disabled = state.position === state.steps.length;
      }
    }

    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      draw.disabled = true;
      status.textContent = "Building the graph…";
      try {
        const reply = await window.micrograd_python.call(
          "stepper",
          { expression: expression.value, inputs: inputs.value },
          (text) => (status.textContent = text),
        );
        if (reply.error) {
          status.textContent = `Could not draw it: ${reply.error}`;
          return;
        }
        canvas.innerHTML = await window.micrograd_python.draw(reply.dot);
        if (!figure.isConnected) check.before(figure);
        canvas.setAttribute("aria-label", `The graph of ${expression.value}, with each node's data and grad`);
        Object.assign(state, {
          steps: reply.steps, nodes: reply.nodes, backward: reply.backward, stepped: reply.stepped, expression: expression.value,
        });
        go(0);
      } catch (error) {
        status.textContent = `Could not draw it: ${error.message}`;
      } finally {
        draw.disabled = false;
      }
    });

    function nodeGroup(name) {
      return Array.from(canvas.querySelectorAll("g.node")).find((g) => g.querySelector("title")?.textContent === name);
    }

    function edgeGroups(from, to) {
      return Array.from(canvas.querySelectorAll("g.edge")).filter((g) => g.querySelector("title")?.textContent === `${from}->${to}`);
    }

    // Grads after `position` steps: the recorded "after" of every change so far.
    function gradsAt(position) {
      const grads = state.nodes.map(() => 0);
      for (const step of state.steps.slice(0, position)) for (const c of step.changes) grads[c.child] = c.after;
      return grads;
    }

    function go(position) {
      position = Math.max(0, Math.min(state.steps.length, position));
      state.position = position;
      state.grads = gradsAt(position);
      canvas.querySelectorAll(".mg-step--node, .mg-step--child, .mg-step--edge").forEach((g) =>
        g.classList.remove("mg-step--node", "mg-step--child", "mg-step--edge"),
      );
      state.nodes.forEach((node, i) => {
        const texts = nodeGroup(`v${i}`)?.querySelectorAll("text");
        if (texts && texts.length) texts[texts.length - 1].textContent = `grad ${short(state.grads[i])}`;
      });
      const last = position > 0 ? state.steps[position - 1] : null;
      rule.textContent = "";
      if (last) {
        const node = state.nodes[last.node];
        nodeGroup(`v${last.node}`)?.classList.add("mg-step--node");
        nodeGroup(`op${last.node}`)?.classList.add("mg-step--node");
        const heading = element("p", "mg-stepper__what");
        if (position === 1) {
          heading.append("Start: the output's own gradient, ", element("code", "", "out.grad = 1"), ` (out is ${node.label}).`);
        } else {
          heading.append(`Node ${node.label}, operation `, element("code", "", last.op), ", rule ", element("code", "", last.rule));
        }
        const list = element("ul", "mg-stepper__changes");
        for (const c of last.changes) {
          const child = state.nodes[c.child];
          if (position > 1) {
            nodeGroup(`v${c.child}`)?.classList.add("mg-step--child");
            edgeGroups(`v${c.child}`, `op${last.node}`).forEach((g) => g.classList.add("mg-step--edge"));
          }
          const added = typeof c.after === "number" && typeof c.before === "number" ? c.after - c.before : NaN;
          const item = element("li");
          const line = position === 1 ? `${child.label}.grad = ${number(c.after)}`
            : `${child.label}.grad += ${Number.isNaN(added) ? "nan" : number(added)}:  ${number(c.before)} → ${number(c.after)}`;
          item.append(element("code", "", line));
          if (c.times > 1) item.append(` (${c.times} arrows from this node: ${c.times} += into the same grad)`);
          else if (c.before !== 0 && position > 1) item.append(" (added to what an earlier step left there)");
          list.append(item);
        }
        rule.append(heading, list);
      } else if (state.steps.length) {
        rule.append(element("p", "mg-stepper__what", "Every grad is 0. Press Step to start backward() at the output."));
      }
      status.textContent = state.steps.length ? `Step ${position} of ${state.steps.length}` : "";
      showCheck(position === state.steps.length && state.steps.length > 0);
      setEnabled(state.steps.length > 0);
    }

    // After the last step: every grad next to what backward() computes on the same expression.
    function showCheck(done) {
      check.textContent = "";
      if (!done) return;
      const same = state.grads.every((g, i) => number(g) === number(state.backward[i]));
      check.append(element("p", "", same ? "Done. Every gradient equals what backward() gives:" : "Done, but some gradients differ from backward():"));
      const scroll = element("div", "mg-stepper__table");
      const table = element("table");
      const head = element("tr");
      for (const text of ["node", "grad after the steps", "backward()"]) head.append(element("th", "", text));
      table.append(head);
      state.nodes.forEach((node, i) => {
        const row = element("tr");
        row.append(element("td", "", node.label), element("td", "mg-stepper__grad", number(state.grads[i])),
          element("td", "mg-stepper__backward", number(state.backward[i])));
        table.append(row);
      });
      scroll.append(table);
      check.append(scroll);
    }
  }

  function setUpAll() {
    document.querySelectorAll(".mg-stepper").forEach(setUp);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setUpAll);
  else setUpAll();
})();
