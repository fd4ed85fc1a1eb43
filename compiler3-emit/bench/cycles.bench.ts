// `npm run bench:cycles`: Igalia's ref-cpp m0 and m1 on every Node target
// (DESIGN §12, collection.md §4.7). cycles/cycles.ir makes N objects, each
// with a host callback made for it by the host function @callback — in m0
// a callback that captures nothing, in m1 one that captures the object's
// own wrapper (the reference object the host received: a HandleRef on the
// handle targets, the engine's reference on WasmGC) — invokes the first and
// drops them all. Then JS and heap collections run, and each row reports:
// callbacks allocated, finalized (a FinalizationRegistry on them), still
// live, the heap's live slots (handle targets) and the process's peak RSS.
//
// "weak" is the handle heap's wrapper-owned weak host edges (the default);
// "strong" is the plain-finalizer design (HeapConfig.hostEdges "strong": a
// wrapper is a pin its finalizer releases), the baseline that leaks m1.
// Each row runs in its own process (`--expose-gc`), so peak RSS is its own.
//
//   npm run bench:cycles [-- --n 10000,100000,1000000] [--targets interp,handle-abi,wasmgc]
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseText } from "../src/ir/text-parser.ts";
import { compileProgram } from "../src/wasm/compile-thread.ts";
import { WasmGcProgram } from "../src/wasmgc/run.ts";
import { HandleAbiProgram } from "../../ts-runtime/src/abi-host/program.ts";
import { runProgramDetailed } from "../../ts-runtime/src/interp/run.ts";
import type { Heap } from "../../ts-runtime/src/heap.ts";

type Target = "interp" | "handle-abi" | "wasmgc";
type Design = "weak" | "strong" | "engine";
type Mode = "m0" | "m1";

interface Row {
  target: Target;
  design: Design;
  mode: Mode;
  n: number;
  result: string;
  allocated: number;
  finalized: number;
  liveCallbacks: number;
  heapSlots: number | undefined;
  peakMb: number;
  runMs: number;
}

const self = fileURLToPath(import.meta.url);
const gc = (globalThis as { gc?: () => void }).gc;
const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 0));
async function collectJs(): Promise<void> {
  for (let k = 0; k < 3; k++) {
    await tick();
    gc!();
  }
  await tick();
  await tick();
}

function capturing(o: unknown): () => bigint {
  return () => (o === null ? 0n : 1n);
}

function plain(): () => bigint {
  return () => 1n;
}

async function child(target: Target, design: Design, mode: Mode, n: number): Promise<Row> {
  const program = parseText(readFileSync(new URL("./cycles/cycles.ir", import.meta.url), "utf8")).program;
  let allocated = 0;
  let finalized = 0;
  const registry = new FinalizationRegistry<number>(() => {
    finalized++;
  });
  const host = {
    callback(o: unknown): unknown {
      // m1: the callback closes over the object's wrapper — the cycle through both heaps.
      // (Made by separate functions: a closure made where `o` is in scope would hold it in V8's context.)
      const cb = mode === "m1" ? capturing(o) : plain();
      registry.register(cb, allocated++);
      return cb;
    },
    invoke(cb: unknown): bigint {
      return (cb as () => bigint)();
    },
  };
  let heap: Heap | undefined;
  let result: string;
  const t0 = performance.now();
  if (target === "interp") {
    const r = runProgramDetailed(program, { args: [BigInt(n)], heap: { variant: "auto", hostEdges: design === "strong" ? "strong" : "weak" }, host });
    heap = r.heap;
    result = r.result.kind === "trap" ? `trap ${r.result.name}` : String((r.result.value as { i64: bigint }).i64);
  } else {
    const compiled = await compileProgram(program, target, true);
    if (compiled.kind !== "ok") throw new Error(compiled.message);
    if (target === "wasmgc") {
      const r = WasmGcProgram.compile(compiled.binary, program).run("", [BigInt(n)], host);
      result = r.kind === "trap" ? `trap ${r.name}` : String((r.value as { i64: bigint }).i64);
    } else {
      const r = HandleAbiProgram.compile(compiled.binary, program).runDetailed("", [BigInt(n)], { variant: "auto", hostEdges: design === "strong" ? "strong" : "weak" }, host);
      heap = r.heap;
      result = r.result.kind === "trap" ? `trap ${r.result.name}` : String((r.result.value as { i64: bigint }).i64);
    }
  }
  const runMs = performance.now() - t0;
  // After the run: the JS collector (finalizers run, wrappers unpin), then the heap's, twice over.
  await collectJs();
  heap?.collect();
  await collectJs();
  heap?.collect();
  await collectJs();
  return {
    target, design, mode, n, result, allocated, finalized,
    liveCallbacks: allocated - finalized,
    heapSlots: heap?.liveSlots(),
    peakMb: Math.round(process.resourceUsage().maxRSS / 1024),
    runMs: Math.round(runMs),
  };
}

function parent(): void {
  const args = process.argv.slice(2);
  const opt = (name: string, fallback: string): string => {
    const i = args.indexOf(name);
    return i < 0 ? fallback : args[i + 1] ?? fallback;
  };
  if (args.includes("--help")) {
    console.log("usage: npm run bench:cycles [-- --n N,N,…] [--targets interp,handle-abi,wasmgc]\nIgalia's m0/m1 on every Node target; one process per row (see the file's header).");
    return;
  }
  const ns = opt("--n", "1000000").split(",").map(Number);
  const targets = opt("--targets", "interp,handle-abi,wasmgc").split(",") as Target[];
  const rows: Row[] = [];
  for (const n of ns) {
    for (const target of targets) {
      for (const design of (target === "wasmgc" ? ["engine"] : ["weak", "strong"]) as Design[]) {
        for (const mode of ["m0", "m1"] as Mode[]) {
          process.stderr.write(`${target} ${design} ${mode} N=${n}…\n`);
          const r = spawnSync(process.execPath, ["--expose-gc", "--max-old-space-size=8192", self, "--child", target, design, mode, String(n)], { encoding: "utf8" });
          const line = r.stdout.trim().split("\n").pop() ?? "";
          if (r.status !== 0 || !line.startsWith("{")) {
            process.stderr.write(`  failed (exit ${r.status}): ${r.stderr.trim().split("\n").slice(-3).join(" | ")}\n`);
            continue;
          }
          rows.push(JSON.parse(line) as Row);
        }
      }
    }
  }
  const fmt = (x: number): string => x.toLocaleString("en-US");
  console.log("| target | design | test | N | allocated | finalized | still live | heap slots after | peak RSS | run |");
  console.log("|---|---|---|---:|---:|---:|---:|---:|---:|---:|");
  for (const r of rows) {
    console.log(`| ${r.target} | ${r.design} | ${r.mode} | ${fmt(r.n)} | ${fmt(r.allocated)} | ${fmt(r.finalized)} | ${fmt(r.liveCallbacks)} | ${r.heapSlots === undefined ? "—" : fmt(r.heapSlots)} | ${fmt(r.peakMb)} MiB | ${fmt(r.runMs)} ms |`);
  }
}

if (process.argv[2] === "--child") {
  if (gc === undefined) throw new Error("the child runs with --expose-gc");
  const [target, design, mode, n] = process.argv.slice(3) as [Target, Design, Mode, string];
  console.log(JSON.stringify(await child(target, design, mode, Number(n))));
} else {
  parent();
}
