// The results table: one row per engine with the outcome (value or trap,
// code and name), the run's time, the module's size and the heap counters,
// and whether it matches the chosen vector's expected value.

import { resultText } from "../../src/run/result-text.ts";
import type { RunEngine, RunOutcome } from "../../src/run/request.ts";

export const ENGINE_LABELS: Readonly<Record<RunEngine, string>> = {
  interp: "Interpreter",
  wasmgc: "WasmGC",
  "handle-abi": "handle-ABI",
};

export type RowState =
  | { readonly kind: "idle" }
  | { readonly kind: "running"; readonly what: string }
  | { readonly kind: "error"; readonly message: string }
  | { readonly kind: "done"; readonly outcome: RunOutcome; readonly moduleBytes: number | undefined; readonly emitMs: number | undefined };

/** The page's spelling of an outcome's result: "135854", "trap STALE_HANDLE", "timeout" (as corpus-index.ts spells expectations). */
export function outcomeText(outcome: RunOutcome): string {
  if (outcome.kind === "timeout") return "timeout";
  if (outcome.kind === "refused") return `refused: ${outcome.message}`;
  const r = outcome.result;
  if (r.kind === "trap") return `trap ${r.name}`;
  const v = r.value;
  if (v.type === "str") return JSON.stringify(v.str);
  return v.type === "unit" ? "unit" : resultText(v);
}

const ms = (t: number) => (t < 10 ? `${t.toFixed(2)} ms` : t < 1000 ? `${t.toFixed(1)} ms` : `${(t / 1000).toFixed(2)} s`);
const count = (n: number) => n.toLocaleString("en-US");

function el(tag: string, className: string, text = ""): HTMLElement {
  const e = document.createElement(tag);
  if (className !== "") e.className = className;
  e.textContent = text;
  return e;
}

/** Fills `row` (a <tr data-engine>) with `state`; `expect` is the chosen vector's expectation, if any. */
export function renderRow(row: HTMLTableRowElement, engine: RunEngine, state: RowState, expect: string | undefined): void {
  const cells = [el("th", "engine", ENGINE_LABELS[engine]), el("td", "result"), el("td", "num time"), el("td", "num size"), el("td", "heap")];
  const [, result, time, size, heap] = cells as [HTMLElement, HTMLElement, HTMLElement, HTMLElement, HTMLElement];
  row.dataset.state = state.kind;
  switch (state.kind) {
    case "idle":
      result.append(el("span", "muted", "not run"));
      break;
    case "running":
      result.append(el("span", "spinner"), el("span", "muted", state.what));
      break;
    case "error":
      result.append(el("span", "error", state.message));
      break;
    case "done":
      renderDone(state, expect, result, time, size, heap, engine);
      break;
  }
  row.replaceChildren(...cells);
}

function renderDone(state: Extract<RowState, { kind: "done" }>, expect: string | undefined, result: HTMLElement, time: HTMLElement, size: HTMLElement, heap: HTMLElement, engine: RunEngine): void {
  const o = state.outcome;
  const text = outcomeText(o);
  const value = el("output", o.kind === "finished" && o.result.kind === "ok" ? "value" : "bad", text);
  value.dataset.testid = "value";
  result.append(value);
  if (o.kind === "finished" && o.result.kind === "trap") {
    const t = o.result;
    const site = [t.function === "" ? "" : `func ${t.function}`, t.block < 0 ? "" : `b${t.block}`, t.value < 0 ? "" : `v${t.value}`].filter((s) => s !== "").join(": ");
    const detail = [site, t.message === t.name ? "" : t.message].filter((s) => s !== "").join(" — ");
    result.append(el("span", "code", ` code ${t.code}`));
    if (detail !== "") result.append(el("div", "detail", detail));
  }
  if (o.kind === "timeout") result.append(el("div", "detail", `ended after ${ms(o.afterMs)} (limit ${ms(o.limitMs)}); the worker was terminated`));
  if (expect !== undefined && o.kind !== "refused") {
    const match = expect === text;
    result.append(el("span", match ? "check ok" : "check bad", match ? "✓ expected" : `✗ expected ${expect}`));
  }
  if (o.kind === "finished") time.textContent = ms(o.elapsedMs);
  else if (o.kind === "timeout") time.textContent = `> ${ms(o.limitMs)}`;
  if (state.moduleBytes === undefined) size.append(el("span", "muted", "—"));
  else {
    size.textContent = `${count(state.moduleBytes)} B`;
    if (state.emitMs !== undefined) size.append(el("div", "detail", `emitted in ${ms(state.emitMs)}`));
  }
  if (o.kind !== "finished") heap.append(el("span", "muted", "—"));
  else if (engine === "wasmgc" || o.heap === undefined) heap.append(el("span", "muted", "engine-managed"));
  else {
    const h = o.heap;
    const dl = el("dl", "counters");
    for (const [k, v] of [["live slots", h.liveSlots], ["peak live", h.peakLiveSlots], ["collections", h.collections], ["freed", h.slotsFreed]] as const) {
      dl.append(el("dt", "", k), el("dd", "", count(v)));
    }
    heap.append(dl);
  }
}
