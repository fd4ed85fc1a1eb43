// The playground page: wires the program list, the editor, the run controls,
// the results table and the WAT view, and keeps the state in the URL's hash
// (url-state.ts). binaryen.js is loaded by the page's import map before this
// module runs; everything here happens in the page and its Web Worker.

import type { Program } from "../../src/ir/model.ts";
import { RUN_ENGINES, type RunEngine } from "../../src/run/request.ts";
import type { CorpusIndex, CorpusPreset } from "../corpus-index.ts";
import { type CheckResult, problemText } from "./check.ts";
import { entryChoices, matchingPreset, parseArgs, presetLabel } from "./controls.ts";
import { createEditor } from "./editor.ts";
import { renderRow, type RowState } from "./results.ts";
import { Runs } from "./runs.ts";
import { DEFAULT_TIMEOUT_MS, readHash, writeHash } from "./url-state.ts";
import { WatView } from "./wat.ts";

const DEFAULT_PROGRAM = "heap/binary_trees.ir";
const DEFAULT_ARGS = "10";

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const ui = {
  status: $("status"),
  program: $<HTMLSelectElement>("program"),
  edited: $("edited"),
  revert: $<HTMLButtonElement>("revert"),
  editor: $("editor"),
  problems: $("problems"),
  preset: $<HTMLSelectElement>("preset"),
  entry: $<HTMLSelectElement>("entry"),
  args: $<HTMLInputElement>("args"),
  argsError: $("args-error"),
  timeout: $<HTMLInputElement>("timeout"),
  optimize: $<HTMLInputElement>("optimize"),
  wat: $<HTMLDetailsElement>("wat"),
};
const rows = new Map<RunEngine, HTMLTableRowElement>(RUN_ENGINES.map((e) => [e, document.querySelector<HTMLTableRowElement>(`tr[data-engine="${e}"]`)!]));

let index: CorpusIndex = { programs: [] };
let fileText = ""; // the chosen program's file as served
let version = 0; // bumped on every text change
let valid: { program: Program; version: number } | undefined;
let checkedVersion = -1;
let wantedEntry = "";
const runs = new Runs(new URL("/build/worker.js", location.href));
const wat = new WatView(ui.wat, (target) => (valid === undefined ? undefined : runs.module(valid.program, valid.version, target, ui.optimize.checked)));

function presets(): readonly CorpusPreset[] {
  return index.programs.find((p) => p.path === ui.program.value)?.presets ?? [];
}

function option(value: string, label: string): HTMLOptionElement {
  const o = document.createElement("option");
  o.value = value;
  o.textContent = label;
  return o;
}

function fillPresets(): void {
  ui.preset.replaceChildren(option("", presets().length === 0 ? "(no vectors for this program)" : "— choose a vector —"), ...presets().map((p, i) => option(String(i), presetLabel(p))));
  syncPreset();
}

/** Selects the preset the current entry and arguments are, and returns its expectation. */
function syncPreset(): string | undefined {
  const args = parseArgs(ui.args.value);
  const p = args.ok && valid !== undefined ? matchingPreset(presets(), ui.entry.value, valid.program.entry, args.args) : undefined;
  ui.preset.value = p === undefined ? "" : String(presets().indexOf(p));
  return p?.expect;
}

function fillEntries(program: Program): void {
  const choices = entryChoices(program);
  const keep = wantedEntry;
  ui.entry.replaceChildren(...choices.map((c) => option(c.value, c.label)));
  ui.entry.value = choices.some((c) => c.value === keep) ? keep : "";
}

function onCheck(result: CheckResult, text: string): void {
  if (text !== currentText()) return; // a stale check; the next one follows
  checkedVersion = version;
  if (result.ok) {
    valid = { program: result.program, version };
    fillEntries(result.program);
    ui.problems.className = "problems ok";
    ui.problems.textContent = `✓ valid — ${result.program.functions.length} functions, entry @${result.program.entry}`;
  } else {
    valid = undefined;
    ui.problems.className = "problems bad";
    const list = document.createElement("ul");
    for (const p of result.problems) {
      const li = document.createElement("li");
      li.textContent = problemText(p);
      li.dataset.line = String(p.line ?? "");
      list.append(li);
    }
    const head = document.createElement("div");
    head.textContent = `${result.problems.length} ${result.problems.length === 1 ? "error" : "errors"} (${result.problems[0]!.kind === "parse" ? "parser" : "validator"})`;
    ui.problems.replaceChildren(head, list);
  }
  syncPreset();
  wat.refresh();
}

let editorText = () => "";
const currentText = () => editorText();

function onTextChange(): void {
  version++;
  valid = undefined;
  ui.problems.className = "problems pending";
  ui.problems.textContent = "checking…";
  markEdited();
  saveState();
}

/** The "edited" badge and "revert to file" show while a corpus program's text differs from its file. */
function markEdited(): void {
  ui.edited.hidden = ui.program.value === "" || currentText() === fileText;
  ui.revert.hidden = ui.edited.hidden;
}

let saveTimer: ReturnType<typeof setTimeout> | undefined;
function saveState(): void {
  clearTimeout(saveTimer);
  saveTimer = setTimeout(async () => {
    const text = currentText();
    const hash = await writeHash({
      prog: ui.program.value,
      src: ui.program.value !== "" && text === fileText ? undefined : text,
      entry: wantedEntry, // the choice, even while the text is invalid and the list cannot offer it
      args: ui.args.value.trim(),
      timeoutMs: timeoutMs(),
      optimize: ui.optimize.checked,
    });
    history.replaceState(null, "", hash);
  }, 250);
}

