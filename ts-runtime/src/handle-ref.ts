// Handles held by JavaScript code outside the heap (embedding.md §7).
import type { Cell } from "./cell.ts";
import type { Heap } from "./heap.ts";
import { Trap, TrapCode } from "./trap.ts";

/**
 * One FinalizationRegistry per heap. Its held value is the Cell alone and
 * its callback closes over the heap: so the registry holds heap + Cell and
 * never the wrapper, which it could not otherwise see die. Keyed weakly, so a
 * dropped heap takes its registry (and any pending callbacks) with it.
 */
const registries = new WeakMap<Heap, FinalizationRegistry<Cell>>();

function registryOf(heap: Heap): FinalizationRegistry<Cell> {
  let registry = registries.get(heap);
  if (registry === undefined) {
    registry = new FinalizationRegistry<Cell>((cell) => releasePin(heap, cell));
    registries.set(heap, registry);
  }
  return registry;
}

/**
 * Unpins once. A slot freed meanwhile took its pins with it (operations.md
 * §3.2 notes), so STALE_HANDLE and NOT_PINNED mean there is nothing left to
 * release: a no-op, as embedding.md §7 requires.
 */
function releasePin(heap: Heap, cell: Cell): void {
  try {
    heap.unwrap(cell);
  } catch (e) {
    if (e instanceof Trap && (e.code === TrapCode.STALE_HANDLE || e.code === TrapCode.NOT_PINNED)) return;
    throw e;
  }
}

/**
 * A pinned handle for host code: making one pins the Cell (so the slot is a
 * root and stays alive); releasing it — `release()`, `[Symbol.dispose]()`
 * at the end of a `using` block, or the FinalizationRegistry after the
 * wrapper is garbage — unpins it exactly once.
 */
export class HandleRef implements Disposable {
  readonly heap: Heap;
  readonly cell: Cell;
  #released = false;
  /**
   * The slot's Anchor (collection.md §4.7): while the heap holds the host
   * values of this wrapper's region weakly, this is what holds them. Kept
   * for its reference alone.
   */
  readonly #anchor: unknown;

  /** Pins `cell`; traps as `pin` does (a stale or non-handle Cell, a pin count at its maximum). */
  constructor(heap: Heap, cell: Cell) {
    this.#anchor = heap.wrap(cell);
    this.heap = heap;
    this.cell = cell;
    registryOf(heap).register(this, cell, this);
  }

  /** Whether this wrapper holds its region's host values (collection.md §4.7); for tests. */
  get holdsRegion(): boolean {
    return (this.#anchor as { holder: unknown[] | null } | undefined)?.holder != null;
  }

  /** Whether this wrapper has been released. */
  get released(): boolean {
    return this.#released;
  }

  /** Unpins the Cell; a second call, or a call after the slot was freed, does nothing. */
  release(): void {
    if (this.#released) return;
    this.#released = true;
    registryOf(this.heap).unregister(this);
    releasePin(this.heap, this.cell);
  }

  [Symbol.dispose](): void {
    this.release();
  }
}
