// The programs benchmark: `node compiler3-emit/bench/programs.bench.ts`, also
// run by `npm run bench` (alone: `npm run bench -- --programs`; some kernels
// only: VM3_BENCH_PROGRAMS=nsieve,n_body).
//
// For five kernels of conformance/programs it times, side by side in one
// process, (a) the emitted WasmGC module, unoptimised and with -O, (b) the
// reference interpreter (ts-runtime/src/interp), (c) the emitted handle-ABI
// module (-O) under Node with the TypeScript heap (HandleAbiProgram, AUTO)
// and (d) a hand-written idiomatic JavaScript version of the same algorithm
// (./kernels/), and prints medians of interleaved rounds, each column's ratio
// to JavaScript, the modules' sizes and the peak RSS (DESIGN §10). Out of
// process, (e) the same handle-ABI .wasm under Go (wazero and the Go heap,
// AUTO) and (f) the plain Go kernel (go-host/bridge/kernels) are timed by one
// `vm3-go bench` process per row (./vm3-go.ts), which alternates the two
// within itself; the wazero column gives its ratio to JS and to plain Go.
// Without Go those two columns say why and the rest still prints.
//
// For binary_trees, lists_fill_sum and n_body the first row (the emitted
// module's n) also times, interleaved with its columns, the hand-written
// anchors (./anchors.ts, sources in ./anchors/): a WasmGC module written in
// WAT (binaryen -O3) and AssemblyScript with its incremental and its minimal
// runtime (asc -O3, compiled by this benchmark), each driven to compute the
// kernel's exact result at that n; a second table gives their times, sizes,
// ratios to JS and the emitted -O module's ratios to the hand-written one
// against issue 12's goals. Without the assemblyscript package those columns
// say why they are skipped.
//
// VM3_BENCH_SCALE=1 appends the scale section (./scale.ts: cost and peak
// memory of binary_trees and lists_fill_sum at 1x, 10x and 100x the work on
// every backend, one child process per point); VM3_BENCH_SCALE=only prints
// only that section (also `npm run bench:scale`). It takes a minute or two,
// so a plain `npm run bench` leaves it out.
//
// No time is reported for a wrong answer. Before timing, every column runs
// every vector of its program in conformance/programs/*.json; a column that
// misses one is dropped for that kernel. At each benchmark n the columns'
// first (warm-up) results must equal the closed form where the kernel has
// one, and each other: a row whose remaining results disagree is not timed.
// Every timed run's result is compared again. The one allowed difference is
// mandelbrot's JavaScript, which has no fused multiply-add (see its kernel).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { median, v8FullGc } from "../../ts-runtime/bench/harness.ts";
import { f64Bits, runProgram, type RunResult } from "../../ts-runtime/src/interp/index.ts";
import { loadProgram } from "../src/ir/load.ts";
import type { Program } from "../src/ir/model.ts";
import { validate } from "../src/ir/validate.ts";
import { emitWasmGc } from "../src/wasmgc/emit.ts";
import { WasmGcProgram } from "../src/wasmgc/run.ts";
import { emitHandleAbi } from "../src/handleabi/emit.ts";
import { HandleAbiProgram } from "../../ts-runtime/src/abi-host/index.ts";
import { goBench, vm3Go, writeModule, type GoLine, type GoResult } from "./vm3-go.ts";
import { ANCHOR_LABELS, ANCHORED_KERNELS, loadAnchors, type Anchor } from "./anchors.ts";
import { binaryTreesNodes, printScale } from "./scale.ts";
import { binaryTrees } from "./kernels/binary_trees.ts";
import { listsFillSum } from "./kernels/lists_fill_sum.ts";
import { mandelbrot } from "./kernels/mandelbrot.ts";
import { nBody } from "./kernels/n_body.ts";
import { nsieve } from "./kernels/nsieve.ts";

/** Timed rounds of every row; the first, discarded round also checks the results. */
const ROUNDS = 7;
/** Timed rounds of the interpreter, which runs in the first INTERP_ROUNDS rounds of its rows. */
const INTERP_ROUNDS = 3;
/**
 * Timed rounds of the handle-ABI columns (one host call per heap operation:
 * 20–500x JS), which run only in each kernel's second row: under Node in the
 * first HANDLE_ROUNDS rounds of it, under wazero in its vm3-go process.
 */
const HANDLE_ROUNDS = 5;
/** Timed rounds of the AssemblyScript anchors (2–10x JS on binary_trees). */
const AS_ROUNDS = 5;

const PROGRAMS_DIR = fileURLToPath(new URL("../../conformance/programs/", import.meta.url));
const VECTOR_FILES = ["corpus.json", "heap.json"];

