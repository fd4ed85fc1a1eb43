// Compiles a validated program in the page with binaryen.js (loaded by the
// page through its import map): the WasmGC module and the handle-ABI module,
// each with its size, its WAT and how long the emitter took.

import binaryen from "binaryen";
import type { Program } from "../../src/ir/model.ts";
import { emitHandleAbiModule } from "../../src/handleabi/emit.ts";
import { emitWasmGcModule } from "../../src/wasmgc/emit.ts";

export type Target = "wasmgc" | "handle-abi";
export const TARGETS: readonly Target[] = ["wasmgc", "handle-abi"];

export type Compiled =
  | { readonly ok: true; readonly target: Target; readonly binary: Uint8Array; readonly wat: string; readonly emitMs: number }
  | { readonly ok: false; readonly target: Target; readonly error: string };

/** Emits `program` for `target` (with binaryen's optimiser when `optimize`); a refusal is an error, not a throw. */
export function compile(program: Program, target: Target, optimize: boolean): Compiled {
  const t0 = performance.now();
  let module: binaryen.Module | undefined;
  try {
    module = target === "wasmgc" ? emitWasmGcModule(program, { optimize }) : emitHandleAbiModule(program, { optimize });
    const binary = module.emitBinary();
    const emitMs = performance.now() - t0;
    return { ok: true, target, binary, wat: module.emitText(), emitMs };
  } catch (e) {
    return { ok: false, target, error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
  } finally {
    module?.dispose();
  }
}
