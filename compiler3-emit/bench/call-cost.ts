// The fixed cost of one call of a handle-ABI entry (embedding.md §7.4),
// printed by `npm run bench:ops` under its crossing table: loop_empty(1) of
// ops.wasm, which does no heap operation, called CALLS times per round
// (a) as a fresh run — a new instance and heap, vm3_init, the call — and on
// one reused instance (b) keeping its heap and (c) resetting it, under Node
// (HandleAbiProgram / ProgramInstance) and under wazero (`vm3-go bench
// --reuse keep|reset --calls N`). Medians of interleaved rounds, µs per call.
import { median } from "../../ts-runtime/bench/harness.ts";
import { HandleAbiProgram, type HeapPolicy } from "../../ts-runtime/src/abi-host/index.ts";
import type { RunResult } from "../../ts-runtime/src/interp/run.ts";
import { goBench, type GoLine } from "./vm3-go.ts";

const CALLS = 20_000;
const ROUNDS = 5;
const TYPE_I64 = 1;
const MODES = ["fresh", "keep", "reset"] as const;
type Mode = (typeof MODES)[number];

/** µs per call of loop_empty(1) in each mode, Node and wazero; a string says why a cell is missing. */
export function callCost(binary: Uint8Array, wasmPath: string, goError: string | undefined): string[] {
  const entry = "loop_empty";
  const program = HandleAbiProgram.compile(binary, { entry, functions: [{ name: entry, params: [0], result: TYPE_I64 }] });
  const instances = { keep: program.instantiate({ variant: "auto" }), reset: program.instantiate({ variant: "auto" }) };
  const ok = (r: RunResult) => r.kind === "ok" && r.value.type === "i64" && r.value.i64 === 1n;
  const node = new Map<Mode, number[]>(MODES.map((m) => [m, []]));
  for (let round = -1; round < ROUNDS; round++) {
    for (let k = 0; k < MODES.length; k++) {
      const mode = MODES[(k + Math.max(round, 0)) % MODES.length]!;
      const call = mode === "fresh" ? () => program.run(entry, [1n], { variant: "auto" }) : () => instances[mode].run(entry, [1n], mode as HeapPolicy).result;
      const t0 = performance.now();
      let last: RunResult | undefined;
      for (let i = 0; i < CALLS; i++) last = call();
      const us = ((performance.now() - t0) * 1e3) / CALLS;
      if (last === undefined || !ok(last)) throw new Error(`Node ${mode}: loop_empty(1) did not return 1`);
      if (round >= 0) node.get(mode)!.push(us);
    }
  }
  const go = new Map<Mode, number | string>();
  for (const mode of MODES) {
    if (goError !== undefined) {
      go.set(mode, goError);
      continue;
    }
    const reuse = mode === "fresh" ? [] : ["--reuse", mode];
    const lines = goBench([wasmPath, "--entry", entry, "--result", "i64", "--variant", "auto", ...reuse, "--calls", String(CALLS), "--rounds", String(ROUNDS), "--", "1"]);
    go.set(mode, typeof lines === "string" ? lines : usPerCall(lines));
  }
  const fmt = (x: number | string | undefined) => (typeof x === "number" ? `${x.toFixed(2)} µs` : "—");
  const rows = MODES.map((mode) => {
    const n = median(node.get(mode)!);
    const g = go.get(mode);
    return [mode === "fresh" ? "fresh instance per call" : `one instance, heap ${mode === "keep" ? "kept" : "reset"}`, fmt(n), fmt(g)];
  });
  const header = ["call of loop_empty(1)", "Node", "wazero"];
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const line = (cols: string[]) => cols.map((col, c) => (c === 0 ? col.padEnd(widths[c]!) : col.padStart(widths[c]!))).join("  ");
  const out = [
    `Per-call fixed cost (embedding.md §7.4): µs per call, ${CALLS.toLocaleString("en-US")} calls per round, median of ${ROUNDS} rounds after a warm-up, AUTO heaps; ` +
      `"fresh" instantiates the module on a new heap and runs vm3_init for every call (HandleAbiProgram.run, vm3-go bench), ` +
      `"kept" calls one instance on the heap the last call left, "reset" gives each call a fresh heap and vm3_init ` +
      `(Node: a new WebAssembly.Instance of the compiled module, its imports being bound to their heap; Go: the same wazero instance).`,
    line(header),
    widths.map((w) => "-".repeat(w)).join("  "),
    ...rows.map(line),
  ];
  for (const [mode, g] of go) if (typeof g === "string" && goError === undefined) out.push(`wazero ${mode}: ${g}`);
  return out;
}

function usPerCall(lines: GoLine[]): number | string {
  const runs = lines.filter((l) => l.run === "wazero");
  const bad = runs.find((l) => !(l.result !== undefined && "i64" in l.result && l.result.i64 === "1"));
  if (bad !== undefined) return `wrong result ${JSON.stringify(bad.result)}`;
  return median(runs.filter((l) => l.warmup !== true).map((l) => l.us_per_call!));
}