interface Kernel {
  name: string;
  /** The program, relative to conformance/programs (as the vector files name it). */
  file: string;
  result: "i64" | "f64";
  js(n: number): number;
  /** n of the first row (no interpreter): chosen so that one JS run takes about 50–300 ms here. */
  n: number;
  /** n of the second row, where the interpreter and the handle-ABI and Go columns run too (60–600x slower than JS). */
  interpN: number;
  /** The result as a closed form, where the program's README gives one. */
  closedForm?: (n: bigint) => bigint;
  /** Why the JavaScript column may legitimately give a different result. */
  jsMayDiffer?: string;
}

const KERNELS: readonly Kernel[] = [
  {
    name: "binary_trees",
    file: "heap/binary_trees.ir",
    result: "i64",
    js: binaryTrees,
    n: 16,
    interpN: 12,
    closedForm: binaryTreesNodes,
  },
  {
    name: "lists_fill_sum",
    file: "corpus/lists_fill_sum.ir",
    result: "i64",
    js: listsFillSum,
    n: 3_000_000,
    interpN: 1_000_000,
    closedForm: (n) => (n * (n - 1n)) / 2n,
  },
  { name: "n_body", file: "corpus/n_body.ir", result: "f64", js: nBody, n: 1_000_000, interpN: 50_000 },
  { name: "nsieve", file: "corpus/nsieve.ir", result: "i64", js: nsieve, n: 3_000_000, interpN: 1_000_000 },
  {
    name: "mandelbrot",
    file: "corpus/mandelbrot.ir",
    result: "i64",
    js: mandelbrot,
    n: 1500,
    interpN: 200,
    jsMayDiffer: "JS has no fma: zi = 2*zr*zi + cy rounds the product",
  },
];

// ---- results ----------------------------------------------------------------

/** A result as comparable text: "i64 N", "f64 X (0xBITS)", "trap NAME …". */
function keyOfRun(r: RunResult): string {
  if (r.kind === "trap") return `trap ${r.name} in ${r.function}: ${r.message}`;
  const v = r.value;
  switch (v.type) {
    case "i64":
      return `i64 ${v.i64}`;
    case "f64":
      return f64Key(v.f64);
    case "bool":
      return `bool ${v.bool}`;
    case "str":
      return `str ${JSON.stringify(v.str)}`;
    case "unit":
      return "unit";
  }
}

function f64Key(x: number): string {
  return `f64 ${x} (0x${f64Bits(x).toString(16).padStart(16, "0")})`;
}

/** A JS kernel's number as the same text; an i64 result must be a safe integer to be exact. */
function keyOfJs(kernel: Kernel, x: number): string {
  if (kernel.result === "f64") return f64Key(x);
  return Number.isSafeInteger(x) ? `i64 ${BigInt(x)}` : `not an exact integer: ${x}`;
}

/** The text of a vector's `expect` (proto3 JSON of ProgramExpect). */
function keyOfExpect(expect: Record<string, unknown>): string {
  if (expect["i64"] !== undefined) return `i64 ${BigInt(expect["i64"] as string | number)}`;
  if (expect["f64Bits"] !== undefined) {
    const view = new DataView(new ArrayBuffer(8));
    view.setBigUint64(0, BigInt(expect["f64Bits"] as string));
    return f64Key(view.getFloat64(0));
  }
  if (expect["f64"] !== undefined) return f64Key(expect["f64"] as number);
  if (expect["trap"] !== undefined) return `trap ${expect["trap"] as string}`;
  return `expect ${JSON.stringify(expect)}`;
}

/** Shown in the table: the value only. */
function shortValue(key: string): string {
  if (key.startsWith("i64 ")) return BigInt(key.slice(4)).toLocaleString("en-US");
  if (key.startsWith("f64 ")) return key.slice(4, key.indexOf(" (0x"));
  return key;
}

interface Vector {
  n: number;
  expect: string;
}

/** The vectors of `file` in conformance/programs/*.json that run its entry with one argument. */
function vectorsOf(file: string): Vector[] {
  const out: Vector[] = [];
  for (const name of VECTOR_FILES) {
    const suite = JSON.parse(readFileSync(join(PROGRAMS_DIR, name), "utf8")) as {
      programs: { program: string; entry?: string; args?: (number | string)[]; expect: Record<string, unknown> }[];
    };
    for (const v of suite.programs) {
      if (v.program !== file || (v.entry ?? "") !== "" || v.args?.length !== 1) continue;
      out.push({ n: Number(v.args[0]), expect: keyOfExpect(v.expect) });
    }
  }
  return out;
}

// ---- columns ------------------------------------------------------------------

