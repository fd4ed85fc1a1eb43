// The compile targets for `vm3 emit` and `vm3 run`: WasmGC (wasmgc.md §9)
// and the handle ABI (handle-abi.md §10). An emitter is loaded only when a
// command needs it, in the compile thread: it loads binaryen.js (about
// 0.4 s), which `vm3 validate`, `vm3 fmt` and interpreter runs should not
// pay for.
import type { Program } from "../ir/model.ts";
import type { CliIo } from "./io.ts";

export const TARGETS = ["wasmgc", "handle-abi"] as const;
export type Target = (typeof TARGETS)[number];

/**
 * Emits `program` (already validated) for `target` — a program with a large
 * function in a compile thread with a large stack (wasm/compile-thread.ts:
 * binaryen recurses on the program's structure) — or prints why it cannot and returns undefined: one line, the
 * target's emit error (which names the function, block and value) or an
 * internal error (a compiler bug or an engine failure), never a stack.
 */
export async function emitForCli(io: CliIo, file: string, program: Program, optimize: boolean, target: Target = "wasmgc", exportAll = false): Promise<Uint8Array | undefined> {
  const { compileProgram } = await import("../wasm/compile-thread.ts");
  const outcome = await compileProgram(program, target, optimize, exportAll);
  if (outcome.kind === "ok") return outcome.binary;
  const what = target === "handle-abi" ? "the handle ABI" : "WasmGC";
  io.err(outcome.kind === "emit-error" ? `${file}: cannot compile to ${what}: ${outcome.message}\n` : `${file}: compiling to ${what} failed: internal error: ${outcome.message}\n`);
  return undefined;
}
