// The compile targets for `vm3 emit` and `vm3 run`: WasmGC (wasmgc.md §9)
// and the handle ABI (handle-abi.md §10). An emitter is imported only when a
// command needs it: it loads binaryen.js (about 0.4 s), which `vm3
// validate`, `vm3 fmt` and interpreter runs should not pay for.
import type { Program } from "../ir/model.ts";
import type { CliIo } from "./io.ts";

export const TARGETS = ["wasmgc", "handle-abi"] as const;
export type Target = (typeof TARGETS)[number];

/**
 * Emits `program` (already validated) for `target`, or prints why the target
 * cannot compile it — the emit error names the function, block and value —
 * and returns undefined. Any other exception is a compiler bug and
 * propagates with its stack.
 */
export async function emitForCli(io: CliIo, file: string, program: Program, optimize: boolean, target: Target = "wasmgc"): Promise<Uint8Array | undefined> {
  if (target === "handle-abi") {
    const { emitHandleAbi, HandleAbiEmitError } = await import("../handleabi/emit.ts");
    try {
      return emitHandleAbi(program, { optimize });
    } catch (e) {
      if (e instanceof HandleAbiEmitError) {
        io.err(`${file}: cannot compile to the handle ABI: ${e.message}\n`);
        return undefined;
      }
      throw e;
    }
  }
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
