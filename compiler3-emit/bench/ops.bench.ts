// The bridge op cost: `npm run bench:ops` (node compiler3-emit/bench/ops.bench.ts).
//
// What one import crossing costs a handle-ABI module (handle-abi.md §10.2):
// a tiny guest module (built here with binaryen.js) whose exported
// loop_OP(n) calls the import OP n times in one Wasm call, run under Node
// with the TypeScript heap (ts-runtime/src/abi-host) and under wazero with
// the Go heap (`vm3-go bench`, go-host/cmd/vm3-go/bench.go) — the very same
// bytes — beside the same heap operation called n times directly (the TS
// Heap from a JS loop, the Go vm3.Heap from a Go loop), so the difference is
// the crossing: the engine's call into the host, the argument checks
// (cellArg/intArg in TS) and, for an allocating import, the host's
// peak-live sample. loop_empty(n) is the guest loop with no call; the
// crossing column subtracts it. Under wazero it is not free: the bridge's
// default (go-host/bridge Options) builds the runtime with wazero's
// WithCloseOnContextDone, whose context check at every loop back-edge and
// call is what lets a deadline stop a guest and keeps a spinning guest from
// stalling Go's garbage collector (embedding.md §7.2). The "wazero
// --uninterruptible" column runs the same bytes with the opt-out
// (Options.Uninterruptible), so the two columns side by side are the
// default's cost; its crossing column subtracts that run's own loop.
//
// Every loop returns its iteration count, checked against n. Medians of
// ROUNDS rounds (and one warm-up): in Node the import and the direct call
// alternate round by round; in Go one vm3-go process runs the module's
// rounds and another the heap operation's.
import { binaryen, i64Const } from "../src/wasm/binaryen.ts";
import { median, v8FullGc } from "../../ts-runtime/bench/harness.ts";
import { Heap } from "../../ts-runtime/src/heap.ts";
import type { Cell } from "../../ts-runtime/src/cell.ts";
import { compileHandleAbi, instantiateHandleAbi } from "../../ts-runtime/src/abi-host/index.ts";
import { callCost } from "./call-cost.ts";
import { goBench, vm3Go, writeModule, type GoLine } from "./vm3-go.ts";

const N = 2_000_000;
const ROUNDS = 5;
/** ir.proto Type I64 (compiler3-emit/src/ir/model.ts). */
const TYPE_I64 = 1;

const OPS = ["list_get", "struct_get", "struct_new"] as const;
type Op = (typeof OPS)[number];

/**
 * loop_OP(n) → n: OP called n times (list_get / struct_get on a list or
 * struct of 4 made first, field 0; struct_new(2, 0), its Cell dropped);
 * loop_empty(n) → n: the loop alone.
 */
function opsModule(): Uint8Array {
  const m = new binaryen.Module();
  try {
    const { i64 } = binaryen;
    m.setFeatures(binaryen.Features.MVP | binaryen.Features.MutableGlobals);
    const imp = (name: string, params: number[]) => m.addFunctionImport(name, "vm3", name, binaryen.createType(params), i64);
    imp("list_new", [i64]);
    imp("list_get", [i64, i64]);
    imp("struct_new", [i64, i64]);
    imp("struct_get", [i64, i64]);
    m.setMemory(1, 1, "memory");
    m.addFunction("vm3_init", binaryen.none, binaryen.none, [], m.nop());
    m.addFunctionExport("vm3_init", "vm3_init");
    const k = (x: number) => i64Const(m, BigInt(x));
    // locals: 0 n (param), 1 i, 2 the target Cell
    const loop = (name: string, setup: binaryen.ExpressionRef | undefined, body: binaryen.ExpressionRef | undefined) => {
      const stmts: binaryen.ExpressionRef[] = [];
      if (setup !== undefined) stmts.push(m.local.set(2, setup));
      stmts.push(
        m.local.set(1, k(0)),
        m.block("done", [
          m.loop(
            "again",
            m.block(null, [
              m.br("done", m.i64.ge_s(m.local.get(1, i64), m.local.get(0, i64))),
              ...(body === undefined ? [] : [m.drop(body)]),
              m.local.set(1, m.i64.add(m.local.get(1, i64), k(1))),
              m.br("again"),
            ]),
          ),
        ]),
        m.local.get(1, i64),
      );
      m.addFunction(name, binaryen.createType([i64]), i64, [i64, i64], m.block(null, stmts, i64));
      m.addFunctionExport(name, name);
    };
    const target = () => m.local.get(2, i64);
    loop("loop_empty", undefined, undefined);
    loop("loop_list_get", m.call("list_new", [k(4)], i64), m.call("list_get", [target(), k(0)], i64));
    loop("loop_struct_get", m.call("struct_new", [k(4), k(0)], i64), m.call("struct_get", [target(), k(0)], i64));
    loop("loop_struct_new", undefined, m.call("struct_new", [k(2), k(0)], i64));
    if (!m.validate()) throw new Error("ops module does not validate");
    return m.emitBinary();
  } finally {
    m.dispose();
  }
}

