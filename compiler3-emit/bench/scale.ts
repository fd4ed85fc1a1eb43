// The scale section of the programs benchmark (issue 12: how cost grows with
// n): binary_trees and lists_fill_sum at 1x, 10x and 100x the work on every
// backend — the emitted WasmGC -O module, the reference interpreter, the
// handle-ABI module (-O) under Node and under wazero (`vm3-go bench`), and
// the hand-written JS kernel — each point's median time and peak memory.
//
// Run by programs.bench.ts with VM3_BENCH_SCALE=1 (after its tables) or
// VM3_BENCH_SCALE=only (this section alone; also `npm run bench:scale`).
//
// Peak memory is a real count per point (DESIGN §10): every point runs alone
// in its own process (./scale-point.ts, or one `vm3-go bench` process for
// wazero), which reports its own peak RSS (Linux's VmHWM; vm3-go's
// getrusage count, started through /bin/sh so that it does not inherit part
// of this process's: scale-point.ts and goBenchAlone say why). Each
// backend's process at n = 0 is run too, so that what the work added shows
// beside it. Where the heap is ours (interpreter and handle-ABI, Node and
// Go) the heap's own counters are printed too: peak live slots and
// heap_bytes after the run. A vm3-go without the final {"peak_rss_mib":N}
// line leaves the wazero rows with the heap's counters only.
//
// binary_trees' n is a tree depth and its work grows about 2.2x per level, so
// its points are the depths whose node counts are nearest (by ratio) to 10x
// and 100x the 1x depth's; the table prints the node count and the actual
// work ratio. lists_fill_sum's n is its element count and scales exactly.
// Each point checks its result against the kernel's closed form: no time is
// printed for a wrong answer. A point whose projected time (the previous
// point's, times the work ratio) is over SKIP_MS is skipped, with the reason.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { median } from "../../ts-runtime/bench/harness.ts";
import { loadProgram } from "../src/ir/load.ts";
import { emitHandleAbi } from "../src/handleabi/emit.ts";
import { emitWasmGc } from "../src/wasmgc/emit.ts";
import type { PointReport } from "./scale-point.ts";
import { vm3Go, writeModule, type GoLine } from "./vm3-go.ts";

const PROGRAMS_DIR = fileURLToPath(new URL("../../conformance/programs/", import.meta.url));
const POINT_SCRIPT = fileURLToPath(new URL("./scale-point.ts", import.meta.url));

/** A point projected to take longer than this (all its runs) is skipped: the section stays within a couple of minutes. */
const SKIP_MS = 30_000;
/** Timed runs of a point: as many as fit in about RUN_BUDGET_MS, 1 to MAX_RUNS (3 at 1x, where nothing is projected yet). */
const RUN_BUDGET_MS = 2_000;
const MAX_RUNS = 5;
const SCALES = [1, 10, 100] as const;

/** binary_trees' total node count for maxDepth M = max(6, n) (conformance/programs/README.md): its result and its work. */
export function binaryTreesNodes(n: bigint): bigint {
  const m = n < 6n ? 6n : n;
  let total = (1n << (m + 2n)) - 1n + ((1n << (m + 1n)) - 1n);
  for (let d = 4n; d <= m; d += 2n) total += (1n << (m - d + 4n)) * ((1n << (d + 1n)) - 1n);
  return total;
}

interface ScaleKernel {
  name: string;
  file: string;
  /** What the work counts. */
  unit: string;
  /** The 1x n: the slow backends' 10x point stays near 10 s here, so that their 100x is the only one skipped. */
  baseN: number;
  /** The work at n, in `unit`s. */
  work(n: number): number;
  /** The n whose work is nearest to `scale` times the 1x work. */
  nAt(scale: number): number;
  /** The expected result at n. */
  expect(n: number): bigint;
}

function depthNearest(base: number, scale: number): number {
  const target = Math.log(scale * Number(binaryTreesNodes(BigInt(base))));
  let best = base;
  for (let d = base; d <= base + 12; d++) {
    const err = (x: number) => Math.abs(Math.log(Number(binaryTreesNodes(BigInt(x)))) - target);
    if (err(d) < err(best)) best = d;
  }
  return best;
}