function timeoutMs(): number {
  const t = Number(ui.timeout.value);
  return Number.isFinite(t) && t > 0 ? t : DEFAULT_TIMEOUT_MS;
}

async function fetchProgram(path: string): Promise<string> {
  const res = await fetch(`/programs/${path}`);
  if (!res.ok) throw new Error(`cannot load ${path}: HTTP ${res.status}`);
  return await res.text();
}

let busy = false;
const runButtons = [...document.querySelectorAll<HTMLButtonElement>("button[data-run]")];

/** Runs `engines` one after another; the run buttons are off meanwhile (the time limit ends a runaway). */
async function runEngines(engines: readonly RunEngine[]): Promise<void> {
  if (busy) return;
  busy = true;
  for (const b of runButtons) b.disabled = true;
  try {
    await runEach(engines);
  } finally {
    busy = false;
    for (const b of runButtons) b.disabled = false;
  }
}

async function runEach(engines: readonly RunEngine[]): Promise<void> {
  const args = parseArgs(ui.args.value);
  ui.argsError.hidden = args.ok;
  if (!args.ok) ui.argsError.textContent = `Arguments: ${args.message}`;
  if (checkedVersion !== version) editor.checkNow();
  const expect = syncPreset();
  for (const engine of engines) renderRow(rows.get(engine)!, engine, { kind: "running", what: "waiting…" }, undefined);
  for (const engine of engines) {
    const row = rows.get(engine)!;
    let state: RowState;
    if (valid === undefined) state = { kind: "error", message: "the program has errors (see the list under the editor)" };
    else if (!args.ok) state = { kind: "error", message: args.message };
    else {
      const input = { program: valid.program, version: valid.version, entry: ui.entry.value, args: args.args, timeoutMs: timeoutMs(), optimize: ui.optimize.checked };
      state = await runs.run(engine, input, (s) => renderRow(row, engine, s, undefined));
    }
    renderRow(row, engine, state, expect);
  }
  wat.refresh();
}

/** Loads the corpus program at `path` into the editor; "" (your own program) keeps the text as it is. */
async function choose(path: string): Promise<void> {
  ui.program.value = path;
  fileText = path === "" ? "" : await fetchProgram(path);
  fillPresets();
  if (path !== "") editor.setText(fileText);
  markEdited();
  saveState();
}

// Start-up: the corpus index, the hash's state, then the editor.
index = (await (await fetch("/build/programs.json")).json()) as CorpusIndex;
ui.program.replaceChildren(option("", "(your own program)"), ...index.programs.map((p) => option(p.path, p.path)));
const saved = await readHash(location.hash);
const fresh = saved.prog === undefined && saved.src === undefined;
const wanted = fresh ? DEFAULT_PROGRAM : (saved.prog ?? "");
ui.program.value = index.programs.some((p) => p.path === wanted) ? wanted : "";
fileText = ui.program.value === "" ? "" : await fetchProgram(ui.program.value);
wantedEntry = saved.entry ?? "";
ui.args.value = saved.args ?? (fresh ? DEFAULT_ARGS : "");
ui.timeout.value = String(saved.timeoutMs ?? DEFAULT_TIMEOUT_MS);
ui.optimize.checked = saved.optimize ?? false;
const editor = createEditor(ui.editor, saved.src ?? fileText, { onCheck, onChange: onTextChange, onRunAll: () => void runEngines(RUN_ENGINES) });
editorText = () => editor.text();
fillPresets();
markEdited();
for (const e of RUN_ENGINES) renderRow(rows.get(e)!, e, { kind: "idle" }, undefined);

/** Takes a vector's entry, arguments and (if it sets one) time limit. */
function applyPreset(p: CorpusPreset): void {
  wantedEntry = p.entry;
  if (valid !== undefined) fillEntries(valid.program);
  ui.args.value = p.args.join(", ");
  if (p.timeoutMs !== undefined) ui.timeout.value = String(p.timeoutMs);
  syncPreset();
  saveState();
}

ui.program.addEventListener("change", () => {
  const path = ui.program.value;
  void choose(path).then(() => {
    const first = presets()[0];
    if (first !== undefined) applyPreset(first);
    else if (path !== "") {
      wantedEntry = "";
      ui.args.value = "";
      saveState();
    }
  });
});
ui.revert.addEventListener("click", () => void choose(ui.program.value));
ui.preset.addEventListener("change", () => {
  const p = presets()[Number(ui.preset.value)];
  if (ui.preset.value !== "" && p !== undefined) applyPreset(p);
});
ui.entry.addEventListener("change", () => {
  wantedEntry = ui.entry.value;
  syncPreset();
  saveState();
});
for (const input of [ui.args, ui.timeout]) input.addEventListener("input", () => (syncPreset(), saveState()));
ui.optimize.addEventListener("change", () => (saveState(), wat.refresh()));
document.querySelector("#controls")!.addEventListener("submit", (e) => (e.preventDefault(), void runEngines(RUN_ENGINES)));
for (const b of runButtons) {
  const what = b.dataset.run!;
  b.addEventListener("click", () => void runEngines(what === "all" ? RUN_ENGINES : [what as RunEngine]));
}
document.addEventListener("keydown", (e) => {
  if (e.key === "Enter" && (e.ctrlKey || e.metaKey) && !e.defaultPrevented) {
    e.preventDefault();
    void runEngines(RUN_ENGINES);
  }
});
ui.status.textContent = "ready";
ui.status.dataset.ready = "1";
