// The rooting proof at scale: `npm run bench:roots` (node compiler3-emit/bench/roots.bench.ts).
//
// handle-abi.md §10.5: the emitter roots every Cell a function holds across a
// call in a frame, so AUTO collection (collection.md §4.5) can run inside any
// allocating import and frees only garbage. compiler3-emit/test/
// handleabi-emit.test.ts proves it on binary_trees(12); this runs the same
// -O module at a depth that allocates tens of millions of nodes, on both
// hosts — Node with the TypeScript heap (HandleAbiProgram.runDetailed) and Go
// with wazero (`vm3-go bench`, go-host/cmd/vm3-go/bench.go) — and prints the
// result (checked against the closed form of binary_trees.ir's header), the
// nodes allocated (slots freed + live at the end: the heap has no allocation
// counter), the collections, the peak live slots against the live-tree bound,
// and the time. Then the same program emitted with `rooting: false` must trap
// STALE_HANDLE under AUTO; it reports where.
//
// VM3_ROOTS_N=M picks another depth (default 17).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { loadProgram } from "../src/ir/load.ts";
import type { Program } from "../src/ir/model.ts";
import { validate } from "../src/ir/validate.ts";
import { emitHandleAbi } from "../src/handleabi/emit.ts";
import { HandleAbiProgram } from "../../ts-runtime/src/abi-host/index.ts";
import type { RunResult } from "../../ts-runtime/src/interp/index.ts";
import { goBench, REPO, vm3Go, writeModule, type GoResult } from "./vm3-go.ts";

const M = Number(process.env["VM3_ROOTS_N"] ?? 17);
if (!Number.isSafeInteger(M) || M < 0 || M > 24) {
  console.error(`VM3_ROOTS_N: want a depth in 0..24, got ${process.env["VM3_ROOTS_N"]}`);
  process.exit(2);
}
const FILE = "conformance/programs/heap/binary_trees.ir";

/** The header's closed form: (2^(D+2) - 1) + Σ_d 2^(D-d+4)·(2^(d+1) - 1) + (2^(D+1) - 1), D = max(6, n). */
function closedForm(n: number): bigint {
  const d = BigInt(Math.max(6, n));
  let total = (1n << (d + 2n)) - 1n + ((1n << (d + 1n)) - 1n);
  for (let k = 4n; k <= d; k += 2n) total += (1n << (d - k + 4n)) * ((1n << (k + 1n)) - 1n);
  return total;
}
/** The live-tree bound of the frames proof: 2·2^(D+2) + 1024. */
const bound = (n: number) => 2 * 2 ** (Math.max(6, n) + 2) + 1024;

interface Outcome {
  host: string;
  module: string;
  result: string;
  /** The i64 result, when there is one. */
  value?: bigint;
  trap?: string;
  allocated: number;
  collections: number;
  freed: number;
  live: number;
  peak: number;
  ms: number;
}

function load(): Program {
  const { program } = loadProgram(FILE, readFileSync(join(REPO, FILE)));
  const errors = validate(program);
  if (errors.length > 0) throw new Error(`${FILE}: ${errors.map((e) => e.text).join("; ")}`);
  return program;
}

function shownNode(r: RunResult): { result: string; value?: bigint; trap?: string } {
  if (r.kind === "trap") return { result: `trap ${r.name}`, trap: `${r.name}${r.function === "" ? "" : ` in ${r.function}`}: ${r.message}` };
  if (r.value.type === "i64") return { result: r.value.i64.toLocaleString("en-US"), value: r.value.i64 };
  return { result: JSON.stringify(r.value, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v)) };
}

function shownGo(r: GoResult | undefined): { result: string; value?: bigint; trap?: string } {
  if (r === undefined) return { result: "no result" };
  if ("trap" in r) return { result: `trap ${r.trap}`, trap: `${r.trap} in ${r.op}: ${r.detail}` };
  if (r.type === "i64") return { result: BigInt(r.i64).toLocaleString("en-US"), value: BigInt(r.i64) };
  return { result: JSON.stringify(r) };
}

function runNode(binary: Uint8Array, program: Program, module: string): Outcome {
  const p = HandleAbiProgram.compile(binary, program);
  const t0 = performance.now();
  const run = p.runDetailed("", [BigInt(M)], { variant: "auto" });
  const ms = performance.now() - t0;
  const st = run.heap.stats();
  const live = run.heap.liveSlots();
  return {
    host: "Node (TS heap)",
    module,
    ...shownNode(run.result),
    allocated: st.slotsFreed + live,
    collections: st.collections,
    freed: st.slotsFreed,
    live,
    peak: run.peakLiveSlots,
    ms,
  };
}

function runGo(path: string, module: string): Outcome | string {
  const lines = goBench([path, "--entry", "binary_trees", "--result", "i64", "--variant", "auto", "--rounds", "1", "--warmup", "0", "--", String(M)]);
  if (typeof lines === "string") return lines;
  const line = lines.find((l) => l.run === "wazero");
  if (line === undefined) return "vm3-go bench printed no run";
  return {
    host: "Go (wazero, Go heap)",
    module,
    ...shownGo(line.result),
    allocated: line.slots_freed! + line.live_slots!,
    collections: line.collections!,
    freed: line.slots_freed!,
    live: line.live_slots!,
    peak: line.peak_live_slots!,
    ms: line.ms!,
  };
}

