// One instantiation of a handle-ABI module on its own fresh Heap, with
// `vm3_init` run (handle-abi.md §10.1, §10.5).

import { Heap, type HeapConfig } from "../heap.ts";
import type { RunResult } from "../interp/run.ts";
import { compileHandleAbi } from "./contract.ts";
import type { MemoryRef } from "./guest-memory.ts";
import { vm3Imports } from "./imports.ts";
import { LivePeak } from "./live-peak.ts";
import { HandleAbiError, resultValue, trapResult } from "./result.ts";
import { wasm, type WasmMemory, type WasmModule } from "./wasm-api.ts";

type Fn = (...args: unknown[]) => unknown;

/** ir.md §8.3: programs run on an AUTO heap with the default limits unless told otherwise. */
export const DEFAULT_HEAP_CONFIG: HeapConfig = { variant: "auto" };

export class HandleAbiInstance {
  /** The instance's heap, as the last call (or the trapping operation) left it; after a trap the guest's frames may still be open (§10.4). */
  readonly heap: Heap;
  /** The module's exports. */
  readonly exports: Record<string, unknown>;
  readonly #peak: LivePeak;

  /** Use instantiateHandleAbi. */
  constructor(heap: Heap, exports: Record<string, unknown>, peak: LivePeak) {
    this.heap = heap;
    this.exports = exports;
    this.#peak = peak;
  }

  /** The most slots alive at once since the heap was made (vm3_init included), sampled after every allocating import (live-peak.ts). */
  get peakLiveSlots(): number {
    return this.#peak.peak;
  }

  /** Calls `vm3_init` (once, before any entry: §10.1); a trap in it is thrown as its Trap. */
  init(): void {
    this.call("vm3_init", []);
  }

  /** Calls export `name` with `args`; a failing import throws its Trap (§10.4). */
  call(name: string, args: readonly unknown[]): unknown {
    const f = this.exports[name];
    if (typeof f !== "function") throw new HandleAbiError(`the module exports no function ${name}`);
    return (f as Fn)(...args);
  }

  /**
   * Calls entry `name` (one i64 per parameter) and reads its result as the
   * IR type `resultType` (a `Type` of compiler3-emit/src/ir/model.ts; the
   * Wasm signature cannot tell a str from an i64). A Trap, or the engine's
   * stack exhaustion, is a trap RunResult; other engine traps are thrown.
   */
  run(name: string, args: readonly bigint[], resultType: number): RunResult {
    let raw: unknown;
    try {
      raw = this.call(name, args);
      return { kind: "ok", value: resultValue(resultType, raw, this.heap, name) };
    } catch (e) {
      if (e instanceof HandleAbiError) throw e;
      return trapResult(e, "");
    }
  }
}

/**
 * Instantiates `module` (a binary is compiled and checked against the
 * contract first) with the `vm3` imports of a fresh Heap made from
 * `heapConfig` (default AUTO), points `str_new` at its exported memory and
 * calls `vm3_init`. A trap in `vm3_init` is thrown as its Trap.
 */
export function instantiateHandleAbi(module: Uint8Array | WasmModule, heapConfig: HeapConfig = DEFAULT_HEAP_CONFIG): HandleAbiInstance {
  const instance = newHandleAbiInstance(module instanceof Uint8Array ? compileHandleAbi(module) : module, heapConfig);
  instance.init();
  return instance;
}

/** instantiateHandleAbi without `vm3_init`, for callers that must see the heap when it traps. A trap in the module's start function is thrown as its Trap. */
export function newHandleAbiInstance(module: WasmModule, heapConfig: HeapConfig = DEFAULT_HEAP_CONFIG): HandleAbiInstance {
  const heap = new Heap(heapConfig);
  return instantiateOn(module, heap, new LivePeak(heap));
}

/**
 * Instantiates `module` on `heap` (whose peak `peak` samples). The module's
 * start function, if it has one, runs here, inside the engine's
 * instantiation, and a trap in it is thrown as its Trap like any import's
 * (the caller keeps `heap` to report it). It runs before the host can know
 * the exported `memory`, so a `str_new` from it is BAD_ARGUMENT (handle-abi.md
 * §10.1); emitted modules have no start function (vm3_init is the initialiser).
 */
export function instantiateOn(module: WasmModule, heap: Heap, peak: LivePeak): HandleAbiInstance {
  const memoryRef: MemoryRef = { memory: undefined };
  const { exports } = new wasm.Instance(module, vm3Imports(heap, memoryRef, { peak }));
  memoryRef.memory = exports.memory as WasmMemory | undefined;
  return new HandleAbiInstance(heap, exports, peak);
}