const KERNELS: readonly ScaleKernel[] = [
  {
    name: "binary_trees",
    file: "heap/binary_trees.ir",
    unit: "nodes",
    baseN: 11,
    work: (n) => Number(binaryTreesNodes(BigInt(n))),
    nAt: (scale) => depthNearest(11, scale),
    expect: (n) => binaryTreesNodes(BigInt(n)),
  },
  {
    name: "lists_fill_sum",
    file: "corpus/lists_fill_sum.ir",
    unit: "elements",
    baseN: 100_000,
    work: (n) => n,
    nAt: (scale) => 100_000 * scale,
    expect: (n) => (BigInt(n) * (BigInt(n) - 1n)) / 2n,
  },
];

const BACKENDS = [
  { id: "wasmgc", label: "WasmGC -O" },
  { id: "interp", label: "interpreter" },
  { id: "habi-node", label: "handle-ABI (Node)" },
  { id: "habi-wazero", label: "handle-ABI (wazero)" },
  { id: "js", label: "JS" },
] as const;
type BackendId = (typeof BACKENDS)[number]["id"];

/** One measured point, or why there is none. */
interface Point {
  scale: number;
  n: number;
  ms?: number;
  runs?: number;
  rssMiB?: number;
  heap?: { peakLiveSlots: number; heapBytes: number };
  why?: string;
}

/** vm3-go bench's final line, when its build prints one (the process's peak RSS). */
type ScaleGoLine = GoLine & { peak_rss_mib?: number };

function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split("\n")[0]!;
}

/** Runs one point of a Node backend in its own process. */
function nodePoint(backend: BackendId, kernel: ScaleKernel, n: number, runs: number, module: string | undefined): PointReport | string {
  const args = [POINT_SCRIPT, backend, kernel.file, String(n), String(kernel.baseN), String(runs), ...(module === undefined ? [] : [module])];
  const r = spawnSync(process.execPath, args, { encoding: "utf8", timeout: 4 * SKIP_MS, maxBuffer: 1 << 20 });
  if (r.error !== undefined) return `scale-point: ${r.error.message}`;
  if (r.status !== 0) return `scale-point exited ${r.status ?? r.signal}: ${r.stderr.trim().split("\n").at(-1) ?? ""}`;
  return JSON.parse(r.stdout.trim().split("\n").at(-1)!) as PointReport;
}

/**
 * Runs `vm3-go bench ARGS…` as goBench does, but as a grandchild, through
 * /bin/sh: vm3-go's peak_rss_mib is getrusage's, which for a process this
 * (large) Node process spawns directly starts at part of this process's
 * footprint (measured: 119 MiB at n = 0, against 9 MiB through sh, which
 * is small when it forks vm3-go).
 */
function goBenchAlone(args: readonly string[]): ScaleGoLine[] | string {
  const go = vm3Go();
  if ("error" in go) return go.error;
  const r = spawnSync("/bin/sh", ["-c", '"$0" "$@"; exit $?', go.path, "bench", ...args], {
    encoding: "utf8",
    timeout: 4 * SKIP_MS,
    maxBuffer: 64 << 20,
  });
  if (r.error !== undefined) return `vm3-go bench: ${r.error.message}`;
  if (r.status !== 0) return `vm3-go bench exited ${r.status ?? r.signal}: ${r.stderr.trim().split("\n")[0]}`;
  return r.stdout
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => JSON.parse(l) as ScaleGoLine);
}