interface Column {
  label: string;
  /** One run at `n`, as result text; `timed` brackets only the kernel (a fresh instance for WasmGC). */
  run(n: number, timed: (work: () => void) => void): string;
}

/** Where a column stands for one kernel: usable, or why not, shown as its cells. */
type Status = { ok: true } | { ok: false; cell: string; why: string };

const COLUMN_LABELS = ["WasmGC", "WasmGC -O", "interpreter", "handle-ABI (Node)", "handle-ABI (wazero)", "Go", "JS", ...ANCHOR_LABELS] as const;
const WASM = 0;
const WASM_O = 1;
const INTERP = 2;
const HABI_NODE = 3;
/** The two columns of the vm3-go bench process (not Columns of this process). */
const HABI_WAZERO = 4;
const GO = 5;
const JS = 6;
/** The anchors (hand-written WasmGC, AS incremental, AS minimal), in the first row only, in their own table. */
const HAND_WASM = 7;
const AS_INCREMENTAL = 8;
const AS_MINIMAL = 9;
const ANCHORS = [HAND_WASM, AS_INCREMENTAL, AS_MINIMAL];
/** The columns of the main table. */
const MAIN_COLUMNS = COLUMN_LABELS.slice(0, JS + 1);
const IN_GO = [HABI_WAZERO, GO];
/** Columns timed in fewer rounds: the interpreter's, handle-ABI (Node)'s and AssemblyScript's. */
const FEWER_ROUNDS = new Map([
  [INTERP, INTERP_ROUNDS],
  [HABI_NODE, HANDLE_ROUNDS],
  [AS_INCREMENTAL, AS_ROUNDS],
  [AS_MINIMAL, AS_ROUNDS],
]);

interface ModuleInfo {
  bytes: number;
  emitMs: number;
  compileMs: number;
}

interface Row {
  n: number;
  /** The columns run at this n (the interpreter only in the second row). */
  columns: number[];
  /** Per column: the medians, or why there is none. */
  ms: (number | undefined)[];
  why: (string | undefined)[];
  result: string;
  /** Set when the row's results disagree: nothing of it is timed. */
  refused?: string;
}

interface KernelReport {
  kernel: Kernel;
  /** WasmGC, WasmGC -O, handle-ABI -O. */
  modules: (ModuleInfo | string)[];
  /** The hand-written anchors, for a kernel that has them. */
  anchors: Anchor[] | undefined;
  rows: Row[];
  notes: string[];
}

function wasmColumn(label: string, module: WasmGcProgram, entry: string): Column {
  return {
    label,
    run(n, timed) {
      let r!: RunResult;
      timed(() => {
        r = module.run(entry, [BigInt(n)]);
      });
      return keyOfRun(r);
    },
  };
}

function interpColumn(program: Program): Column {
  return {
    label: "interpreter",
    run(n, timed) {
      let r!: RunResult;
      timed(() => {
        r = runProgram(program, { args: [BigInt(n)] });
      });
      return keyOfRun(r);
    },
  };
}

function handleAbiColumn(module: HandleAbiProgram, entry: string): Column {
  return {
    label: COLUMN_LABELS[HABI_NODE],
    run(n, timed) {
      let r!: RunResult;
      timed(() => {
        r = module.run(entry, [BigInt(n)], { variant: "auto" });
      });
      return keyOfRun(r);
    },
  };
}

/** An anchor's number as the same text as the JS kernel's (it computes the kernel at n, anchors.ts). */
function anchorColumn(kernel: Kernel, anchor: Anchor): Column | undefined {
  if ("skipped" in anchor) return undefined;
  return { label: anchor.label, run: (n, timed) => keyOfJs(kernel, anchor.run(n, timed)) };
}

function jsColumn(kernel: Kernel): Column {
  return {
    label: "JS",
    run(n, timed) {
      let x = 0;
      timed(() => {
        x = kernel.js(n);
      });
      return keyOfJs(kernel, x);
    },
  };
}

const untimed = (work: () => void): void => work();

function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split("\n")[0]!;
}

/** Emits and compiles the module (optimised or not), timing each step once. */
function buildModule(program: Program, optimize: boolean): { info: ModuleInfo; module: WasmGcProgram } | string {
  try {
    let t0 = performance.now();
    const binary = emitWasmGc(program, { optimize });
    const emitMs = performance.now() - t0;
    t0 = performance.now();
    const module = WasmGcProgram.compile(binary, program);
    const compileMs = performance.now() - t0;
    return { info: { bytes: binary.byteLength, emitMs, compileMs }, module };
  } catch (e) {
    return `emit/compile failed: ${firstLine(e)}`;
  }
}

