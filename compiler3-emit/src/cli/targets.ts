// The WasmGC target for `vm3 emit` and `vm3 run --backend wasmgc`. The
// emitter is imported only when one of them needs it: it loads binaryen.js
// (about 0.4 s), which `vm3 validate`, `vm3 fmt` and interpreter runs should
// not pay for.
import type { Program } from "../ir/model.ts";
import type { WasmGcProgram } from "../wasmgc/run.ts";
import type { CliIo } from "./io.ts";

/**
 * Emits `program` (already validated) as a WasmGC module, or prints why the
 * target cannot compile it — an EmitError names the function, block and
 * value — and returns undefined. Any other exception is a compiler bug and
 * propagates with its stack.
 */
export async function emitForCli(io: CliIo, file: string, program: Program, optimize: boolean): Promise<Uint8Array | undefined> {
  const { emitWasmGc, EmitError } = await import("../wasmgc/emit.ts");
  try {
    return emitWasmGc(program, { optimize });
  } catch (e) {
    if (e instanceof EmitError) {
      io.err(`${file}: cannot compile to WasmGC: ${e.message}\n`);
      return undefined;
    }
    throw e;
  }
}

/** Compiles an emitted module once, for runs in this engine (fresh instance per run). */
export async function compileForCli(binary: Uint8Array, program: Program): Promise<WasmGcProgram> {
  const { WasmGcProgram } = await import("../wasmgc/run.ts");
  return WasmGcProgram.compile(binary, program);
}
