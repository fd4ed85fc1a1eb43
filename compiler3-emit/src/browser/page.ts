// The script of a build folder's index.html (DESIGN §11): a form for the
// entry's arguments, a Run button, and the outcome — result or trap, which
// engine ran and why, time, heap counters, or a timeout with its duration.
// It uses only the public loader API: it imports "./vm3-loader.js", which
// tsc resolves to vm3-loader.d.ts and esbuild leaves external
// (index-html.ts inlines this file's bundle into the page). The page stays
// live while a program runs — runs happen in the loader's Web Worker — and
// `#alive` counts ticks of the page's own event loop to show it.
//
// URL query (all optional): `args=10` (comma-separated, one per parameter),
// `prefer=auto|wasmgc|handle-abi`, `timeout=MS`, `force-fallback=1` (the
// loader's probeOverride {gc: false}: the fallback taken for real), `run=1`
// (run once loaded).

import { DEFAULT_TIMEOUT_MS, formatOutcome, load, type LoadedProgram, type Prefer, type RunOutcome } from "./vm3-loader.js";

// The slice of the DOM used here (the project compiles without lib "dom").
interface Elem {
  textContent: string | null;
  value: string;
  disabled: boolean;
  id: string;
  setAttribute(name: string, value: string): void;
  appendChild(child: Elem): Elem;
  replaceChildren(...children: Elem[]): void;
  addEventListener(type: string, listener: (event: { preventDefault(): void }) => void): void;
}
declare const document: { getElementById(id: string): Elem | null; createElement(tag: string): Elem };
declare const location: { href: string; search: string };
declare const history: { replaceState(state: null, unused: string, url: string): void };

const PREFERS: readonly string[] = ["auto", "wasmgc", "handle-abi"];

function el(id: string): Elem {
  const e = document.getElementById(id);
  if (e === null) throw new Error(`index.html has no #${id}`);
  return e;
}

const query = new URLSearchParams(location.search);
const form = el("form");
const argsBox = el("args");
const preferSel = el("prefer");
const timeoutIn = el("timeout");
const runBtn = el("run");
const result = el("result");

let prog: LoadedProgram | undefined;
let argInputs: Elem[] = [];
let pending = 0;

function show(kind: string, text: string): void {
  result.setAttribute("data-kind", kind);
  result.textContent = text;
}

/** (Re)loads the folder with the form's engine preference; the query's force-fallback applies to every load. */
async function reload(): Promise<void> {
  prog?.close();
  prog = undefined;
  runBtn.disabled = true;
  el("engine").textContent = "loading…";
  el("reason").textContent = "";
  try {
    const p = await load(undefined, {
      prefer: preferSel.value as Prefer,
      ...(query.get("force-fallback") === "1" ? { probeOverride: { gc: false } } : {}),
    });
    prog = p;
    el("engine").textContent = p.engine;
    el("engine").setAttribute("data-engine", p.engine);
    el("reason").textContent = `${p.reason} (probes: GC ${p.probes.gc ? "yes" : "no"}, relaxed SIMD ${p.probes.relaxedSimd ? "yes" : "no"}; module ${p.moduleBytes} bytes)`;
    buildArgs(p);
    runBtn.disabled = false;
  } catch (e) {
    el("engine").textContent = "not loaded";
    show("error", `error: ${(e as Error).message}`);
  }
}

function buildArgs(p: LoadedProgram): void {
  el("entry-name").textContent = `${p.entry.name}(${p.entry.params.map((v) => `${v}: i64`).join(", ")})`;
  const previous = argInputs.map((i) => i.value);
  const fromQuery = (query.get("args") ?? "").split(",").filter((s) => s !== "");
  argsBox.replaceChildren();
  argInputs = p.entry.params.map((name, i) => {
    const label = document.createElement("label");
    label.textContent = `${name} `;
    const input = document.createElement("input");
    input.id = `arg${i}`;
    input.setAttribute("name", name);
    input.setAttribute("inputmode", "numeric");
    input.value = previous[i] ?? fromQuery[i] ?? "0";
    label.appendChild(input);
    argsBox.appendChild(label);
    return input;
  });
  if (p.entry.params.length === 0) argsBox.appendChild(note("(no arguments)"));
}

function note(text: string): Elem {
  const s = document.createElement("span");
  s.textContent = text;
  return s;
}

async function run(): Promise<void> {
  const p = prog;
  if (p === undefined) return;
  const args: bigint[] = [];
  for (const [i, input] of argInputs.entries()) {
    const t = input.value.trim();
    if (!/^-?[0-9]+$/.test(t)) {
      show("error", `argument ${p.entry.params[i]}: "${t}" is not a decimal int64`);
      return;
    }
    args.push(BigInt(t));
  }
  const limit = Number(timeoutIn.value);
  if (!(limit > 0)) {
    show("error", `time limit: "${timeoutIn.value}" is not a positive number of ms`);
    return;
  }
  history.replaceState(null, "", urlFor(args, limit));
  pending++;
  el("status").textContent = `running on ${p.engine}… (${pending} in flight)`;
  show("running", "…");
  let outcome: RunOutcome;
  try {
    outcome = await p.run(args, { timeoutMs: limit });
  } catch (e) {
    show("error", `error: ${(e as Error).message}`);
    return;
  } finally {
    pending--;
    el("status").textContent = pending > 0 ? `running on ${p.engine}… (${pending} in flight)` : "idle";
  }
  const kind = outcome.kind === "finished" ? outcome.result.kind : outcome.kind;
  show(kind, formatOutcome(outcome));
  el("time").textContent = outcome.kind === "finished" ? `${outcome.elapsedMs.toFixed(2)} ms on ${p.engine}` : outcome.kind === "timeout" ? `ended after ${Math.round(outcome.afterMs)} ms (limit ${outcome.limitMs} ms) on ${p.engine}` : "";
  const h = outcome.kind === "finished" ? outcome.heap : undefined;
  el("heap").textContent = h === undefined ? "" : `heap: peak ${h.peakLiveSlots} live slots, ${h.collections} collections, ${h.slotsFreed} slots freed, ${h.heapBytes} bytes`;
}

/** This page's URL with the form's values, so a run can be shared or reloaded. */
function urlFor(args: readonly bigint[], limit: number): string {
  const q = new URLSearchParams(query);
  q.set("args", args.join(","));
  q.set("prefer", preferSel.value);
  q.set("timeout", String(limit));
  q.delete("run");
  return `?${q.toString()}`;
}

const prefer = query.get("prefer") ?? "auto";
preferSel.value = PREFERS.includes(prefer) ? prefer : "auto";
timeoutIn.value = query.get("timeout") ?? String(DEFAULT_TIMEOUT_MS);
form.addEventListener("submit", (event) => {
  event.preventDefault();
  void run();
});
preferSel.addEventListener("change", () => void reload());
let ticks = 0;
setInterval(() => {
  el("alive").textContent = String(++ticks);
}, 100);
await reload();
if (query.get("run") === "1") await run();
