// The conformance page (DESIGN §11): the script chromium-backends.ts loads
// into one chromium page for the whole run. It runs each program vector the
// way a build folder's loader does — through run/web-runner.ts's Web Worker
// with the vector's time limit — and answers over `page.evaluate` in
// wire.ts's form. One TimedRunner per engine, so the wasmgc-chromium and
// handle-abi-chromium backends run side by side and a timeout on one
// (which terminates its worker) leaves the other's worker alone.
import { programFromPlain } from "../../../compiler3-emit/src/ir/json-plain.ts";
import type { Program } from "../../../compiler3-emit/src/ir/model.ts";
import { runProbes, type ProbeResults } from "../../../compiler3-emit/src/browser/probes.ts";
import type { TimedRunner } from "../../../compiler3-emit/src/run/timed-runner.ts";
import { webRunner } from "../../../compiler3-emit/src/run/web-runner.ts";
import { fromBase64, toWireOutcome, type WireEngine, type WireOutcome, type WireRequest } from "./wire.ts";

// The slice of the browser's globals used here (the project compiles without lib "dom").
declare const location: { href: string };
const wasm = (globalThis as unknown as { WebAssembly: { validate(bytes: Uint8Array): boolean } }).WebAssembly;

export interface ConformancePage {
  /** Each probe's answer on this engine (probes.ts). */
  probes(): ProbeResults;
  run(request: WireRequest): Promise<WireOutcome>;
}

const WORKER_URL = new URL("vm3-worker.js", location.href);
const runners = new Map<WireEngine, TimedRunner>();
/** Parsed programs by key: a program's vectors arrive one by one with the same JSON. */
const programs = new Map<string, Program>();

async function run(req: WireRequest): Promise<WireOutcome> {
  try {
    let program = programs.get(req.key);
    if (program === undefined) {
      program = programFromPlain(JSON.parse(req.programJson) as Record<string, unknown>);
      programs.set(req.key, program);
    }
    let runner = runners.get(req.engine);
    if (runner === undefined) {
      runner = webRunner(WORKER_URL);
      runners.set(req.engine, runner);
    }
    const outcome = await runner.run(
      {
        engine: req.engine,
        key: req.key,
        program,
        binary: fromBase64(req.binaryBase64),
        entry: req.entry,
        args: req.args.map((a) => BigInt(a)),
        heap: req.heap,
        ...(req.hostLibrary === undefined ? {} : { hostLibrary: req.hostLibrary }),
      },
      req.timeoutMs,
    );
    return toWireOutcome(outcome);
  } catch (e) {
    return { kind: "failed", error: e instanceof Error ? e.message : String(e) };
  }
}

const api: ConformancePage = { probes: () => runProbes((b) => wasm.validate(b)), run };
(globalThis as unknown as { vm3Conformance: ConformancePage }).vm3Conformance = api;
