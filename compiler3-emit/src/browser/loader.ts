/**
 * The browser loader of a `vm3 build --target browser` folder (DESIGN §11),
 * bundled by esbuild as the folder's `vm3-loader.js` (typed by
 * `vm3-loader.d.ts`, kept equal to this file by loader-dts-check.ts):
 *
 * ```js
 * import { load, formatOutcome } from "./vm3-loader.js";
 * const prog = await load();                  // the folder vm3-loader.js sits in
 * prog.engine;   // "wasmgc" | "handle-abi": which module runs
 * prog.reason;   // why: "WasmGC: this engine validates the GC and relaxed-SIMD probes"
 * prog.probes;   // { gc: true, relaxedSimd: true }: each probe's answer
 * const out = await prog.run([10n], { timeoutMs: 2000 });
 * // out: { kind: "finished", result: { kind: "ok", value: { type: "i64", i64: 135854n } }, elapsedMs, heap? }
 * //    | { kind: "finished", result: { kind: "trap", code, name, ... } }
 * //    | { kind: "timeout", limitMs, afterMs } | { kind: "refused", message }
 * formatOutcome(out); // "135854", as `vm3 run` prints it
 * prog.close();       // ends the worker
 * ```
 *
 * `load(baseUrl?, options?)` fetches `program.json` and the chosen module
 * from `baseUrl` (default: the folder of vm3-loader.js) and starts no worker
 * until the first run. Options:
 * - `prefer`: `"auto"` (default) or `"wasmgc"` — WasmGC where the engine
 *   validates both probes (probes.ts) and the module itself, else the
 *   handle-ABI module on the TypeScript heap; `"handle-abi"` — always the
 *   handle-ABI module.
 * - `timeoutMs`: each run's time limit (default 10 000 ms), counted from the
 *   end of compilation; a run past it is ended with `Worker.terminate` and
 *   reported as `{kind: "timeout"}`; the page stays live throughout, since
 *   every run happens in a Web Worker (`vm3-worker.js`, run/web-runner.ts).
 * - `heap`: the handle-ABI heap's configuration (default AUTO collection,
 *   ir.md §8.3); WasmGC's heap is the engine's.
 * - `probeOverride`: a test hook replacing probe answers, e.g.
 *   `{ gc: false }` to exercise the fallback on an engine that has GC.
 * - `hostLibrary`: the URL (relative to the page) of a JavaScript module
 *   whose named exports are the host functions the program imports
 *   (host.md §11.5); the worker imports it. Without it a program with host
 *   imports is refused (`{kind: "refused"}`, naming the import).
 *
 * Results have the shape of the Node backends' (the interpreter's RunResult,
 * run/request.ts's RunOutcome); i64 values are bigints. A worker that fails
 * (a module breaking its contract, an engine error) rejects the run's promise.
 */

import { programFromPlain } from "../ir/json-plain.ts";
import type { Program } from "../ir/model.ts";
import { isEntryShaped } from "../ir/entry.ts";
import type { RunOutcome } from "../run/request.ts";
import { resultText } from "../run/result-text.ts";
import type { TimedRunner } from "../run/timed-runner.ts";
import { webRunner } from "../run/web-runner.ts";
import { PROBES, runProbes, type ProbeName, type ProbeResults } from "./probes.ts";
import type { HeapConfig } from "../../../ts-runtime/src/heap-config.ts";

export type { ProbeName, ProbeResults } from "./probes.ts";
export type { FinishedRun, RefusedRun, RunHeapCounters, RunOutcome, TimedOutRun } from "../run/request.ts";
export type { ResultValue, RunResult } from "../../../ts-runtime/src/interp/run.ts";
export type { HeapConfig, Variant } from "../../../ts-runtime/src/heap-config.ts";

/** The two modules a build folder holds. */
export type Engine = "wasmgc" | "handle-abi";
export type Prefer = "auto" | Engine;

