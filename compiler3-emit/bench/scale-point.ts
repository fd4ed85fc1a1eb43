// One point of the scale section (./scale.ts), alone in its own process so
// that the process's peak RSS is that point's (DESIGN §10: peak memory):
//
//   node compiler3-emit/bench/scale-point.ts BACKEND PROGRAM N WARM_N RUNS [MODULE.wasm]
//
// BACKEND is wasmgc (the emitted -O module, MODULE), interp (the reference
// interpreter), habi-node (the handle-ABI module MODULE on the TypeScript
// heap, AUTO) or js (the hand-written kernel named by PROGRAM's base name).
// PROGRAM is relative to conformance/programs. One untimed run at WARM_N (the
// JIT's warm-up, at the section's 1x n so that it adds little to the peak),
// then RUNS timed runs at N, each from a collected heap; prints one JSON line
// (PointReport). Only the chosen backend's code is loaded: the parent emits
// the modules, so binaryen's own memory is not in this process's peak.
import { readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { v8FullGc } from "../../ts-runtime/bench/harness.ts";
import type { RunResult } from "../../ts-runtime/src/interp/index.ts";
import type { Heap } from "../../ts-runtime/src/heap.ts";

const PROGRAMS_DIR = fileURLToPath(new URL("../../conformance/programs/", import.meta.url));

/** What one point's process prints. */
export interface PointReport {
  /** Each timed run's time. */
  ms: number[];
  /** The timed runs' result ("i64 N", "trap …"); "unstable: …" if they disagreed. */
  result: string;
  /** This process's peak resident set size at the end, in KiB (peakRssKiB). */
  maxRssKiB: number;
  /** The last run's heap, where the heap is ours (interpreter, handle-ABI): peak live slots, heap_bytes after it, collections. */
  heap?: { peakLiveSlots: number; heapBytes: number; collections: number };
}

/**
 * The peak RSS of this process in KiB: Linux's VmHWM (/proc/self/status),
 * the high-water mark of this process's own address space, where there is
 * one. getrusage's maxRSS (process.resourceUsage) is not used there: a child
 * spawned by a large Node process starts with the parent's footprint in it
 * (measured: 122 MiB of maxRSS under the benchmark against a VmHWM of
 * 45 MiB), which would hide what a small point uses.
 */
function peakRssKiB(): number {
  try {
    const hwm = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync("/proc/self/status", "utf8"));
    if (hwm !== null) return Number(hwm[1]);
  } catch {
    // Not Linux: getrusage's count, which may include the parent's (above).
  }
  return process.resourceUsage().maxRSS;
}

type Runner = (n: number) => { key: string; heap?: Heap; peakLiveSlots?: number };

function keyOf(r: RunResult): string {
  if (r.kind === "trap") return `trap ${r.name} in ${r.function}: ${r.message}`;
  return r.value.type === "i64" ? `i64 ${r.value.i64}` : `${r.value.type} result`;
}

async function loadProgram(file: string) {
  const { loadProgram } = await import("../src/ir/load.ts");
  return loadProgram(file, readFileSync(join(PROGRAMS_DIR, file))).program;
}

async function runner(backend: string, file: string, module: string | undefined): Promise<Runner> {
  const need = (): Uint8Array => {
    if (module === undefined) throw new Error(`${backend} needs MODULE.wasm`);
    return new Uint8Array(readFileSync(module));
  };
  switch (backend) {
    case "wasmgc": {
      const { WasmGcProgram } = await import("../src/wasmgc/run.ts");
      const program = await loadProgram(file);
      const compiled = WasmGcProgram.compile(need(), program);
      return (n) => ({ key: keyOf(compiled.run(program.entry, [BigInt(n)])) });
    }
    case "interp": {
      const { runProgramDetailed } = await import("../../ts-runtime/src/interp/run.ts");
      const program = await loadProgram(file);
      return (n) => {
        const { result, heap } = runProgramDetailed(program, { args: [BigInt(n)] });
        return { key: keyOf(result), heap, peakLiveSlots: heap.peakLiveSlots() };
      };
    }
    case "habi-node": {
      const { HandleAbiProgram } = await import("../../ts-runtime/src/abi-host/index.ts");
      const program = await loadProgram(file);
      const compiled = HandleAbiProgram.compile(need(), program);
      return (n) => {
        const { result, heap, peakLiveSlots } = compiled.runDetailed(program.entry, [BigInt(n)], { variant: "auto" });
        return { key: keyOf(result), heap, peakLiveSlots };
      };
    }
    case "js": {
      const { JS_KERNELS } = await import("./kernel-timing.ts");
      const kernel = JS_KERNELS[basename(file, ".ir")];
      if (kernel === undefined) throw new Error(`no JS kernel for ${file}`);
      return (n) => {
        const x = kernel(n);
        return { key: Number.isSafeInteger(x) ? `i64 ${BigInt(x)}` : `not an exact integer: ${x}` };
      };
    }
    default:
      throw new Error(`unknown backend ${backend} (wasmgc, interp, habi-node, js)`);
  }
}

async function main(): Promise<void> {
  const [backend, file, nText, warmText, runsText, module] = process.argv.slice(2);
  if (backend === undefined || file === undefined || nText === undefined || warmText === undefined || runsText === undefined) {
    throw new Error("usage: scale-point.ts BACKEND PROGRAM N WARM_N RUNS [MODULE.wasm]");
  }
  const run = await runner(backend, file, module);
  const fullGc = v8FullGc();
  run(Number(warmText));
  const report: PointReport = { ms: [], result: "", maxRssKiB: 0 };
  const keys = new Set<string>();
  for (let i = 0; i < Number(runsText); i++) {
    fullGc();
    const t0 = performance.now();
    const got = run(Number(nText));
    report.ms.push(performance.now() - t0);
    keys.add(got.key);
    if (got.heap !== undefined) {
      const stats = got.heap.stats();
      report.heap = { peakLiveSlots: got.peakLiveSlots ?? 0, heapBytes: stats.heapBytes, collections: stats.collections };
    }
  }
  report.result = keys.size === 1 ? [...keys][0]! : `unstable: ${[...keys].join(", then ")}`;
  report.maxRssKiB = peakRssKiB();
  console.log(JSON.stringify(report));
}

await main();
