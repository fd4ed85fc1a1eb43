// The frame stack (collection.md §4.6): the roots of a guest's activations.
// Each open frame is a fixed number of overwritable slots, one Cell each, so
// a loop that roots a new Cell per iteration keeps one root, not one per
// iteration (a scope, roots.ts, only grows until it is exited).
//
// Storage: every open frame's slots one after another in one BigUint64Array
// (the innermost frame's last), grown by doubling, and each open frame's
// first index in `bases`. frame_enter is a fill, frame_exit a truncation:
// no allocation per call once the arrays have grown, which matters because a
// handle-ABI module enters a frame per call of a function that roots.
import { type Cell, CELL_NULL } from "./cell.ts";

/** collection.md §4.6: the most slots of one frame. */
export const MAX_FRAME_SLOTS = 2 ** 16;
/** collection.md §4.6: the most slots of all open frames together. */
export const MAX_FRAME_TOTAL = 2 ** 24;
/** collection.md §4.6: the most open frames (frames of 0 slots hold no slots but still cost memory). */
export const MAX_FRAMES = 2 ** 20;

export class FrameStack {
  /** Slots of all open frames; entries at and beyond `top` are unused. */
  #cells = new BigUint64Array(64);
  /** Number of slots in use: the sum of the open frames' sizes. */
  #top = 0;
  /** Each open frame's first slot in `#cells`, outermost first. */
  readonly #bases: number[] = [];

  /** The number of open frames; the innermost frame's mark. */
  get depth(): number {
    return this.#bases.length;
  }

  /** The slots of all open frames (`stats().frame_roots`). */
  get size(): number {
    return this.#top;
  }

  /** Opens a frame of `slots` null slots; the caller checked the bounds. → its mark. */
  enter(slots: number): number {
    const top = this.#top;
    const end = top + slots;
    if (end > this.#cells.length) {
      let n = this.#cells.length * 2;
      while (n < end) n *= 2;
      const grown = new BigUint64Array(n);
      grown.set(this.#cells.subarray(0, top));
      this.#cells = grown;
    }
    this.#cells.fill(CELL_NULL, top, end);
    this.#top = end;
    this.#bases.push(top);
    return this.#bases.length;
  }

  /** The number of slots of the frame with this mark, or -1 when it names no open frame. */
  slotsOf(mark: number): number {
    const bases = this.#bases;
    if (!(mark >= 1 && mark <= bases.length && (mark | 0) === mark)) return -1;
    return (mark === bases.length ? this.#top : bases[mark]!) - bases[mark - 1]!;
  }

  /** slot := c in frame `mark`; the caller checked mark, slot and c. */
  set(mark: number, slot: number, c: Cell): void {
    this.#cells[this.#bases[mark - 1]! + slot] = c;
  }

  /** Closes the innermost frame; the caller checked its mark. */
  exit(): void {
    this.#top = this.#bases.pop()!;
  }

  /** Calls `visit` with every slot of every open frame (the collector's roots). */
  forEach(visit: (c: Cell) => void): void {
    const cells = this.#cells;
    for (let i = 0; i < this.#top; i++) visit(cells[i]!);
  }

  /** The open frames' first slots, outermost first (for invariants). */
  get bases(): readonly number[] {
    return this.#bases;
  }
}