/** Emits the handle-ABI module (-O), compiles it for Node and writes the .wasm for vm3-go. */
function buildHandleAbi(
  kernel: Kernel,
  program: Program,
): { info: ModuleInfo; module: HandleAbiProgram; path: string } | string {
  try {
    let t0 = performance.now();
    const binary = emitHandleAbi(program, { optimize: true });
    const emitMs = performance.now() - t0;
    t0 = performance.now();
    const module = HandleAbiProgram.compile(binary, program);
    const compileMs = performance.now() - t0;
    const path = writeModule(`${kernel.name}.handle-abi.wasm`, binary);
    return { info: { bytes: binary.byteLength, emitMs, compileMs }, module, path };
  } catch (e) {
    return `emit/compile failed: ${firstLine(e)}`;
  }
}

// ---- the vm3-go process ---------------------------------------------------------

/** How vm3-go runs a kernel's handle-ABI module and its plain Go kernel. */
interface GoTarget {
  module: string;
  entry: string;
}

/** A vm3-go bench result as the same text as keyOfRun's. */
function keyOfGo(r: GoResult | undefined): string {
  if (r === undefined) return "no result";
  if ("trap" in r) return `trap ${r.trap} in ${r.op}: ${r.detail}`;
  switch (r.type) {
    case "i64":
      return `i64 ${BigInt(r.i64)}`;
    case "f64": {
      const view = new DataView(new ArrayBuffer(8));
      view.setBigUint64(0, BigInt(r.bits));
      return f64Key(view.getFloat64(0));
    }
    case "bool":
      return `bool ${r.bool}`;
    case "str":
      return `str ${JSON.stringify(r.str)}`;
    case "unit":
      return "unit";
  }
}

/** Per column (HABI_WAZERO, GO): the warm-up result, then each timed round's result and time. */
interface GoSamples {
  first: Map<number, string>;
  timed: Map<number, { key: string; ms: number }[]>;
}

/** One vm3-go bench process: the module and the plain Go kernel at n, alternating, `warmup` + `rounds` each. */
function goRuns(kernel: Kernel, target: GoTarget, n: number, rounds: number, warmup: number): GoSamples | string {
  const lines = goBench([
    target.module,
    "--entry",
    target.entry,
    "--result",
    kernel.result,
    "--variant",
    "auto",
    "--plain-go",
    kernel.name,
    "--rounds",
    String(rounds),
    "--warmup",
    String(warmup),
    "--",
    String(n),
  ]);
  if (typeof lines === "string") return lines;
  const out: GoSamples = { first: new Map(), timed: new Map(IN_GO.map((c) => [c, []])) };
  for (const line of lines.filter((l: GoLine) => l.run !== undefined)) {
    const c = line.run === "wazero" ? HABI_WAZERO : GO;
    const key = keyOfGo(line.result);
    if (line.warmup === true) out.first.set(c, key);
    else out.timed.get(c)!.push({ key, ms: line.ms! });
  }
  for (const c of IN_GO) {
    if (!out.first.has(c) && warmup > 0) return `vm3-go bench printed no ${COLUMN_LABELS[c]} warm-up run`;
  }
  return out;
}

// ---- timing -------------------------------------------------------------------

const fullGc = v8FullGc();

/** One run of `column` at `n` from a collected heap (as ts-runtime/bench/harness.ts): its result and time. */
function timeOne(column: Column, n: number): { key: string; ms: number } {
  let ms = 0;
  const key = column.run(n, (work) => {
    fullGc();
    const t0 = performance.now();
    work();
    ms = performance.now() - t0;
  });
  return { key, ms };
}

