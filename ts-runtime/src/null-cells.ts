// Fresh payloads of nulls for list_new and struct_new (operations.md §3.2).
import { type Cell, CELL_NULL } from "./cell.ts";
import { Trap, TrapCode } from "./trap.ts";

const N = CELL_NULL;

/**
 * Up to this length a list's nulls are written out. A longer list starts
 * as an empty array whose missing tail reads as null (its length lives in
 * ArenaStore.lengths), so that `list_new(2^31-1)` under an unlimited byte
 * budget costs what the guest later writes, not 16 GiB at once, and the
 * collector scans only what was written.
 */
export const EAGER_NULLS = 1 << 16;

/**
 * `n` nulls. Small counts come from array literals: V8 pretenures a
 * literal's allocation site once its arrays survive, as a heap's payloads
 * do. Measured for 1M four-field payloads kept alive on Node 24: literal
 * 19 ns, `new Array(4).fill(…)` 175 ns, four pushes 148 ns.
 */
export function nullCells(n: number): Cell[] {
  switch (n) {
    case 0: return [];
    case 1: return [N];
    case 2: return [N, N];
    case 3: return [N, N, N];
    case 4: return [N, N, N, N];
    case 5: return [N, N, N, N, N];
    case 6: return [N, N, N, N, N, N];
    case 7: return [N, N, N, N, N, N, N];
    case 8: return [N, N, N, N, N, N, N, N];
  }
  return n <= EAGER_NULLS ? new Array<Cell>(n).fill(N) : [];
}

/** `n` copies of `zero` (+0.0 for F64Arr, integer 0 for I64Arr), lazily past EAGER_NULLS as for lists. */
export function zeroCells(n: number, zero: Cell): Cell[] {
  return n <= EAGER_NULLS ? new Array<Cell>(n).fill(zero) : [];
}

/**
 * MAX_STORED (operations.md §3.1): the most elements a List, F64Arr or I64Arr
 * stores. It is V8's longest array (measured on Node 24: the 2^27+1-th
 * `push` throws `RangeError: Invalid array length`), which the spec makes
 * every host's bound. A sequence may be longer (MAX_LENGTH is 2^31 - 1)
 * while its tail is lazy, but no element at or past it is ever written.
 */
export const MAX_STORED = 2 ** 27;

/**
 * OUT_OF_MEMORY when a write at `index` (a set, or a push at the current
 * length) is at or past MAX_STORED; checked before anything changes, so the
 * heap is as it was (arenas.md §2.6: reaching a limit is a trap, never a
 * crash). Go: vm3.storable.
 */
export function checkStorable(index: number, op: string): void {
  if (index >= MAX_STORED) {
    throw new Trap(TrapCode.OUT_OF_MEMORY, op, `element ${index} cannot be stored: a sequence stores at most MAX_STORED ${MAX_STORED} elements (operations.md §3.1)`);
  }
}

/**
 * Writes `zero` into `cells` up to (not including) `index`: a lazy tail
 * becomes real before a write at `index` (a set at or past the written
 * prefix, or a push onto a lazy sequence), after checkStorable; `op` names
 * the operation.
 */
export function materializeTo(cells: Cell[], index: number, zero: Cell, op: string): void {
  checkStorable(index, op);
  while (cells.length < index) cells.push(zero);
}
