// The F64Arr and I64Arr arenas (arenas.md §2.1): growable sequences of float
// Cells / integer Cells, accounted 16 + 8 per element (arenas.md §2.6), with
// the List operations' checks plus an element-kind check on every store
// (operations.md §3.2). They hold no handles; the collector never scans them.
import { Arena } from "./arena.ts";
import { ArenaStore, type Cells } from "./arena-store.ts";
import type { Cell } from "./cell.ts";
import { checkFloat, checkInt, outOfBounds } from "./checks.ts";
import type { HeapCore } from "./heap-core.ts";
import { checkStorable, materializeTo, zeroCells } from "./null-cells.ts";
import { Trap, TrapCode } from "./trap.ts";

const MAX_LENGTH = 2 ** 31 - 1;

/** One typed-array arena; `prefix` names its operations (`f64arr`, `i64arr`). */
export class TypedArrayArena {
  readonly store: ArenaStore<Cells>;
  readonly #core: HeapCore;
  /** The element a new array is filled with: +0.0 or the integer 0. */
  readonly #zero: Cell;
  readonly #check: (op: string, c: Cell) => void;
  readonly #ops: { new: string; len: string; get: string; set: string; push: string };

  constructor(core: HeapCore, kind: "f64" | "i64") {
    this.#core = core;
    const f64 = kind === "f64";
    this.store = new ArenaStore<Cells>(f64 ? Arena.F64_ARR : Arena.I64_ARR, kind);
    this.#zero = f64 ? 0n : 0xffff_c000_0000_0000n;
    this.#check = f64 ? checkFloat : checkInt;
    const p = `${kind}arr_`;
    this.#ops = { new: `${p}new`, len: `${p}len`, get: `${p}get`, set: `${p}set`, push: `${p}push` };
  }

  /** `*arr_new(length)`: `length` zero elements. */
  create(length: number): Cell {
    if (!(Number.isInteger(length) && length >= 0 && length <= MAX_LENGTH)) {
      throw new Trap(TrapCode.BAD_ARGUMENT, this.#ops.new, `length ${length} outside [0, ${MAX_LENGTH}]`);
    }
    this.#core.reserve(this.store, 16 + 8 * length, this.#ops.new, []);
    return this.#core.commit(this.store, zeroCells(length, this.#zero), length);
  }

  len(a: Cell): number {
    return this.store.lengths[this.#core.slot(a, this.store, this.#ops.len)]!;
  }

  get(a: Cell, index: number): Cell {
    const slot = this.#core.slot(a, this.store, this.#ops.get);
    const length = this.store.lengths[slot]!;
    if (!(index >= 0 && index < length && (index | 0) === index)) throw outOfBounds(this.#ops.get, index, length);
    return this.store.payload[slot]![index] ?? this.#zero;
  }

  set(a: Cell, index: number, value: Cell): void {
    const op = this.#ops.set;
    const slot = this.#core.slot(a, this.store, op);
    const length = this.store.lengths[slot]!;
    if (!(index >= 0 && index < length && (index | 0) === index)) throw outOfBounds(op, index, length);
    this.#check(op, value);
    const cells = this.store.payload[slot]!;
    // At or past the written prefix: the tail becomes real, up to MAX_STORED (operations.md §3.1).
    if (index >= cells.length) materializeTo(cells, index, this.#zero, op);
    cells[index] = value;
  }

  push(a: Cell, value: Cell): void {
    const op = this.#ops.push;
    const slot = this.#core.slot(a, this.store, op);
    this.#check(op, value);
    const length = this.store.lengths[slot]!;
    if (length === MAX_LENGTH) throw new Trap(TrapCode.OUT_OF_MEMORY, op, `the array is at MAX_LENGTH ${MAX_LENGTH}`);
    // MAX_STORED (operations.md §3.1), before the byte limit accounts the element: a trap changes nothing.
    checkStorable(length, op);
    this.#core.grow(8, op, [a, value]);
    const cells = this.store.payload[slot]!;
    if (length > cells.length) materializeTo(cells, length, this.#zero, op);
    cells.push(value);
    this.store.lengths[slot] = length + 1;
  }
}
