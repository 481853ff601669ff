// Python for the page, in a Web Worker: Pyodide (CPython compiled to WebAssembly)
// loaded from this site's own copy, with micrograd and the build's executor
// unpacked into it. run-in-page.js starts this worker on the first Run.
//
// Messages in:   {type: "run", id, kind, code, options}   run one block
//                {type: "reset"}                          start the page's session over
//                {type: "call", id, name, args}           a page tool (docsite.page_tools), e.g. the playground
//                {type: "draw", id, dot}                  lay out a DOT graph with viz.js
// Messages out:  {type: "ready", seconds}                  Python is up
//                {type: "output", id, text}                 printed text, as it is printed
//                {type: "done", id, shown, differs, svg, error, seconds}   (a run)
//                {type: "done", id, result, seconds}        (a call: the tool's JSON answer, parsed)
//                {type: "done", id, svg}                    (a draw)
//                {type: "fatal", message}                   the runtime died; start a new worker

import { loadPyodide } from "../assets/runtime/pyodide/pyodide.mjs";

const RUNTIME = new URL("../assets/runtime/", import.meta.url);
let session = null; // docsite.page_session, once Python is up
let tools = null; // docsite.page_tools
let viz = null; // viz.js, loaded on the first graph

async function startPython() {
  const started = performance.now();
  const pyodide = await loadPyodide({ indexURL: new URL("pyodide/", RUNTIME).href });
  const bundle = await fetch(new URL("python-bundle.zip", RUNTIME));
  if (!bundle.ok) throw new Error(`the page's Python files are missing (${bundle.status})`);
  const files = await fetch(new URL("page-files.zip", RUNTIME));
  if (!files.ok) throw new Error(`the files the chapters read are missing (${files.status})`);
  const sitePackages = pyodide.runPython("import sysconfig; sysconfig.get_path('purelib')");
  pyodide.unpackArchive(await bundle.arrayBuffer(), "zip", { extractDir: sitePackages });
  // The working directory stands for the project's root, as it does when the site is built.
  pyodide.unpackArchive(await files.arrayBuffer(), "zip", { extractDir: pyodide.runPython("import os; os.getcwd()") });
  session = pyodide.pyimport("docsite.page_session");
  session.reset();
  tools = pyodide.pyimport("docsite.page_tools");
  self.postMessage({ type: "ready", seconds: (performance.now() - started) / 1000 });
}

async function drawGraph(dot) {
  if (viz === null) {
    const module = await import(new URL("viz.js", RUNTIME).href);
    viz = await module.instance();
  }
  return viz.renderString(dot, { format: "svg" });
}

async function runBlock({ id, kind, code, options }) {
  const started = performance.now();
  const echo = (text) => self.postMessage({ type: "output", id, text });
  const result = JSON.parse(session.run_block(kind, code, JSON.stringify(options), echo));
  let svg = "";
  if (result.dot) {
    try {
      svg = await drawGraph(result.dot);
    } catch (error) {
      result.error = `drawing the graph failed: ${error}`;
    }
  }
  self.postMessage({ type: "done", id, ...result, svg, seconds: (performance.now() - started) / 1000 });
}

const ready = startPython().catch((error) => {
  self.postMessage({ type: "fatal", message: `Python could not start: ${error}` });
  throw error;
});

self.onmessage = async (event) => {
  try {
    await ready;
    if (event.data.type === "reset") session.reset();
    if (event.data.type === "run") await runBlock(event.data);
    if (event.data.type === "call") {
      const started = performance.now();
      const result = JSON.parse(tools.call(event.data.name, JSON.stringify(event.data.args)));
      self.postMessage({ type: "done", id: event.data.id, result, seconds: (performance.now() - started) / 1000 });
    }
    if (event.data.type === "draw") {
      self.postMessage({ type: "done", id: event.data.id, svg: await drawGraph(event.data.dot) });
    }
  } catch (error) {
    // A Python exception inside a block is reported by page_session itself; getting
    // here means the runtime is broken (e.g. a fatal error, out of memory, stack overflow).
    self.postMessage({ type: "fatal", message: String(error && error.message ? error.message : error) });
  }
};
