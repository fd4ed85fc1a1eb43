// Programs compiled to WebAssembly GC (compiler3-emit/src/wasmgc) and run in
// this Node's V8, in-process, as a program backend (conformance.md §6.5).
//
// Each distinct Program is emitted and compiled to a WebAssembly.Module once
// (ProgramCache hands out one Program object per file, so the cache is keyed
// by identity); each vector then runs on a fresh instance, which is the fresh
// heap §6.5 asks for. The engine owns memory, so this backend cannot account
// bytes: vectors expecting OUT_OF_MEMORY are skipped (ir.md §8.10), and a
// request whose HeapConfig sets a byte or slot limit is answered with an
// error rather than run with a limit it would silently ignore.
import type { Program } from "../../compiler3-emit/src/ir/model.ts";
import { compileProgram } from "../../compiler3-emit/src/wasm/compile-thread.ts";
import type { TesteeRequest, TesteeResponse } from "../protocol/messages.ts";
import type { ProgramVector } from "../protocol/program-messages.ts";
import type { Backend, VectorKind } from "./backend.ts";
import { WorkerRuns } from "./worker-backend.ts";

export interface WasmGcBackendOptions {
  /** Run binaryen's optimiser on the emitted module (default true: what a deployment runs). */
  optimize?: boolean;
  /** The time limit of a vector without timeout_ms (default the runner's, 300 s). */
  timeoutMs?: number;
}

export const OUT_OF_MEMORY_SKIP = "expects OUT_OF_MEMORY: WasmGC memory belongs to the engine, which accounts no bytes (ir.md §8.10)";

/** Why a WasmGC backend refuses `run`'s heap limits (the engine owns WasmGC memory, ir.md §8.10), or undefined. */
export function wasmGcLimitsRefused(backend: string, heap: { maxHeapBytes?: bigint; maxSlotsPerArena?: bigint } | undefined): string | undefined {
  const limits = [heap?.maxHeapBytes ? "maxHeapBytes" : "", heap?.maxSlotsPerArena ? "maxSlotsPerArena" : ""].filter((x) => x !== "");
  return limits.length > 0 ? `${backend} cannot enforce ${limits.join(" or ")}: the engine owns WasmGC memory (ir.md §8.10)` : undefined;
}

/**
 * Why a WasmGC backend leaves a program vector out (ir.md §8.10: the engine
 * owns the memory and accounts nothing): it expects OUT_OF_MEMORY, or it sets
 * heap limits (conformance.md §6.5) that only an accounting heap enforces.
 */
export function wasmGcSkip(backend: string, vector: ProgramVector): string | undefined {
  if (vector.expect?.trap === "OUT_OF_MEMORY") return OUT_OF_MEMORY_SKIP;
  return wasmGcLimitsRefused(backend, vector.heap);
}

/** Each program's WasmGC module, -O0 and -O, or why it could not be emitted (kept so every vector of the program fails alike, and it is emitted once per run). */
const emitted = [new WeakMap<Program, Promise<Uint8Array | Error>>(), new WeakMap<Program, Promise<Uint8Array | Error>>()] as const;

/**
 * The program's WasmGC module, emitted once per Program and level
 * (ProgramCache hands out one Program object per file); rejects with why it
 * cannot be. A program with a large function compiles in a thread with a
 * large stack (compile-thread.ts), as under `vm3 emit`.
 */
export async function wasmGcModuleOf(program: Program, optimize: boolean): Promise<Uint8Array> {
  const cache = emitted[optimize ? 1 : 0];
  let m = cache.get(program);
  if (m === undefined) {
    // An emit error (a program the emitter cannot compile) fails every vector of it, with the reason.
    m = compileProgram(program, "wasmgc", optimize).then((o) => (o.kind === "ok" ? o.binary : new Error(`cannot compile the program to WasmGC${optimize ? " (optimized)" : ""}: ${o.message}`)));
    cache.set(program, m);
  }
  const binary = await m;
  if (binary instanceof Error) throw binary;
  return binary;
}

export class WasmGcNodeBackend implements Backend {
  readonly name = "wasmgc-node";
  readonly kinds: ReadonlySet<VectorKind> = new Set(["program"]);
  readonly #runs: WorkerRuns;

  constructor(options: WasmGcBackendOptions = {}) {
    const optimize = options.optimize ?? true;
    this.#runs = new WorkerRuns("wasmgc", (p) => wasmGcModuleOf(p, optimize), options.timeoutMs);
  }

  skipProgram(vector: ProgramVector): string | undefined {
    return wasmGcSkip(this.name, vector);
  }

  async serve(request: TesteeRequest): Promise<TesteeResponse> {
    const refused = wasmGcLimitsRefused(this.name, request.program?.heap);
    if (refused !== undefined) return { program: { error: refused } };
    return this.#runs.serve(request, this.name);
  }

  close(): Promise<void> {
    return this.#runs.close();
  }
}
