// The `vm3` import object of a handle-ABI module (handle-abi.md §10.2): every
// import of the table, each calling the Heap operation of the same name,
// which makes every check of operations.md §3 in the spec's order before it
// changes anything. A failing operation throws its Trap, which unwinds the
// guest's Wasm frames (§10.4).
//
// Arguments arrive as the engine converts them (args.ts): Cells and `n`
// integers as signed BigInts, `i` integers as signed numbers read unsigned.
// Results go back the same way: a Cell as its unsigned BigInt (the engine
// wraps it to the i64 of the same bits), an `n` as a BigInt, an `i` as a
// number.

import { type Cell, CELL_FALSE, CELL_TRUE } from "../cell.ts";
import type { Heap } from "../heap.ts";
import { fma } from "../interp/f64.ts";
import { Trap, TrapCode } from "../trap.ts";
import { cellArg, intArg, u32Arg } from "./args.ts";
import { type MemoryRef, readGuestBytes } from "./guest-memory.ts";
import { guestTrap } from "./guest-trap.ts";
import type { LivePeak } from "./live-peak.ts";
import type { ImportName } from "./signatures.ts";

/** The largest arena number `check` accepts (cell.md §1.1: 0..13; 14 and 15 are undefined). */
const MAX_CHECK_ARENA = 13;
/** `frame_enter`'s mark is an i32 result. */
const MAX_I32 = 2 ** 31 - 1;

export interface Vm3ImportOptions {
  /** Sampled after every import that allocates (live-peak.ts). */
  peak?: LivePeak;
}

export type Vm3ImportFunctions = Record<ImportName, (...args: never[]) => unknown>;