/** Runs one point under wazero in one vm3-go bench process: its PointReport (RSS if vm3-go prints it). */
function wazeroPoint(n: number, runs: number, warmup: number, module: string, entry: string): PointReport | string {
  const lines = goBenchAlone([module, "--entry", entry, "--result", "i64", "--variant", "auto", "--rounds", String(runs), "--warmup", String(warmup), "--", String(n)]);
  if (typeof lines === "string") return lines;
  const timed = lines.filter((l) => l.run === "wazero" && l.warmup !== true);
  if (timed.length === 0) return "vm3-go bench printed no timed run";
  const keys = new Set(timed.map((l) => (l.result !== undefined && "i64" in l.result ? `i64 ${BigInt(l.result.i64)}` : JSON.stringify(l.result))));
  const last = timed.at(-1)!;
  const rss = lines.find((l) => l.peak_rss_mib !== undefined)?.peak_rss_mib;
  return {
    ms: timed.map((l) => l.ms!),
    result: keys.size === 1 ? [...keys][0]! : `unstable: ${[...keys].join(", then ")}`,
    maxRssKiB: rss === undefined ? Number.NaN : rss * 1024,
    heap: { peakLiveSlots: last.peak_live_slots ?? 0, heapBytes: last.heap_bytes ?? 0, collections: last.collections ?? 0 },
  };
}

interface Modules {
  wasmgc?: string;
  handleAbi?: string;
  entry: string;
  why: Partial<Record<BackendId, string>>;
}

/** Emits the kernel's WasmGC -O and handle-ABI -O modules here, so the point processes need no binaryen. */
function emitModules(kernel: ScaleKernel): Modules {
  const program = loadProgram(kernel.file, readFileSync(join(PROGRAMS_DIR, kernel.file))).program;
  const out: Modules = { entry: program.entry, why: {} };
  try {
    out.wasmgc = writeModule(`scale.${kernel.name}.wasmgc.wasm`, emitWasmGc(program, { optimize: true }));
  } catch (e) {
    out.why.wasmgc = `emit failed: ${firstLine(e)}`;
  }
  try {
    out.handleAbi = writeModule(`scale.${kernel.name}.handle-abi.wasm`, emitHandleAbi(program, { optimize: true }));
  } catch (e) {
    out.why["habi-node"] = out.why["habi-wazero"] = `emit failed: ${firstLine(e)}`;
  }
  const go = vm3Go();
  if ("error" in go) out.why["habi-wazero"] = go.error;
  return out;
}

function runPoint(backend: BackendId, kernel: ScaleKernel, modules: Modules, n: number, runs: number, warm: boolean): PointReport | string {
  if (backend === "habi-wazero") return wazeroPoint(n, runs, warm ? 1 : 0, modules.handleAbi!, modules.entry);
  return nodePoint(backend, kernel, n, runs, backend === "wasmgc" ? modules.wasmgc : backend === "habi-node" ? modules.handleAbi : undefined);
}

/** The backend's points at 1x, 10x and 100x, and its process's RSS at n = 0. */
function backendPoints(backend: BackendId, kernel: ScaleKernel, modules: Modules): { points: Point[]; baseMiB?: number; why?: string } {
  const why = modules.why[backend];
  if (why !== undefined) return { points: [], why };
  const baseline = runPoint(backend, kernel, modules, 0, 1, false);
  const baseMiB = typeof baseline === "string" || Number.isNaN(baseline.maxRssKiB) ? undefined : baseline.maxRssKiB / 1024;
  const points: Point[] = [];
  let previous: { ms: number; work: number } | undefined;
  for (const scale of SCALES) {
    const n = kernel.nAt(scale);
    const work = kernel.work(n);
    const projected = previous === undefined ? undefined : (previous.ms * work) / previous.work;
    if (projected !== undefined && projected > SKIP_MS) {
      points.push({ scale, n, why: `skipped: projected ${(projected / 1000).toFixed(0)} s per run (> ${SKIP_MS / 1000} s)` });
      previous = undefined;
      continue;
    }
    const runs = projected === undefined ? 3 : Math.max(1, Math.min(MAX_RUNS, Math.floor(RUN_BUDGET_MS / projected)));
    const got = runPoint(backend, kernel, modules, n, runs, projected === undefined || projected < RUN_BUDGET_MS);
    if (typeof got === "string") {
      points.push({ scale, n, why: got });
      break;
    }
    const expected = `i64 ${kernel.expect(n)}`;
    if (got.result !== expected) {
      points.push({ scale, n, why: `WRONG: ${got.result}, expected ${expected}` });
      break;
    }
    const ms = median(got.ms);
    points.push({
      scale,
      n,
      ms,
      runs: got.ms.length,
      ...(Number.isNaN(got.maxRssKiB) ? {} : { rssMiB: got.maxRssKiB / 1024 }),
      ...(got.heap === undefined ? {} : { heap: got.heap }),
    });
    previous = { ms, work };
  }
  return baseMiB === undefined ? { points } : { points, baseMiB };
}