function benchKernel(kernel: Kernel, anchors: Anchor[] | undefined): KernelReport {
  const notes: string[] = [];
  const report: KernelReport = { kernel, modules: [], rows: [], notes, anchors };
  const fail = (why: string): KernelReport => {
    notes.push(why);
    return report;
  };

  let program: Program;
  try {
    const shown = `conformance/programs/${kernel.file}`;
    const loaded = loadProgram(shown, readFileSync(join(PROGRAMS_DIR, kernel.file)));
    const errors = validate(loaded.program, { sourceMap: loaded.sourceMap, limit: 5 });
    if (errors.length > 0) return fail(`invalid program: ${errors.map((e) => e.text).join("; ")}`);
    program = loaded.program;
  } catch (e) {
    return fail(`cannot load ${kernel.file}: ${firstLine(e)}`);
  }

  const columns: (Column | undefined)[] = [];
  const status: Status[] = [];
  for (const optimize of [false, true]) {
    const built = buildModule(program, optimize);
    const label = COLUMN_LABELS[optimize ? WASM_O : WASM];
    if (typeof built === "string") {
      report.modules.push(built);
      columns.push(undefined);
      status.push({ ok: false, cell: "unsupported", why: `${label}: ${built}` });
    } else {
      report.modules.push(built.info);
      columns.push(wasmColumn(label, built.module, program.entry));
      status.push({ ok: true });
    }
  }
  columns.push(interpColumn(program));
  status.push({ ok: true });
  const habi = buildHandleAbi(kernel, program);
  if (typeof habi === "string") {
    report.modules.push(habi);
    columns.push(undefined);
    status.push({ ok: false, cell: "unsupported", why: `handle-ABI: ${habi}` });
  } else {
    report.modules.push(habi.info);
    columns.push(handleAbiColumn(habi.module, program.entry));
    status.push({ ok: true });
  }
  // HABI_WAZERO and GO: run by vm3-go, no Column here.
  columns.push(undefined, undefined);
  const go = vm3Go();
  const goTarget: GoTarget | undefined = typeof habi === "string" || "error" in go ? undefined : { module: habi.path, entry: program.entry };
  if ("error" in go) {
    const why = `handle-ABI (wazero), Go: ${go.error}`;
    status.push({ ok: false, cell: "no Go", why }, { ok: false, cell: "no Go", why: "" });
  } else if (goTarget === undefined) {
    status.push({ ok: false, cell: "unsupported", why: "handle-ABI (wazero), Go: no handle-ABI module" }, { ok: false, cell: "—", why: "" });
  } else {
    status.push({ ok: true }, { ok: true });
  }
  columns.push(jsColumn(kernel));
  status.push({ ok: true });
  ANCHORS.forEach((_, i) => {
    const anchor = anchors?.[i];
    columns.push(anchor === undefined ? undefined : anchorColumn(kernel, anchor));
    if (anchor === undefined) status.push({ ok: false, cell: "—", why: "" });
    else if ("skipped" in anchor) status.push({ ok: false, cell: "skipped", why: `${anchor.label} skipped: ${anchor.skipped}` });
    else status.push({ ok: true });
  });

  // The expected values of conformance/programs/*.json, for every column.
  const vectors = vectorsOf(kernel.file);
  if (vectors.length === 0) return fail(`no vectors for ${kernel.file} in ${VECTOR_FILES.join(", ")}`);
  columns.forEach((column, c) => {
    if (column === undefined) return;
    const wrong: string[] = [];
    for (const v of vectors) {
      let got: string;
      try {
        got = column.run(v.n, untimed);
      } catch (e) {
        got = `threw ${firstLine(e)}`;
      }
      if (got !== v.expect) wrong.push(`n = ${v.n}: expected ${v.expect}, got ${got}`);
    }
    if (wrong.length === 0) return;
    if (c === JS && kernel.jsMayDiffer !== undefined) {
      notes.push(`JS differs from the expected values (${kernel.jsMayDiffer}): ${wrong.join("; ")}`);
    } else {
      status[c] = { ok: false, cell: "WRONG", why: `${column.label} misses ${wrong.length} of ${vectors.length} vectors: ${wrong.join("; ")}` };
    }
  });
  // The same for the vm3-go columns: one process per vector, one untimed run of each.
  if (goTarget !== undefined) {
    const wrong = new Map<number, string[]>(IN_GO.map((c) => [c, []]));
    for (const v of vectors) {
      const got = goRuns(kernel, goTarget, v.n, 0, 1);
      for (const c of IN_GO) {
        const key = typeof got === "string" ? got : got.first.get(c)!;
        if (key !== v.expect) wrong.get(c)!.push(`n = ${v.n}: expected ${v.expect}, got ${key}`);
      }
    }
    for (const c of IN_GO) {
      const w = wrong.get(c)!;
      if (w.length > 0) status[c] = { ok: false, cell: "WRONG", why: `${COLUMN_LABELS[c]} misses ${w.length} of ${vectors.length} vectors: ${w.join("; ")}` };
    }
  }
  if (status[JS]!.ok === false) notes.push("no JS baseline: no ratios");

  for (const [n, second] of [[kernel.n, false], [kernel.interpN, true]] as const) {
    const wanted = second ? [WASM, WASM_O, INTERP, HABI_NODE, HABI_WAZERO, GO, JS] : [WASM, WASM_O, JS, ...(anchors === undefined ? [] : ANCHORS)];
    report.rows.push(benchRow(kernel, n, wanted, columns, status, notes, second ? goTarget : undefined));
  }
  for (const s of status) if (!s.ok && s.why !== "") notes.push(s.why);
  return report;
}

