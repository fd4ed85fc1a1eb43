// The program vectors' expectations (conformance.md §6.5) and a RunResult in
// the same terms, for the emitter tests of both targets.
import type { RunResult } from "../../ts-runtime/src/interp/run.ts";
import type { HeapConfig } from "../../ts-runtime/src/heap-config.ts";
import type { Program } from "../src/ir/model.ts";
import { nodeRunner } from "../src/run/node-runner.ts";
import type { RunEngine, RunOutcome } from "../src/run/request.ts";

export interface Vector {
  name: string;
  program: string;
  entry?: string;
  args?: (string | number)[];
  expect: Record<string, string | number | boolean>;
  /** The vector's time limit (embedding.md §7.2); set where `expect` is `{timeout: true}`. */
  timeoutMs?: number;
  /** Needs ir.md §8.8's depth with wide frames: run in a worker with its large stack. */
  needsLargeStack?: boolean;
  /** The heap's limits and variant, proto3 JSON (conformance.md §6.5); absent, or no variant: AUTO. */
  heap?: { variant?: string; maxSlotsPerArena?: string | number; maxHeapBytes?: string | number; autoMinThreshold?: string | number };
}

/** The TS heap a vector runs on (conformance.md §6.5): its own limits, AUTO unless it names a variant. */
export function vectorHeap(v: Pick<Vector, "heap">): HeapConfig {
  const h = v.heap ?? {};
  const variant = h.variant === undefined || h.variant === "VARIANT_UNSPECIFIED" ? "auto" : (h.variant.toLowerCase() as HeapConfig["variant"]);
  return { variant, maxSlotsPerArena: Number(h.maxSlotsPerArena ?? 0), maxHeapBytes: Number(h.maxHeapBytes ?? 0), autoMinThreshold: Number(h.autoMinThreshold ?? 0) };
}

/** Why WasmGC leaves a vector out (ir.md §8.10: the engine accounts nothing), or undefined. */
export function wasmGcSkip(v: Vector): string | undefined {
  if (v.expect.trap === "OUT_OF_MEMORY") return "expects OUT_OF_MEMORY, which WasmGC's engine heap does not account (ir.md §8.10)";
  if (v.heap?.maxHeapBytes !== undefined || v.heap?.maxSlotsPerArena !== undefined) return "sets heap limits, which WasmGC's engine heap does not enforce (ir.md §8.10)";
  return undefined;
}

/**
 * Runs a vector in a worker thread (embedding.md §7.2): the vectors that
 * must never finish (ended at their timeoutMs) and those that need ir.md
 * §8.8's depth with wide frames (the worker's stack, not the test thread's).
 */
export async function workerOutcome(engine: RunEngine, program: Program, binary: Uint8Array | undefined, v: Vector): Promise<RunOutcome> {
  const runner = nodeRunner();
  try {
    const request = { engine, key: v.program, program, entry: v.entry ?? "", args: (v.args ?? []).map((a) => BigInt(a)), heap: vectorHeap(v) };
    return await runner.run(binary === undefined ? request : { ...request, binary }, v.timeoutMs ?? 120_000);
  } finally {
    runner.close();
  }
}

/** Whether a vector runs in a worker (workerOutcome) rather than in the test's thread. */
export const inWorker = (v: Vector): boolean => v.expect.timeout === true || v.needsLargeStack === true;

/** What a worker run shows, in the vectors' terms: `shown` of a finished run, `{timeout: true}`, or the refusal. */
export function shownOutcome(o: RunOutcome): Record<string, string | boolean> {
  if (o.kind === "timeout") return { timeout: true };
  if (o.kind === "refused") return { refused: o.message };
  return shown(o.result);
}

/** What a run shows, in the vectors' terms (conformance.md §6.5). */
export function shown(r: RunResult): Record<string, string | boolean> {
  if (r.kind === "trap") return { trap: r.name };
  const v = r.value;
  switch (v.type) {
    case "i64": return { i64: v.i64.toString() };
    case "f64": return { f64Bits: v.bits.toString() };
    case "bool": return { bool: v.bool };
    case "str": return { str: v.str };
    case "unit": return { unit: true };
  }
}

/** The vector's expectation in the same terms (f64 as its bit pattern). */
export function wanted(e: Vector["expect"]): Record<string, string | boolean> {
  const [key, value] = Object.entries(e)[0]!;
  if (key === "f64") {
    const view = new DataView(new ArrayBuffer(8));
    const x = Number(value);
    view.setFloat64(0, Number.isNaN(x) ? NaN : x);
    return { f64Bits: (Number.isNaN(x) ? 0x7ff8_0000_0000_0000n : view.getBigUint64(0)).toString() };
  }
  if (key === "i64" || key === "f64Bits") return { [key]: String(value) };
  return { [key]: value as string | boolean };
}