export interface LoadOptions {
  prefer?: Prefer;
  /** Each run's default time limit in ms (default DEFAULT_TIMEOUT_MS). */
  timeoutMs?: number;
  /** The handle-ABI heap (default `{ variant: "auto" }`). */
  heap?: HeapConfig;
  /** Test hook: these probe answers replace the engine's. */
  probeOverride?: Partial<Record<ProbeName, boolean>>;
  /** The host library: a JS module whose named exports are the program's host functions (host.md §11.5). */
  hostLibrary?: string | URL;
}

export interface RunOptions {
  /** This run's time limit in ms (default the load's). */
  timeoutMs?: number;
  /** The function to run (default the program's entry; ir.md §8.9). */
  entry?: string;
}

/** A function that can be an entry (ir.md §8.9): i64 parameters, named by their value ids. */
export interface EntryInfo {
  readonly name: string;
  readonly params: readonly string[];
}

/** Which engine runs, why, and what each probe said. */
export interface Detection {
  readonly engine: Engine;
  readonly reason: string;
  readonly probes: ProbeResults;
}

export interface LoadedProgram extends Detection {
  /** The program's entry function. */
  readonly entry: EntryInfo;
  /** Every function that can be an entry. */
  readonly entries: readonly EntryInfo[];
  /** The module's size in bytes. */
  readonly moduleBytes: number;
  run(args: readonly (bigint | number)[], options?: RunOptions): Promise<RunOutcome>;
  /** Terminates the worker; later runs reject. */
  close(): void;
}

export const DEFAULT_TIMEOUT_MS = 10_000;

/** The build folder's files (cli/build.ts writes them under these names). */
export const FILES = {
  program: "program.json",
  wasmgc: "program.wasmgc.wasm",
  handleAbi: "program.handle-abi.wasm",
  worker: "vm3-worker.js",
} as const;

// The slice of the WebAssembly JS API used here (the project builds without lib "dom").
const wasm = (globalThis as unknown as { WebAssembly: { validate(bytes: Uint8Array): boolean } }).WebAssembly;

/**
 * Probes this engine and picks the module: WasmGC only where both probes
 * validate (every WasmGC module needs GC and relaxed SIMD, probes.ts), unless
 * `prefer` is "handle-abi".
 */
export function detect(options: Pick<LoadOptions, "prefer" | "probeOverride"> = {}): Detection {
  const prefer = options.prefer ?? "auto";
  if (prefer !== "auto" && prefer !== "wasmgc" && prefer !== "handle-abi") throw new RangeError(`load: prefer must be auto, wasmgc or handle-abi, got ${String(prefer)}`);
  const probes = runProbes((b) => wasm.validate(b), options.probeOverride);
  if (prefer === "handle-abi") return { engine: "handle-abi", reason: "handle-ABI: asked for (prefer: handle-abi)", probes };
  const failed = PROBES.filter((p) => !probes[p.name]);
  if (failed.length === 0) return { engine: "wasmgc", reason: "WasmGC: this engine validates the GC and relaxed-SIMD probes", probes };
  const forced = failed.some((p) => options.probeOverride?.[p.name] === false) ? " (forced by probeOverride)" : "";
  const what = failed.map((p) => `the ${p.feature} probe`).join(" and ");
  return { engine: "handle-abi", reason: `handle-ABI fallback: this engine does not validate ${what}${forced}`, probes };
}