function benchRow(
  kernel: Kernel,
  n: number,
  wanted: number[],
  columns: readonly (Column | undefined)[],
  status: Status[],
  notes: string[],
  goTarget: GoTarget | undefined,
): Row {
  const row: Row = { n, columns: wanted, ms: [], why: [], result: "" };
  const live = wanted.filter((c) => status[c]!.ok);
  for (const c of wanted) {
    const s = status[c]!;
    if (!s.ok) row.why[c] = s.cell;
  }
  const liveHere = live.filter((c) => !IN_GO.includes(c));
  const liveGo = goTarget === undefined ? [] : live.filter((c) => IN_GO.includes(c));

  // Warm-up round: also the row's results, checked before any timing.
  const first = new Map<number, string>();
  for (const c of liveHere) {
    try {
      first.set(c, timeOne(columns[c]!, n).key);
    } catch (e) {
      first.set(c, `threw ${firstLine(e)}`);
    }
  }
  // The vm3-go process: its warm-up results join the check; its timed rounds
  // are checked against them below, and timed only if the row agrees.
  let goSamples: GoSamples | undefined;
  if (liveGo.length > 0) {
    const got = goRuns(kernel, goTarget!, n, HANDLE_ROUNDS, 1);
    if (typeof got === "string") {
      for (const c of liveGo) row.why[c] = "failed";
      notes.push(`n = ${n}: ${got}`);
    } else {
      goSamples = got;
      for (const c of liveGo) first.set(c, got.first.get(c)!);
    }
  }
  const reference = kernel.closedForm === undefined ? undefined : `i64 ${kernel.closedForm(BigInt(n))}`;
  const timed: number[] = [];
  const results = new Map<string, string[]>();
  for (const c of live) {
    const key = first.get(c);
    if (key === undefined) continue;
    const label = COLUMN_LABELS[c]!;
    if (reference !== undefined && key !== reference && !(c === JS && kernel.jsMayDiffer !== undefined)) {
      row.why[c] = "WRONG";
      notes.push(`n = ${n}: ${label} gave ${key}, the closed form is ${reference}`);
      continue;
    }
    timed.push(c);
    if (c === JS && kernel.jsMayDiffer !== undefined) continue;
    results.set(key, [...(results.get(key) ?? []), label]);
  }
  if (results.size > 1) {
    row.refused = `n = ${n}: results disagree: ${[...results].map(([k, who]) => `${who.join(", ")}: ${k}`).join("; ")}`;
    notes.push(`${row.refused} (row not timed)`);
    return row;
  }
  const agreed = reference ?? [...results.keys()][0];
  if (agreed === undefined) {
    // Only a column that may differ ran (mandelbrot's JS alone): nothing to compare it with.
    row.result = timed.length > 0 ? first.get(timed[0]!)! : "";
    if (timed.length > 0) notes.push(`n = ${n}: only ${timed.map((c) => COLUMN_LABELS[c]).join(", ")} ran, its result is unchecked at this n`);
  } else {
    row.result = agreed;
    if (kernel.jsMayDiffer !== undefined && timed.includes(JS) && first.get(JS) !== agreed) {
      notes.push(`n = ${n}: JS gave ${first.get(JS)}, the others ${agreed} (${kernel.jsMayDiffer})`);
    }
  }

  // Timed rounds: each round starts at the next column, so every column takes
  // every position in turn and drift in the machine hits all of them alike.
  const samples = new Map<number, number[]>(timed.map((c) => [c, []]));
  for (const c of timed.filter((c) => IN_GO.includes(c))) {
    for (const got of goSamples!.timed.get(c)!) {
      if (got.key !== first.get(c)) {
        row.why[c] = "UNSTABLE";
        notes.push(`n = ${n}: ${COLUMN_LABELS[c]} gave ${first.get(c)} and then ${got.key}`);
        break;
      }
      samples.get(c)!.push(got.ms);
    }
  }
  const timedHere = timed.filter((c) => !IN_GO.includes(c));
  for (let round = 0; round < ROUNDS; round++) {
    for (let i = 0; i < timedHere.length; i++) {
      const c = timedHere[(round + i) % timedHere.length]!;
      if (round >= (FEWER_ROUNDS.get(c) ?? ROUNDS)) continue;
      if (row.why[c] !== undefined) continue;
      let got: { key: string; ms: number };
      try {
        got = timeOne(columns[c]!, n);
      } catch (e) {
        got = { key: `threw ${firstLine(e)}`, ms: 0 };
      }
      if (got.key !== first.get(c)) {
        row.why[c] = "UNSTABLE";
        notes.push(`n = ${n}: ${COLUMN_LABELS[c]} gave ${first.get(c)} and then ${got.key}`);
        continue;
      }
      samples.get(c)!.push(got.ms);
    }
  }
  for (const c of timed) if (row.why[c] === undefined) row.ms[c] = median(samples.get(c)!);
  return row;
}

