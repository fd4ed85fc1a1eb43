// What the arena modules (string-arena.ts, map-arena.ts, typed-array-arena.ts)
// need from the heap: its checks, allocation and byte accounting. The Heap
// hands them this object of closures over its private state.
import type { ArenaStore } from "./arena-store.ts";
import type { Cell } from "./cell.ts";

export interface HeapCore {
  /** `handle(c, A)` (operations.md §3.1) with A the store's arena → the slot. */
  slot(c: Cell, store: ArenaStore<unknown>, op: string): number;
  /**
   * `allocate(A, bytes, roots)` (operations.md §3.2) up to taking the slot:
   * the AUTO safepoint and the limits, collecting with `roots` as extra roots.
   * Traps OUT_OF_MEMORY; the caller then calls `commit`.
   */
  reserve(store: ArenaStore<unknown>, bytes: number, op: string, roots: readonly Cell[]): void;
  /** `allocate` step 3: takes the slot with `payload` of `length` units and accounts it → its handle. */
  commit<P>(store: ArenaStore<P>, payload: P, length: number): Cell;
  /**
   * The byte check of a growing operation (`list_push`, `map_set` of a new
   * key): traps OUT_OF_MEMORY if `bytes` more would exceed max_heap_bytes,
   * after AUTO has collected once with `roots`; otherwise accounts them.
   */
  grow(bytes: number, op: string, roots: readonly Cell[]): void;
}