const fullGc = v8FullGc();
let sink: unknown;

function timed(work: () => unknown): number {
  fullGc();
  const t0 = performance.now();
  sink = work();
  return performance.now() - t0;
}

const binary = opsModule();
const compiled = compileHandleAbi(binary);
const path = writeModule("ops.wasm", binary);

/** One Node run of loop_NAME(N) on a fresh instance (AUTO), the call alone timed. */
function nodeImport(name: string): { ms: number; ok: boolean } {
  const inst = instantiateHandleAbi(compiled, { variant: "auto" });
  let r: ReturnType<typeof inst.run> | undefined;
  const ms = timed(() => (r = inst.run(`loop_${name}`, [BigInt(N)], TYPE_I64)));
  return { ms, ok: r?.kind === "ok" && r.value.type === "i64" && r.value.i64 === BigInt(N) };
}

/** One run of N direct TS Heap calls (AUTO heap). */
function nodeDirect(op: Op): number {
  const heap = new Heap({ variant: "auto" });
  let target: Cell = 0n;
  if (op === "list_get") target = heap.listNew(4);
  if (op === "struct_get") target = heap.structNew(4);
  return timed(() => {
    let c: Cell = 0n;
    if (op === "list_get") for (let i = 0; i < N; i++) c = heap.listGet(target, 0);
    else if (op === "struct_get") for (let i = 0; i < N; i++) c = heap.structGet(target, 0);
    else for (let i = 0; i < N; i++) c = heap.structNew(2, 0);
    return c;
  });
}

const notes: string[] = [];
const ns = (ms: number) => (ms * 1e6) / N;

// Node: warm-up round, then ROUNDS rounds alternating which side goes first.
const nodeSamples = new Map<string, { imp: number[]; direct: number[] }>();
for (const name of ["empty", ...OPS]) nodeSamples.set(name, { imp: [], direct: [] });
for (let round = -1; round < ROUNDS; round++) {
  for (const name of ["empty", ...OPS]) {
    const s = nodeSamples.get(name)!;
    const runs: (() => void)[] = [
      () => {
        const r = nodeImport(name);
        if (!r.ok) notes.push(`Node loop_${name}(${N}) did not return ${N}`);
        if (round >= 0) s.imp.push(r.ms);
      },
    ];
    if (name !== "empty") {
      runs.push(() => {
        const ms = nodeDirect(name as Op);
        if (round >= 0) s.direct.push(ms);
      });
    }
    if (round % 2 === 1) runs.reverse();
    for (const run of runs) run();
  }
}
void sink;

// Go: one process per module entry and per heap operation.
const go = vm3Go();
/** imp: the default Options; unint: --uninterruptible; direct: the Go heap operation. */
type GoSample = { imp?: number | string; unint?: number | string; direct?: number | string };
const goSamples = new Map<string, GoSample>();
const timedMs = (lines: GoLine[] | string, check: (l: GoLine) => boolean): number | string => {
  if (typeof lines === "string") return lines;
  const runs = lines.filter((l) => l.run !== undefined);
  const bad = runs.find((l) => !check(l));
  if (bad !== undefined) return `wrong result ${JSON.stringify(bad.result)}`;
  return median(runs.filter((l) => l.warmup !== true).map((l) => l.ms!));
};
if (!("error" in go)) {
  for (const name of ["empty", ...OPS]) {
    const s: GoSample = {};
    const loopArgs = [path, "--entry", `loop_${name}`, "--result", "i64", "--variant", "auto", "--rounds", String(ROUNDS)];
    const okResult = (l: GoLine) => l.result !== undefined && "i64" in l.result && l.result.i64 === String(N);
    s.imp = timedMs(goBench([...loopArgs, "--", String(N)]), okResult);
    s.unint = timedMs(goBench([...loopArgs, "--uninterruptible", "--", String(N)]), okResult);
    if (name !== "empty") {
      const direct = goBench(["--heap-op", name, "--variant", "auto", "--rounds", String(ROUNDS), "--", String(N)]);
      s.direct = timedMs(direct, (l) => l.ops === N);
    }
    goSamples.set(name, s);
  }
} else {
  notes.push(`wazero and Go columns: ${go.error}`);
}

