// The String arena (arenas.md §2.1): immutable byte strings, accounted
// 16 + byte length (arenas.md §2.6), operations of operations.md §3.2.
import { Arena } from "./arena.ts";
import { ArenaStore } from "./arena-store.ts";
import type { Cell } from "./cell.ts";
import type { HeapCore } from "./heap-core.ts";
import { Trap, TrapCode } from "./trap.ts";

/** Bound on a string's byte length: MAX_STR_BYTES, V8's longest string, so its text is always a JS string (operations.md §3.1). */
export const MAX_STR_BYTES = 2 ** 29 - 24;

/** The payload of every empty String: payloads are never written, so one suffices (arenas.md §2.7). */
const NO_BYTES = new Uint8Array(0);

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export class StringArena {
  readonly store = new ArenaStore<Uint8Array>(Arena.STRING, "bytes");
  readonly #core: HeapCore;

  constructor(core: HeapCore) {
    this.#core = core;
  }

  /** `str_new(bytes)`: a new String holding a copy of `bytes` (a JS string is taken as its UTF-8 encoding). */
  strNew(bytes: Uint8Array | string): Cell {
    const copy = bytes.length === 0 ? NO_BYTES : typeof bytes === "string" ? encoder.encode(bytes) : bytes.slice();
    if (copy.length > MAX_STR_BYTES) throw new Trap(TrapCode.BAD_ARGUMENT, "str_new", `${copy.length} bytes, more than MAX_STR_BYTES ${MAX_STR_BYTES}`);
    this.#core.reserve(this.store, 16 + copy.length, "str_new", []);
    return this.#core.commit(this.store, copy, copy.length);
  }

  /** `str_len(s)`: the byte length. */
  strLen(s: Cell): number {
    return this.store.lengths[this.#core.slot(s, this.store, "str_len")]!;
  }

  /** `str_concat(a, b)`: a new String a‖b; an AUTO collection it runs roots a and b. */
  strConcat(a: Cell, b: Cell): Cell {
    const left = this.#bytes(a, "str_concat");
    const right = this.#bytes(b, "str_concat");
    const length = left.length + right.length;
    if (length > MAX_STR_BYTES) throw new Trap(TrapCode.OUT_OF_MEMORY, "str_concat", `${length} bytes, more than MAX_STR_BYTES ${MAX_STR_BYTES}`);
    this.#core.reserve(this.store, 16 + length, "str_concat", [a, b]);
    const joined = length === 0 ? NO_BYTES : new Uint8Array(length);
    joined.set(left, 0);
    joined.set(right, left.length);
    return this.#core.commit(this.store, joined, length);
  }

  /** `str_eq(a, b)`: whether the two strings hold the same bytes. */
  strEq(a: Cell, b: Cell): boolean {
    const left = this.#bytes(a, "str_eq");
    const right = this.#bytes(b, "str_eq");
    if (left.length !== right.length) return false;
    for (let i = 0; i < left.length; i++) if (left[i] !== right[i]) return false;
    return true;
  }

  /** `str_get(s)`: a copy of the bytes. */
  strGet(s: Cell): Uint8Array {
    return this.#bytes(s, "str_get").slice();
  }

  /** `str_get(s)` decoded as UTF-8 (invalid sequences become U+FFFD). */
  strText(s: Cell): string {
    return decoder.decode(this.#bytes(s, "str_get"));
  }

  #bytes(s: Cell, op: string): Uint8Array {
    return this.store.payload[this.#core.slot(s, this.store, op)]!;
  }
}
