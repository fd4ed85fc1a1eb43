// The 64-bit Cell: encoding, validation and decoding (cell.md §1).
import { arenaName } from "./arena.ts";
import {
  badReason,
  classify,
  hexOf,
  HI,
  inRange,
  KIND_BAD,
  KIND_BOOL,
  KIND_F64,
  KIND_HANDLE,
  KIND_INT48,
  KIND_NULL,
  LO,
  pack,
  word,
  word64,
  wordF64,
} from "./cell-bits.ts";
import { Trap, TrapCode } from "./trap.ts";

/**
 * A Cell: an unsigned 64-bit pattern, `0n .. 2n ** 64n - 1n` — exactly the
 * bits of a Wasm `i64` reinterpreted unsigned. bigint because no JS number can
 * carry every pattern (RATIONALE.md "Cells in TypeScript are bigint").
 */
export type Cell = bigint;

/** The decoded value of a valid Cell (cell.md §1.3's table). SmallInt and Int48 both decode to `int`. */
export type CellView =
  | { kind: "f64"; value: number }
  | { kind: "int"; value: bigint }
  | { kind: "bool"; value: boolean }
  | { kind: "null" }
  | { kind: "handle"; arena: number; generation: number; slot: number };

export const CELL_NULL: Cell = 0xfffc_0000_0000_0000n;
export const CELL_FALSE: Cell = 0xfffb_0000_0000_0000n;
export const CELL_TRUE: Cell = 0xfffb_0000_0000_0001n;
/** The one NaN pattern (cell.md §1.2); every other NaN is BAD_CELL. */
export const CELL_NAN: Cell = 0x7ff8_0000_0000_0000n;

const SMALL_MIN = -(2 ** 30);
const SMALL_END = 2 ** 30;
const INT48_MIN = -(2 ** 47);
const INT48_END = 2 ** 47;
const TWO_32 = 2 ** 32;

/** cell.md §1.2: NaN becomes the canonical NaN; `-0` keeps its sign bit. */
export function cellFromF64(x: number): Cell {
  if (x !== x) return CELL_NAN;
  wordF64[0] = x;
  return word64[0]!;
}

/**
 * The canonical integer rule (cell.md §1.2): SmallInt in `[-2^30, 2^30)`,
 * otherwise Int48 in `[-2^47, 2^47)`, otherwise the trap INT_OVERFLOW. A
 * number that is not an integer is a TypeError: it has no integer to encode.
 */
export function cellFromInt(i: bigint | number): Cell {
  let n: number;
  if (typeof i === "bigint") {
    if (i < -(1n << 47n) || i >= 1n << 47n) throw new Trap(TrapCode.INT_OVERFLOW, "int_cell", `${i} outside [-2^47, 2^47)`);
    n = Number(i);
  } else {
    if (!Number.isInteger(i)) throw new TypeError(`cellFromInt: ${i} is not an integer`);
    if (i < INT48_MIN || i >= INT48_END) throw new Trap(TrapCode.INT_OVERFLOW, "int_cell", `${i} outside [-2^47, 2^47)`);
    n = i;
  }
  if (n >= SMALL_MIN && n < SMALL_END) return pack(0xffff_c000, n & 0x7fff_ffff);
  // Int48: the low 48 bits of the two's complement. Math.floor keeps the
  // borrow of a negative n; `& 0xffff` then takes the low 16 bits of that.
  return pack((0xfffa_0000 | (Math.floor(n / TWO_32) & 0xffff)) >>> 0, n >>> 0);
}

export function cellFromBool(b: boolean): Cell {
  return b ? CELL_TRUE : CELL_FALSE;
}

/**
 * The handle Cell `(arena, generation, slot)` (cell.md §1.2). Encoding never
 * traps; whether the handle is valid or live is for validation and the heap.
 * Fields outside their bit widths are a RangeError: they have no encoding.
 */
export function makeHandle(arena: number, generation: number, slot: number): Cell {
  if (!Number.isInteger(arena) || arena < 0 || arena > 15) throw new RangeError(`makeHandle: arena ${arena} outside 0..15`);
  if (!Number.isInteger(generation) || generation < 0 || generation > 4095) {
    throw new RangeError(`makeHandle: generation ${generation} outside 0..4095`);
  }
  if (!Number.isInteger(slot) || slot < 0 || slot >= TWO_32) throw new RangeError(`makeHandle: slot ${slot} outside 0..2^32-1`);
  return pack((0xffff_0000 | (arena << 12) | generation) >>> 0, slot);
}

/** The BAD_CELL trap for `c` under operation `op`. */
export function badCell(op: string, c: Cell): Trap {
  if (!inRange(c)) return new Trap(TrapCode.BAD_CELL, op, `${c} is not a 64-bit pattern`);
  word64[0] = c;
  return new Trap(TrapCode.BAD_CELL, op, `${hexOf(word[HI]!, word[LO]!)}: ${badReason(word[HI]!, word[LO]!)}`);
}

/** cell.md §1.3: throws Trap BAD_CELL, naming the first rule `c` breaks. */
export function validateCell(c: Cell): void {
  if (!inRange(c)) throw badCell("cell_check", c);
  word64[0] = c;
  if (classify(word[HI]!, word[LO]!) === KIND_BAD) throw badCell("cell_check", c);
}

/** The value a valid Cell holds (cell.md §1.3); throws Trap BAD_CELL for an invalid one. */
export function decodeCell(c: Cell): CellView {
  if (!inRange(c)) throw badCell("decode", c);
  word64[0] = c;
  const hi = word[HI]!;
  const lo = word[LO]!;
  switch (classify(hi, lo)) {
    case KIND_BAD:
      throw badCell("decode", c);
    case KIND_F64:
      return { kind: "f64", value: wordF64[0]! };
    case KIND_INT48:
      // Sign-extend 48 bits: the top 16 bits of hi as a signed 16-bit number.
      return { kind: "int", value: BigInt((((hi & 0xffff) << 16) >> 16) * TWO_32 + lo) };
    case KIND_BOOL:
      return { kind: "bool", value: lo === 1 };
    case KIND_NULL:
      return { kind: "null" };
    case KIND_HANDLE:
      return { kind: "handle", arena: (hi >>> 12) & 0xf, generation: hi & 0xfff, slot: lo };
    default:
      // SmallInt: the slot's low 31 bits, sign-extended from bit 30.
      return { kind: "int", value: BigInt((lo << 1) >> 1) };
  }
}

/** Human-readable: `f64 1.5`, `int -3`, `bool true`, `null`, `List#3@g1`, `bad 0xFFF8_0000_0000_0000`. Never throws. */
export function formatCell(c: Cell): string {
  if (typeof c !== "bigint" || !inRange(c)) return `bad ${String(c)}`;
  word64[0] = c;
  const hi = word[HI]!;
  const lo = word[LO]!;
  if (classify(hi, lo) === KIND_BAD) return `bad ${hexOf(hi, lo)}`;
  const view = decodeCell(c);
  switch (view.kind) {
    case "f64":
      return `f64 ${Object.is(view.value, -0) ? "-0" : String(view.value)}`;
    case "int":
      return `int ${view.value}`;
    case "bool":
      return `bool ${view.value}`;
    case "null":
      return "null";
    case "handle":
      return `${arenaName(view.arena)}#${view.slot}@g${view.generation}`;
  }
}