/** Loads the build folder at `baseUrl` (see the file's comment). */
export async function load(baseUrl: string | URL = new URL(".", import.meta.url), options: LoadOptions = {}): Promise<LoadedProgram> {
  const base = new URL(String(baseUrl), locationHref());
  const defaultLimit = checkedLimit(options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  let detection = detect(options);
  const program = programFromPlain(JSON.parse(await fetchText(new URL(FILES.program, base))) as Record<string, unknown>);
  let binary = await fetchBytes(new URL(detection.engine === "wasmgc" ? FILES.wasmgc : FILES.handleAbi, base));
  if (detection.engine === "wasmgc" && !wasm.validate(binary)) {
    // The probes said yes but the engine rejects the module itself (a feature no probe covers).
    detection = { ...detection, engine: "handle-abi", reason: `handle-ABI fallback: this engine does not validate ${FILES.wasmgc} although both probes validate` };
    binary = await fetchBytes(new URL(FILES.handleAbi, base));
  }
  if (detection.engine === "handle-abi" && !wasm.validate(binary)) {
    // Wasm 2.0, plus return_call where the program tail-calls another function (handle-abi.md §10.1, §10.6).
    throw new Error(`load: this engine validates neither module: ${FILES.handleAbi} needs Wasm 2.0 and, where the program tail-calls another function, the tail-call proposal (handle-abi.md §10.1); ${detection.reason}`);
  }
  const entries = entryInfos(program);
  const entry = entries.find((e) => e.name === program.entry) ?? { name: program.entry, params: [] };
  const engine = detection.engine;
  const heap = options.heap ?? { variant: "auto" };
  const host = options.hostLibrary === undefined ? {} : { hostLibrary: new URL(String(options.hostLibrary), locationHref()).href };
  let runner: TimedRunner | undefined;
  let closed = false;
  return {
    ...detection,
    entry,
    entries,
    moduleBytes: binary.length,
    run(args, runOptions = {}) {
      if (closed) return Promise.reject(new Error("this program was closed"));
      const limit = checkedLimit(runOptions.timeoutMs ?? defaultLimit);
      runner ??= webRunner(new URL(FILES.worker, base));
      // One key per loaded program: its worker compiles the module once and instantiates it per run.
      return runner.run({ engine, key: "build", program, binary, entry: runOptions.entry ?? "", args: args.map(int64), heap, ...host }, limit);
    },
    close() {
      closed = true;
      runner?.close();
    },
  };
}

/** An outcome as one line of text: a result as `vm3 run` prints it (ir.md §8.9), a trap, a timeout or a refusal. */
export function formatOutcome(outcome: RunOutcome): string {
  switch (outcome.kind) {
    case "timeout":
      return `timeout: ended after ${Math.round(outcome.afterMs)} ms (limit ${outcome.limitMs} ms)`;
    case "refused":
      return `refused: ${outcome.message}`;
    case "finished": {
      const r = outcome.result;
      if (r.kind === "trap") return `trap ${r.name} (code ${r.code})`;
      return r.value.type === "unit" ? "(unit)" : resultText(r.value);
    }
  }
}

function entryInfos(program: Program): EntryInfo[] {
  const out: EntryInfo[] = [];
  program.functions.forEach((f, i) => {
    if (isEntryShaped(program, i)) out.push({ name: f.name, params: f.params.map((id) => `v${id}`) });
  });
  return out;
}

function int64(a: bigint | number): bigint {
  if (typeof a === "bigint") return a;
  if (!Number.isSafeInteger(a)) throw new RangeError(`run: argument ${a} is not an integer (pass a bigint beyond ±2^53)`);
  return BigInt(a);
}

function checkedLimit(ms: number): number {
  if (!(ms > 0) || !Number.isFinite(ms)) throw new RangeError(`the time limit must be a positive number of ms, got ${ms}`);
  return ms;
}

/** The page's address, so a relative baseUrl resolves as the browser would (a worker or Node have none). */
function locationHref(): string | undefined {
  return (globalThis as { location?: { href: string } }).location?.href;
}

async function fetchOk(url: URL): Promise<Response> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`cannot load ${url.href}: HTTP ${res.status}`);
  return res;
}
async function fetchText(url: URL): Promise<string> {
  return (await fetchOk(url)).text();
}
async function fetchBytes(url: URL): Promise<Uint8Array> {
  return new Uint8Array(await (await fetchOk(url)).arrayBuffer());
}