/** `{ vm3: { list_new, …, fma_slow } }` answering from `heap`; `str_new` reads `memoryRef.memory`. */
export function vm3Imports(heap: Heap, memoryRef: MemoryRef, options: Vm3ImportOptions = {}): { vm3: Vm3ImportFunctions } {
  const peak = options.peak;
  const bool = (b: boolean): Cell => (b ? CELL_TRUE : CELL_FALSE);
  const allocated = <T>(v: T): T => {
    peak?.sample();
    return v;
  };
  const vm3 = {
    list_new: (n: bigint): Cell => allocated(heap.listNew(intArg(n))),
    list_len: (c: bigint): bigint => BigInt(heap.listLen(cellArg(c))),
    list_get: (c: bigint, n: bigint): Cell => heap.listGet(cellArg(c), intArg(n)),
    list_set: (c: bigint, n: bigint, v: bigint): void => heap.listSet(cellArg(c), intArg(n), cellArg(v)),
    list_push: (c: bigint, v: bigint): void => heap.listPush(cellArg(c), cellArg(v)),

    struct_new: (fields: bigint, shape: bigint): Cell => allocated(heap.structNew(intArg(fields), intArg(shape))),
    struct_len: (c: bigint): bigint => BigInt(heap.structLen(cellArg(c))),
    struct_get: (c: bigint, n: bigint): Cell => heap.structGet(cellArg(c), intArg(n)),
    struct_set: (c: bigint, n: bigint, v: bigint): void => heap.structSet(cellArg(c), intArg(n), cellArg(v)),
    struct_shape: (c: bigint): bigint => BigInt(heap.structShape(cellArg(c))),

    str_new: (ptr: number, len: number): Cell => allocated(heap.strNew(readGuestBytes(memoryRef, u32Arg(ptr), u32Arg(len)))),
    str_len: (c: bigint): bigint => BigInt(heap.strLen(cellArg(c))),
    str_concat: (a: bigint, b: bigint): Cell => allocated(heap.strConcat(cellArg(a), cellArg(b))),
    str_eq: (a: bigint, b: bigint): Cell => bool(heap.strEq(cellArg(a), cellArg(b))),

    map_new: (): Cell => allocated(heap.mapNew()),
    map_set: (m: bigint, k: bigint, v: bigint): void => heap.mapSet(cellArg(m), cellArg(k), cellArg(v)),
    map_get: (m: bigint, k: bigint): Cell => heap.mapGet(cellArg(m), cellArg(k)),
    map_has: (m: bigint, k: bigint): Cell => bool(heap.mapHas(cellArg(m), cellArg(k))),
    map_len: (m: bigint): bigint => BigInt(heap.mapLen(cellArg(m))),

    f64arr_new: (n: bigint): Cell => allocated(heap.f64arrNew(intArg(n))),
    f64arr_len: (c: bigint): bigint => BigInt(heap.f64arrLen(cellArg(c))),
    f64arr_get: (c: bigint, n: bigint): Cell => heap.f64arrGet(cellArg(c), intArg(n)),
    f64arr_set: (c: bigint, n: bigint, v: bigint): void => heap.f64arrSet(cellArg(c), intArg(n), cellArg(v)),
    f64arr_push: (c: bigint, v: bigint): void => heap.f64arrPush(cellArg(c), cellArg(v)),
    i64arr_new: (n: bigint): Cell => allocated(heap.i64arrNew(intArg(n))),
    i64arr_len: (c: bigint): bigint => BigInt(heap.i64arrLen(cellArg(c))),
    i64arr_get: (c: bigint, n: bigint): Cell => heap.i64arrGet(cellArg(c), intArg(n)),
    i64arr_set: (c: bigint, n: bigint, v: bigint): void => heap.i64arrSet(cellArg(c), intArg(n), cellArg(v)),
    i64arr_push: (c: bigint, v: bigint): void => heap.i64arrPush(cellArg(c), cellArg(v)),

    // ir.md op 87: handle(s, String), then host_new of the string's text.
    host_new_str: (s: bigint): Cell => allocated(heap.hostNew(heap.strText(cellArg(s)))),
    // ir.md op 88: host_get(h); a value that is not a string is WRONG_TYPE; then str_new of its UTF-8 bytes.
    host_get_str: (h: bigint): Cell => {
      const v = heap.hostGet(cellArg(h));
      if (typeof v !== "string") throw new Trap(TrapCode.WRONG_TYPE, "host_get_str", `the host value is a ${typeof v}, not a string`);
      return allocated(heap.strNew(v));
    },

    // The arena selects the check, so it is validated first (handle-abi.md §10.2).
    check: (c: bigint, arena: number): void => {
      const a = u32Arg(arena);
      if (a > MAX_CHECK_ARENA) throw new Trap(TrapCode.BAD_ARGUMENT, "check", `arena ${a} outside 0..${MAX_CHECK_ARENA}`);
      heap.checkHandle(cellArg(c), a);
    },
    free: (c: bigint): void => heap.free(cellArg(c)),
    collect: (): bigint => BigInt(heap.collect()),
    scope_enter: (): bigint => BigInt(heap.scopeEnter()),
    scope_root: (c: bigint): void => heap.scopeRoot(cellArg(c)),
    scope_exit: (n: bigint): void => heap.scopeExit(intArg(n)),
    pin: (c: bigint): void => heap.pin(cellArg(c)),
    unpin: (c: bigint): void => heap.unpin(cellArg(c)),

    // Frames (collection.md §4.6): i32 slots, marks and slot numbers, read unsigned.
    frame_enter: (slots: number): number => {
      const mark = heap.frameEnter(u32Arg(slots));
      if (mark > MAX_I32) {
        // Only 2^31 frames of zero slots get here; the i32 result cannot carry the mark.
        heap.frameExit(mark);
        throw new Trap(TrapCode.OUT_OF_MEMORY, "frame_enter", `frame mark ${mark} does not fit an i32`);
      }
      return mark;
    },
    frame_root: (mark: number, slot: number, c: bigint): void => heap.frameRoot(u32Arg(mark), u32Arg(slot), cellArg(c)),
    frame_exit: (mark: number): void => heap.frameExit(u32Arg(mark)),

    trap: (code: number): never => guestTrap(code),
    // a·b + c rounded once (ir.md op 79), for operands outside the module's exact emulation.
    fma_slow: (a: number, b: number, c: number): number => fma(a, b, c),
  } satisfies Vm3ImportFunctions;
  return { vm3 };
}