// ---- output -------------------------------------------------------------------

function fmtMs(ms: number): string {
  if (ms >= 1000) return `${Math.round(ms).toLocaleString("en-US")} ms`;
  return `${ms.toFixed(ms < 10 ? 2 : 1)} ms`;
}

function table(header: string[], lines: string[][]): string {
  const widths = header.map((h, c) => Math.max(h.length, ...lines.map((l) => l[c]!.length)));
  const fmt = (cols: string[]) => cols.map((col, c) => (c === 0 ? col.padEnd(widths[c]!) : col.padStart(widths[c]!))).join("  ");
  return [fmt(header), widths.map((w) => "-".repeat(w)).join("  "), ...lines.map(fmt)].join("\n");
}

function ratio(x: number): string {
  return `${x.toFixed(2)}x`;
}

function timesTable(reports: readonly KernelReport[]): string {
  const lines: string[][] = [];
  for (const { kernel, rows } of reports) {
    for (const row of rows) {
      const js = row.ms[JS];
      const cells = MAIN_COLUMNS.map((_, c) => {
        if (!row.columns.includes(c)) return "—";
        if (row.refused !== undefined) return "refused";
        const ms = row.ms[c];
        if (ms === undefined) return row.why[c] ?? "—";
        const goMs = row.ms[GO];
        const vsGo = c === HABI_WAZERO && goMs !== undefined ? `, ${ratio(ms / goMs)} Go` : "";
        if (c === JS || js === undefined) return vsGo === "" ? fmtMs(ms) : `${fmtMs(ms)} (${vsGo.slice(2)})`;
        return `${fmtMs(ms)} (${ratio(ms / js)}${vsGo})`;
      });
      lines.push([kernel.name, row.n.toLocaleString("en-US"), row.refused === undefined ? shortValue(row.result) : "—", ...cells]);
    }
  }
  return table(["kernel", "n", "result", ...MAIN_COLUMNS], lines);
}

/** Issue 12's goals for the emitted WasmGC -O module against the hand-written one: time and size. */
const GOAL_TIME = 1.15;
const GOAL_BYTES = 2;

/** The first row of each anchored kernel: the emitted -O module, the anchors and JS, with sizes and ratios. */
function anchorsTable(reports: readonly KernelReport[]): string {
  const lines: string[][] = [];
  for (const { kernel, rows, modules, anchors } of reports) {
    const row = rows[0];
    if (anchors === undefined || row === undefined) continue;
    const opt = modules[1];
    const bytes = [typeof opt === "object" ? opt.bytes : undefined, ...anchors.map((a) => ("bytes" in a ? a.bytes : undefined))];
    const js = row.ms[JS];
    const cells = [WASM_O, ...ANCHORS].map((c, i) => {
      const ms = row.refused === undefined ? row.ms[c] : undefined;
      const b = bytes[i] === undefined ? "" : `, ${bytes[i]!.toLocaleString("en-US")} B`;
      if (ms === undefined) return `${row.refused === undefined ? (row.why[c] ?? "—") : "refused"}${b}`;
      return `${fmtMs(ms)}${js === undefined ? "" : ` (${ratio(ms / js)})`}${b}`;
    });
    const vsHand = (x: number | undefined, y: number | undefined, goal: number): string =>
      x === undefined || y === undefined ? "—" : `${ratio(x / y)} ${x / y <= goal ? "met" : "NOT met"}`;
    lines.push([
      kernel.name,
      row.n.toLocaleString("en-US"),
      ...cells,
      row.refused === undefined && js !== undefined ? fmtMs(js) : "—",
      vsHand(row.ms[WASM_O], row.ms[HAND_WASM], GOAL_TIME),
      vsHand(bytes[0], bytes[1], GOAL_BYTES),
    ]);
  }
  return table(
    ["kernel", "n", "WasmGC -O", ...ANCHOR_LABELS, "JS", `-O / hand time (goal <= ${GOAL_TIME}x)`, `-O / hand bytes (goal <= ${GOAL_BYTES}x)`],
    lines,
  );
}

