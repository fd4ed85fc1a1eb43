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
import { emitWasmGc } from "../../compiler3-emit/src/wasmgc/emit.ts";
import { WasmGcProgram } from "../../compiler3-emit/src/wasmgc/run.ts";
import { RunUsageError } from "../../ts-runtime/src/interp/run.ts";
import type { TesteeRequest, TesteeResponse } from "../protocol/messages.ts";
import type { ProgramVector } from "../protocol/program-messages.ts";
import type { Backend, VectorKind } from "./backend.ts";
import { programOutcome } from "./program-outcome.ts";

export interface WasmGcBackendOptions {
  /** Run binaryen's optimiser on the emitted module (default true: what a deployment runs). */
  optimize?: boolean;
}

export const OUT_OF_MEMORY_SKIP = "expects OUT_OF_MEMORY: WasmGC memory belongs to the engine, which accounts no bytes (ir.md §8.10)";

export class WasmGcNodeBackend implements Backend {
  readonly name = "wasmgc-node";
  readonly kinds: ReadonlySet<VectorKind> = new Set(["program"]);
  readonly #optimize: boolean;
  /** A compiled program, or why it could not be compiled (kept so every vector of it fails alike, and it is emitted once). */
  readonly #compiled = new WeakMap<Program, WasmGcProgram | Error>();

  constructor(options: WasmGcBackendOptions = {}) {
    this.#optimize = options.optimize ?? true;
  }

  skipProgram(vector: ProgramVector): string | undefined {
    return vector.expect?.trap === "OUT_OF_MEMORY" ? OUT_OF_MEMORY_SKIP : undefined;
  }

  async serve(request: TesteeRequest): Promise<TesteeResponse> {
    const run = request.program;
    if (run === undefined) return { protocolError: "wasmgc-node answers only program requests" };
    const limits = [
      run.heap?.maxHeapBytes ? "maxHeapBytes" : "",
      run.heap?.maxSlotsPerArena ? "maxSlotsPerArena" : "",
    ].filter((x) => x !== "");
    if (limits.length > 0) {
      return { program: { error: `wasmgc-node cannot enforce ${limits.join(" or ")}: the engine owns WasmGC memory (ir.md §8.10)` } };
    }
    const compiled = this.#compile(run.program);
    const entry = run.entry || run.program.entry;
    try {
      return { program: programOutcome(compiled.run(entry, run.args ?? [])) };
    } catch (e) {
      // ir.md §8.9: a wrong argument count or an unknown entry is a usage error.
      if (e instanceof RunUsageError) return { program: { error: e.message } };
      throw new Error(`running the WasmGC module threw ${describeError(e)}`);
    }
  }

  #compile(program: Program): WasmGcProgram {
    let compiled = this.#compiled.get(program);
    if (compiled === undefined) {
      try {
        compiled = WasmGcProgram.compile(emitWasmGc(program, { optimize: this.#optimize }), program);
      } catch (e) {
        // An EmitError (a program the emitter cannot compile) or an engine
        // that rejects the module: this backend fails every vector of the
        // program, with the reason.
        compiled = new Error(`cannot compile the program to WasmGC${this.#optimize ? " (optimized)" : ""}: ${describeError(e)}`);
      }
      this.#compiled.set(program, compiled);
    }
    if (compiled instanceof Error) throw compiled;
    return compiled;
  }

  async close(): Promise<void> {}
}

function describeError(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  return `${e.name}: ${e.message}`;
}