function fmtMs(ms: number): string {
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  return `${ms.toFixed(ms < 10 ? 2 : 1)} ms`;
}

function table(header: string[], lines: string[][]): string {
  const widths = header.map((h, c) => Math.max(h.length, ...lines.map((l) => l[c]!.length)));
  const fmt = (cols: string[]) => cols.map((col, c) => (c < 3 ? col.padEnd(widths[c]!) : col.padStart(widths[c]!))).join("  ");
  return [fmt(header), widths.map((w) => "-".repeat(w)).join("  "), ...lines.map(fmt)].join("\n");
}

const count = (x: number): string => x.toLocaleString("en-US");

/** Measures and prints the scale section for the chosen kernels (all if none is named; the others are not in it). */
export function printScale(chosen: readonly string[]): void {
  const kernels = KERNELS.filter((k) => chosen.length === 0 || chosen.includes(k.name));
  console.log(
    `Scale, Node ${process.version}: each point alone in a fresh process (one warm-up run at the 1x n, then 1-${MAX_RUNS} timed runs, ` +
      `the median; wazero: one vm3-go bench process); "peak RSS" is that process's, "n=0" the same backend's process at n = 0. ` +
      `binary_trees scales its nodes: n is the depth whose node count is nearest 10x and 100x the 1x depth's; "work x" is the actual ratio. ` +
      `Heap counters (interpreter, handle-ABI): peak live slots, and heap_bytes after the run.`,
  );
  if (kernels.length === 0) {
    console.log(`(no scale kernel chosen: ${KERNELS.map((k) => k.name).join(", ")})`);
    return;
  }
  const lines: string[][] = [];
  const notes: string[] = [];
  for (const kernel of kernels) {
    const modules = emitModules(kernel);
    const baseWork = kernel.work(kernel.baseN);
    for (const { id, label } of BACKENDS) {
      const { points, baseMiB, why } = backendPoints(id, kernel, modules);
      if (why !== undefined) {
        lines.push([kernel.name, label, "—", "—", "—", "—", "—", why, "—", "—", "—", "—", "—"]);
        continue;
      }
      const oneX = points[0]?.ms;
      for (const p of points) {
        const work = kernel.work(p.n);
        const measured = p.ms !== undefined;
        lines.push([
          kernel.name,
          label,
          `${p.scale}x`,
          count(p.n),
          `${count(work)} ${kernel.unit}`,
          `${(work / baseWork).toFixed(1)}x`,
          measured ? `${fmtMs(p.ms!)} (${p.runs})` : (p.why ?? "—"),
          measured ? `${((p.ms! * 1e6) / work).toFixed(1)} ns` : "—",
          measured && oneX !== undefined ? `${(p.ms! / oneX).toFixed(1)}x` : "—",
          measured && p.rssMiB !== undefined ? `${p.rssMiB.toFixed(0)} MiB` : measured ? "not reported" : "—",
          baseMiB === undefined ? "—" : `${baseMiB.toFixed(0)} MiB`,
          measured && p.heap !== undefined ? count(p.heap.peakLiveSlots) : "—",
          measured && p.heap !== undefined ? count(p.heap.heapBytes) : "—",
        ]);
        if (p.why !== undefined && !p.why.startsWith("skipped")) notes.push(`${kernel.name} ${label} at n = ${count(p.n)}: ${p.why}`);
      }
    }
  }
  console.log(
    table(
      ["kernel", "backend", "scale", "n", "work", "work x", "time (runs)", "per unit", "time x", "peak RSS", "n=0", "peak live slots", "heap_bytes"],
      lines,
    ),
  );
  if (notes.length > 0) console.log(notes.join("\n"));
  if (lines.some((l) => l[1] === "handle-ABI (wazero)" && l[9] === "not reported")) {
    console.log("handle-ABI (wazero): this vm3-go bench prints no peak_rss_mib line; its heap's counters are shown instead.");
  }
}