function modulesTable(reports: readonly KernelReport[]): string {
  const lines = reports.map(({ kernel, modules }) => {
    const [plain, opt, habi] = modules;
    const col = (m: ModuleInfo | string | undefined, f: (m: ModuleInfo) => string) =>
      m === undefined ? "—" : typeof m === "string" ? "unsupported" : f(m);
    return [
      kernel.name,
      col(plain, (m) => m.bytes.toLocaleString("en-US")),
      col(opt, (m) => m.bytes.toLocaleString("en-US")),
      col(plain, (m) => fmtMs(m.emitMs)),
      col(opt, (m) => fmtMs(m.emitMs)),
      col(plain, (m) => fmtMs(m.compileMs)),
      col(opt, (m) => fmtMs(m.compileMs)),
      col(habi, (m) => m.bytes.toLocaleString("en-US")),
      col(habi, (m) => fmtMs(m.emitMs)),
      col(habi, (m) => fmtMs(m.compileMs)),
    ];
  });
  return table(
    ["kernel", "bytes", "-O bytes", "emit", "emit -O", "compile", "compile -O", "handle-ABI -O bytes", "emit", "compile"],
    lines,
  );
}

// VM3_BENCH_PROGRAMS=name,name runs only those kernels (for working on one).
const chosen = (process.env["VM3_BENCH_PROGRAMS"] ?? "").split(",").filter((s) => s !== "");
const unknownKernels = chosen.filter((name) => !KERNELS.some((k) => k.name === name));
if (unknownKernels.length > 0) {
  console.error(`VM3_BENCH_PROGRAMS: no kernel ${unknownKernels.join(", ")} (kernels: ${KERNELS.map((k) => k.name).join(", ")})`);
  process.exit(2);
}
const scale = process.env["VM3_BENCH_SCALE"] ?? "";
if (scale !== "" && scale !== "1" && scale !== "only") {
  console.error(`VM3_BENCH_SCALE: 1 (the tables, then the scale section) or only (the scale section), not ${scale}`);
  process.exit(2);
}
if (scale === "only") {
  printScale(chosen);
  process.exit(0);
}
const benched = KERNELS.filter((k) => chosen.length === 0 || chosen.includes(k.name));
// Built only when an anchored kernel runs (asc takes a few seconds the first time).
const anchors = benched.some((k) => ANCHORED_KERNELS.includes(k.name)) ? await loadAnchors() : new Map<string, Anchor[]>();
const reports = benched.map((k) => benchKernel(k, anchors.get(k.name)));
const goEngine = vm3Go();
console.log(
  `compiler3 IR programs, Node ${process.version}: the emitted WasmGC module (compiled once; a fresh instance per run, in its time), ` +
    `the reference interpreter, the emitted handle-ABI module (-O) under Node (HandleAbiProgram: the TypeScript heap, AUTO; ` +
    `compiled once, a fresh instance and heap per run, in its time) and hand-written JS, side by side in this process; ` +
    `and the same handle-ABI .wasm under wazero with the Go heap (AUTO; compiled once, a fresh instance and heap per run) ` +
    `beside the plain Go kernel (go-host/bridge/kernels), timed in a vm3-go bench process` +
    ("error" in goEngine ? ` (not run: ${goEngine.error})` : "") +
    `.`,
);
console.log(
  `Median of ${ROUNDS} interleaved rounds, each run from a collected heap; the interpreter runs ${INTERP_ROUNDS} rounds ` +
    `and handle-ABI (Node) ${HANDLE_ROUNDS}, only in each kernel's second row, at a smaller n (same n for every column of a row, no scaling). ` +
    `handle-ABI (wazero) and Go run in that row too, not interleaved with the Node columns: one vm3-go process per row, ` +
    `started after the Node columns' warm-up round and before their timed rounds, runs 1 warm-up and ${HANDLE_ROUNDS} timed rounds of ` +
    `each, alternating which goes first, each run after runtime.GC(). ` +
    `(x) = time / JS time at the same n, lower is better; the wazero column also gives time / plain Go time ("x Go").`,
);
console.log(timesTable(reports));
console.log("");
console.log("Module sizes (bytes) and one-off emit and WebAssembly.Module compile times (first call, not medians):");
console.log(modulesTable(reports));
if (reports.some((r) => r.anchors !== undefined)) {
  console.log("");
  console.log(
    `The emitted WasmGC -O module against hand-written anchors (./anchors/README.md) at the first row's n, timed in that row's ` +
      `rounds (the AssemblyScript columns ${AS_ROUNDS} of them), a fresh instance per run in its time; (x) = time / JS time; ` +
      `B = module bytes; "-O / hand" = the emitted -O module's time and size over the hand-written WasmGC module's (binaryen -O3):`,
  );
  console.log(anchorsTable(reports));
}
const notes = reports.flatMap(({ kernel, notes }) => notes.map((n) => `${kernel.name}: ${n}`));
if (notes.length > 0) {
  console.log("");
  console.log(notes.join("\n"));
}
// Of this process: the programs table runs in its own process under `npm run bench`.
console.log(`peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
if (scale === "1") {
  console.log("");
  printScale(chosen);
}
