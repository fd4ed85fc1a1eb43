import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

// Interleaved rounds and a table: each row times the runtime and the same work
// on plain JS objects/arrays, alternating, and reports medians.

/** One comparison. `prepare*` builds fresh state outside the clock and returns the timed work. */
export interface BenchRow {
  name: string;
  /** Operations one timed run performs (for throughput). */
  ops: number;
  /** What an operation is, for the table: "op", "slot", … */
  unit: string;
  prepareRuntime(): () => void;
  preparePlain(): () => void;
}

export interface RowResult {
  name: string;
  unit: string;
  ops: number;
  runtimeMs: number;
  plainMs: number;
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** V8's own full collection, reachable without --expose-gc on the command line. */
export function v8FullGc(): () => void {
  setFlagsFromString("--expose-gc");
  return runInNewContext("gc") as () => void;
}

const fullGc = v8FullGc();

function time(prepare: () => () => void): number {
  const work = prepare();
  // Start every timed run from a collected heap: otherwise one side pays for
  // the other's garbage, and the plain-JS allocation baseline swung 5x
  // between runs.
  fullGc();
  const t0 = performance.now();
  work();
  return performance.now() - t0;
}

/**
 * Runs `rounds` rounds; in each, every row runs runtime then plain (odd
 * rounds plain first), so that drift in the machine hits both sides alike.
 * A warm-up round is run and discarded so both sides are JIT-compiled.
 */
export function runRows(rows: readonly BenchRow[], rounds: number): RowResult[] {
  const samples = rows.map(() => ({ runtime: [] as number[], plain: [] as number[] }));
  for (let round = -1; round < rounds; round++) {
    rows.forEach((row, i) => {
      const plainFirst = round % 2 === 1;
      let rt: number;
      let pl: number;
      if (plainFirst) {
        pl = time(() => row.preparePlain());
        rt = time(() => row.prepareRuntime());
      } else {
        rt = time(() => row.prepareRuntime());
        pl = time(() => row.preparePlain());
      }
      if (round >= 0) {
        samples[i]!.runtime.push(rt);
        samples[i]!.plain.push(pl);
      }
    });
  }
  return rows.map((row, i) => ({
    name: row.name,
    unit: row.unit,
    ops: row.ops,
    runtimeMs: median(samples[i]!.runtime),
    plainMs: median(samples[i]!.plain),
  }));
}

function rate(ops: number, ms: number): string {
  const perSec = (ops / ms) * 1000;
  if (perSec >= 1e6) return `${(perSec / 1e6).toFixed(1)} M/s`;
  if (perSec >= 1e3) return `${(perSec / 1e3).toFixed(1)} k/s`;
  return `${perSec.toFixed(0)} /s`;
}

/** A fixed-width text table: throughput of each side and the time ratio runtime / plain. */
export function formatTable(results: readonly RowResult[]): string {
  const header = ["benchmark", "ops", "runtime", "plain JS", "ratio (runtime/plain)"];
  const lines = results.map((r) => [
    r.name,
    `${r.ops.toLocaleString("en-US")} ${r.unit}`,
    `${rate(r.ops, r.runtimeMs)} (${r.runtimeMs.toFixed(1)} ms)`,
    `${rate(r.ops, r.plainMs)} (${r.plainMs.toFixed(1)} ms)`,
    `${(r.runtimeMs / r.plainMs).toFixed(2)}x`,
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...lines.map((l) => l[c]!.length)));
  const fmt = (cols: string[]) => cols.map((col, c) => (c === 0 ? col.padEnd(widths[c]!) : col.padStart(widths[c]!))).join("  ");
  return [fmt(header), widths.map((w) => "-".repeat(w)).join("  "), ...lines.map(fmt)].join("\n");
}