const fmtInt = (x: number | bigint) => x.toLocaleString("en-US");
const fmtTime = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`);

function table(header: string[], lines: string[][]): string {
  const widths = header.map((h, c) => Math.max(h.length, ...lines.map((l) => l[c]!.length)));
  const fmt = (cols: string[]) => cols.map((col, c) => (c <= 1 ? col.padEnd(widths[c]!) : col.padStart(widths[c]!))).join("  ");
  return [fmt(header), widths.map((w) => "-".repeat(w)).join("  "), ...lines.map(fmt)].join("\n");
}

const program = load();
const expected = closedForm(M);
const limit = bound(M);
const rooted = emitHandleAbi(program, { optimize: true });
const unrooted = emitHandleAbi(program, { optimize: true, rooting: false });
const rootedPath = writeModule("binary_trees.roots.wasm", rooted);
const unrootedPath = writeModule("binary_trees.unrooted.wasm", unrooted);
const go = vm3Go();

const outcomes: Outcome[] = [];
const notes: string[] = [];
for (const [binary, path, module] of [
  [rooted, rootedPath, "-O (frames)"],
  [unrooted, unrootedPath, "-O, rooting: false"],
] as const) {
  outcomes.push(runNode(binary, program, module));
  if ("error" in go) {
    notes.push(`Go (wazero) ${module}: not run: ${go.error}`);
    continue;
  }
  const g = runGo(path, module);
  if (typeof g === "string") notes.push(`Go (wazero) ${module}: ${g}`);
  else outcomes.push(g);
}

const verdicts: string[] = [];
const lines = outcomes.map((o) => {
  let check: string;
  if (o.module.startsWith("-O (frames)")) {
    const right = o.value === expected;
    const within = o.peak <= limit;
    const counted = o.value !== undefined && BigInt(o.allocated) === o.value;
    check = [right ? "result = closed form" : "RESULT WRONG", within ? "peak within bound" : "PEAK OVER BOUND", counted ? "allocated = result" : "allocated ≠ result"].join(", ");
    if (!right || !within) verdicts.push(`${o.host} ${o.module}: ${check}`);
  } else {
    const stale = o.trap?.startsWith("STALE_HANDLE") === true;
    check = stale ? `trapped at collection ${o.collections}, after ${fmtInt(o.allocated)} allocations` : "DID NOT TRAP STALE_HANDLE";
    if (!stale) verdicts.push(`${o.host} ${o.module}: expected STALE_HANDLE, got ${o.result}`);
  }
  return [
    o.host,
    o.module,
    o.result,
    fmtInt(o.allocated),
    fmtInt(o.collections),
    fmtInt(o.peak),
    o.module.startsWith("-O (frames)") ? fmtInt(limit) : "—",
    fmtTime(o.ms),
    check,
  ];
});

console.log(
  `binary_trees(${M}) under AUTO (collection.md §4.5: auto_min_threshold 1024), one run per host and module, each on a fresh heap: ` +
    `the handle-ABI module (-O, ${fmtInt(rooted.byteLength)} bytes) under Node with the TypeScript heap (HandleAbiProgram.runDetailed) ` +
    `and the same .wasm under wazero with the Go heap (vm3-go bench, compiled once, instantiation in the time); ` +
    `then the module emitted with rooting: false (${fmtInt(unrooted.byteLength)} bytes).`,
);
console.log(
  `Expected result (${FILE}'s closed form, D = max(6, n) = ${Math.max(6, M)}): ${fmtInt(expected)} nodes, each allocated once. ` +
    `nodes allocated = slots freed + slots live at the end (the heap counts no allocations; ` +
    `binary_trees allocates only nodes). Live-tree bound = 2·2^(D+2) + 1024 = ${fmtInt(limit)}: the largest tree live at once ` +
    `is the stretch tree, 2^(D+2) - 1 nodes (later the long-lived tree and one iteration tree, 2·(2^(D+1) - 1) together), and AUTO ` +
    `collects when allocations since the last collection reach max(1024, live after it), so live slots never exceed ` +
    `live-after + max(1024, live-after) ≤ 2·2^(D+2) + 1024.`,
);
console.log(
  table(["host", "module", "result", "nodes allocated", "collections", "peak live slots", "bound", "time", "check"], lines),
);
for (const o of outcomes.filter((o) => o.trap !== undefined)) {
  console.log(`${o.host}, ${o.module}: trap ${o.trap} (collections ${fmtInt(o.collections)}, slots freed ${fmtInt(o.freed)}, live ${fmtInt(o.live)})`);
}
for (const n of notes) console.log(n);
if (verdicts.length > 0) {
  console.log(`FAILED: ${verdicts.join("; ")}`);
  process.exitCode = 1;
}