const fmtNs = (x: number | string | undefined): string =>
  x === undefined ? "—" : typeof x === "string" ? "failed" : `${ns(x).toFixed(1)} ns`;
/** import - direct - the loop alone: what the crossing adds to the operation. */
const crossing = (imp: number | string | undefined, direct: number | string | undefined, loop: number | string | undefined): string =>
  typeof imp === "number" && typeof direct === "number" && typeof loop === "number" ? `${(ns(imp) - ns(direct) - ns(loop)).toFixed(1)} ns` : "—";
for (const [name, s] of goSamples) {
  for (const x of [s.imp, s.unint, s.direct]) if (typeof x === "string") notes.push(`Go ${name}: ${x}`);
}

const header = [
  "op",
  "Node import",
  "TS Heap direct",
  "Node crossing",
  "wazero import",
  "Go Heap direct",
  "wazero crossing",
  "wazero --uninterruptible",
  "its crossing",
];
const nodeLoop = median(nodeSamples.get("empty")!.imp);
const goLoop = goSamples.get("empty")?.imp;
const goLoopUnint = goSamples.get("empty")?.unint;
const lines = ["empty", ...OPS].map((name) => {
  const n = nodeSamples.get(name)!;
  const g = goSamples.get(name);
  const nImp = median(n.imp);
  const nDirect = n.direct.length > 0 ? median(n.direct) : undefined;
  return [
    name === "empty" ? "(loop alone, no call)" : name,
    fmtNs(nImp),
    fmtNs(nDirect),
    name === "empty" ? "—" : crossing(nImp, nDirect, nodeLoop),
    fmtNs(g?.imp),
    fmtNs(g?.direct),
    name === "empty" ? "—" : crossing(g?.imp, g?.direct, goLoop),
    fmtNs(g?.unint),
    name === "empty" ? "—" : crossing(g?.unint, g?.direct, goLoopUnint),
  ];
});
const widths = header.map((h, c) => Math.max(h.length, ...lines.map((l) => l[c]!.length)));
const fmt = (cols: string[]) => cols.map((col, c) => (c === 0 ? col.padEnd(widths[c]!) : col.padStart(widths[c]!))).join("  ");

console.log(
  `Bridge op cost, Node ${process.version}${"error" in go ? "" : " and Go (wazero's compiler)"}: ns per call, ${N.toLocaleString("en-US")} calls per run, ` +
    `median of ${ROUNDS} rounds after a warm-up, AUTO heaps. "import": a guest loop (loop_OP(n), the same ops.wasm on both hosts) ` +
    `calling the import n times in one Wasm call, the loop's own cost included (first row); "direct": the same heap operation ` +
    `called n times from a JS / Go loop; "crossing" = import - direct - loop alone. list_get/struct_get read field 0 of a list/struct of 4; ` +
    `struct_new(2, 0) drops its Cell, so AUTO collects every 1,024 allocations on both sides. ` +
    `Node: import and direct alternate round by round in this process (fresh instance per run, the call alone timed); ` +
    `Go: one vm3-go bench process per loop (fresh instance per run, instantiation in its time) and one per heap operation; ` +
    `"wazero import" is the bridge's default Options (context checks at loop back-edges and calls, so a deadline stops the guest ` +
    `and a spinning guest cannot stall Go's GC), "wazero --uninterruptible" the same module with the opt-out: the first row's ` +
    `difference is the default's cost per loop iteration.`,
);
console.log([fmt(header), widths.map((w) => "-".repeat(w)).join("  "), ...lines.map(fmt)].join("\n"));
if (notes.length > 0) console.log([...new Set(notes)].join("\n"));
console.log("");
console.log(callCost(binary, path, "error" in go ? go.error : undefined).join("\n"));
