// The guest's exported `memory`, from which `str_new` reads (handle-abi.md §10.1).

import { Trap, TrapCode } from "../trap.ts";
import type { WasmMemory } from "./wasm-api.ts";

/**
 * Where the imports find the guest's memory. The module exports it, so it
 * exists only once the instance does: the embedder sets `memory` right after
 * instantiating (before `vm3_init`). Its `buffer` is read afresh on every
 * call, because `memory.grow` replaces it.
 */
export interface MemoryRef {
  memory: WasmMemory | undefined;
}

/**
 * A view of the `len` bytes at `ptr` (both unsigned 32-bit): a range that
 * is not inside the memory (or no memory at all) is BAD_ARGUMENT. The view
 * is valid until the guest runs again (`Heap.strNew` copies it at once).
 */
export function readGuestBytes(ref: MemoryRef, ptr: number, len: number): Uint8Array {
  const buffer = ref.memory?.buffer;
  const size = buffer?.byteLength ?? 0;
  if (buffer === undefined || ptr + len > size) {
    throw new Trap(TrapCode.BAD_ARGUMENT, "str_new", `bytes [${ptr}, ${ptr + len}) are outside the guest memory of ${size} bytes`);
  }
  return new Uint8Array(buffer, ptr, len);
}
