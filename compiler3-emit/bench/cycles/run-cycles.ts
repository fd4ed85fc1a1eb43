// One row of `npm run bench:cycles` (cycles.bench.ts): m0 or m1 on one
// target and design, then JS and heap collections, and the counts. No Node
// imports: the same code runs in a Node child process and in Chromium's page.
import type { Program } from "../../src/ir/model.ts";
import { WasmGcProgram } from "../../src/wasmgc/run.ts";
import { HandleAbiProgram } from "../../../ts-runtime/src/abi-host/program.ts";
import { runProgramDetailed } from "../../../ts-runtime/src/interp/run.ts";
import type { Heap } from "../../../ts-runtime/src/heap.ts";
import type { RunResult } from "../../../ts-runtime/src/interp/run.ts";
import { bind } from "../../src/bindings/bind.ts";
import { compileHandleAbi } from "../../../ts-runtime/src/abi-host/contract.ts";
import { compileWasmGcModule } from "../../src/wasmgc/run.ts";

export type Target = "interp" | "handle-abi" | "wasmgc";
export type Design = "weak" | "strong" | "engine";
export type Mode = "m0" | "m1";
/** How the objects are made: by the program's main, which asks @callback for each one's callback (host calls), or by JS through the typed API (bindings.md), storing each callback in the object's field. */
export type Api = "host-call" | "typed";

export interface CyclesJob {
  target: Target;
  design: Design;
  mode: Mode;
  api: Api;
  n: number;
  /** With api "typed", the bound program (withAccessors) and its modules emitted with exportAll. */
  program: Program;
  /** The target's module (-O); absent for interp. */
  binary?: Uint8Array;
}

export interface CyclesCounts {
  result: string;
  allocated: number;
  finalized: number;
  liveCallbacks: number;
  /** The handle heap's live slots after the collections; undefined on WasmGC. */
  heapSlots: number | undefined;
  runMs: number;
}

// Separate functions: a closure made where the wrapper is in scope would hold it in V8's context even in m0.
function capturing(o: unknown): () => bigint {
  return () => (o === null ? 0n : 1n);
}
function plain(): () => bigint {
  return () => 1n;
}

const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

function shown(r: RunResult): string {
  return r.kind === "trap" ? `trap ${r.name}` : String((r.value as { i64: bigint }).i64);
}

/** Runs the job; `gc` is the engine's forced collection (`--expose-gc`). */
export async function runCycles(job: CyclesJob, gc: () => void): Promise<CyclesCounts> {
  let allocated = 0;
  let finalized = 0;
  const registry = new FinalizationRegistry<number>(() => {
    finalized++;
  });
  const host = {
    callback(o: unknown): unknown {
      const cb = job.mode === "m1" ? capturing(o) : plain();
      registry.register(cb, allocated++);
      return cb;
    },
    invoke(cb: unknown): bigint {
      return (cb as () => bigint)();
    },
  };
  const heapConfig = { variant: "auto" as const, hostEdges: job.design === "strong" ? ("strong" as const) : ("weak" as const) };
  let heap: Heap | undefined;
  let result: string;
  const t0 = performance.now();
  if (job.api === "typed") {
    if (job.target === "interp") throw new Error("the typed API runs compiled modules: handle-abi or wasmgc");
    const target = job.target === "wasmgc" ? { engine: "wasmgc" as const, module: compileWasmGcModule(job.binary!) } : { engine: "handle-abi" as const, module: compileHandleAbi(job.binary!, job.program) };
    const m = bind(job.program, target, { host, heap: heapConfig }) as unknown as { $heap: Heap | undefined; $new: { Obj(cb: unknown, n: bigint): { cb: unknown } } };
    heap = m.$heap;
    // In a function, so that nothing of the loop outlives it; Obj { cb: host, n: i64 } as in cycles.ir.
    result = (() => {
      let first: { cb: unknown } | undefined;
      for (let i = 0; i < job.n; i++) {
        const o = m.$new.Obj(null, BigInt(i));
        o.cb = host.callback(o); // m1: the callback captures the object's own wrapper
        first ??= o;
      }
      return first === undefined ? "0" : String(host.invoke(first.cb));
    })();
  } else if (job.target === "interp") {
    const r = runProgramDetailed(job.program, { args: [BigInt(job.n)], heap: heapConfig, host });
    heap = r.heap;
    result = shown(r.result);
  } else if (job.target === "wasmgc") {
    result = shown(WasmGcProgram.compile(job.binary!, job.program).run("", [BigInt(job.n)], host));
  } else {
    const r = HandleAbiProgram.compile(job.binary!, job.program).runDetailed("", [BigInt(job.n)], heapConfig, host);
    heap = r.heap;
    result = shown(r.result);
  }
  const runMs = Math.round(performance.now() - t0);
  // The JS collector (finalizers run, wrappers unpin), then the heap's, twice over. A tick
  // first each time: WeakRef targets of the current job are kept until it ends.
  const collectJs = async (): Promise<void> => {
    for (let k = 0; k < 3; k++) {
      await tick();
      gc();
    }
    await tick();
    await tick();
  };
  await collectJs();
  heap?.collect();
  await collectJs();
  heap?.collect();
  await collectJs();
  return { result, allocated, finalized, liveCallbacks: allocated - finalized, heapSlots: heap?.liveSlots(), runMs };
}
