// One kernel timed in whatever JavaScript engine runs this file — Node or a
// Chromium page (browser.bench.ts bundles it for the page) — so the two
// columns of `npm run bench:browser` come from the same code: the emitted
// WasmGC module, the handle-ABI module on the TypeScript heap (AUTO) and the
// hand-written JavaScript kernel, interleaved round by round (DESIGN §10).
// Each column's result is checked against the others before it counts.
import { HandleAbiProgram } from "../../ts-runtime/src/abi-host/program.ts";
import type { RunResult } from "../../ts-runtime/src/interp/run.ts";
import { parseText } from "../src/ir/text-parser.ts";
import { WasmGcProgram } from "../src/wasmgc/run.ts";
import { binaryTrees } from "./kernels/binary_trees.ts";
import { listsFillSum } from "./kernels/lists_fill_sum.ts";
import { mandelbrot } from "./kernels/mandelbrot.ts";
import { nBody } from "./kernels/n_body.ts";
import { nsieve } from "./kernels/nsieve.ts";

export const JS_KERNELS: Readonly<Record<string, (n: number) => number>> = {
  binary_trees: binaryTrees,
  lists_fill_sum: listsFillSum,
  mandelbrot,
  n_body: nBody,
  nsieve,
};

export interface KernelJob {
  readonly name: string;
  /** The program's IR text (ir-text.md). */
  readonly source: string;
  readonly wasmgc: Uint8Array;
  readonly handleAbi: Uint8Array;
  /** Timed with WasmGC and JS. */
  readonly n: number;
  /** Timed with all three (handle-ABI is 4–270× JS: a smaller n). */
  readonly smallN: number;
  readonly rounds: number;
  /** The kernel's JS may round differently (mandelbrot: no fma in JS); its result is then not compared. */
  readonly jsMayDiffer: boolean;
}

export interface ColumnTime {
  /** Median ms of the timed rounds; undefined when the column was not run. */
  readonly ms?: number;
  readonly result: string;
}

export interface KernelRow {
  readonly n: number;
  readonly wasmgc: ColumnTime;
  readonly handleAbi: ColumnTime;
  readonly js: ColumnTime;
}

/** Times `job`: a row at n (WasmGC, JS) and one at smallN (all three); throws when two columns disagree. */
export function timeKernel(job: KernelJob): KernelRow[] {
  const { program } = parseText(job.source, `${job.name}.ir`);
  const gc = WasmGcProgram.compile(job.wasmgc, program);
  const abi = HandleAbiProgram.compile(job.handleAbi, program);
  const js = JS_KERNELS[job.name];
  if (js === undefined) throw new Error(`no JS kernel named ${job.name}`);
  const columns = {
    wasmgc: (n: number) => resultText(gc.run("", [BigInt(n)])),
    handleAbi: (n: number) => resultText(abi.run("", [BigInt(n)], { variant: "auto" })),
    js: (n: number) => String(js(n)),
  };
  return [job.n, job.smallN].map((n, row) => {
    const names = (row === 0 ? ["wasmgc", "js"] : ["wasmgc", "handleAbi", "js"]) as (keyof typeof columns)[];
    const times: Record<string, number[]> = {};
    const results: Record<string, string> = {};
    for (let round = 0; round <= job.rounds; round++) {
      for (const name of names) {
        const t0 = performance.now();
        const r = columns[name](n);
        const ms = performance.now() - t0;
        if (round === 0) results[name] = r;
        else if (r !== results[name]) throw new Error(`${job.name}(${n}) ${name}: round ${round} gave ${r}, the warm-up ${results[name]}`);
        else (times[name] ??= []).push(ms);
      }
    }
    const reference = results.wasmgc!;
    for (const name of names) {
      if (name === "js" && job.jsMayDiffer) continue;
      if (results[name] !== reference) throw new Error(`${job.name}(${n}): ${name} gave ${results[name]}, WasmGC ${reference}`);
    }
    const column = (name: string): ColumnTime => (times[name] === undefined ? { result: "" } : { ms: median(times[name]!), result: results[name]! });
    return { n, wasmgc: column("wasmgc"), handleAbi: column("handleAbi"), js: column("js") };
  });
}

/** A result as text comparable with a JS kernel's number (i64 decimal, f64 as JS prints it). */
function resultText(r: RunResult): string {
  if (r.kind === "trap") return `trap ${r.name}`;
  const v = r.value;
  if (v.type === "i64") return v.i64.toString();
  if (v.type === "f64") return String(v.f64);
  return JSON.stringify(v);
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
