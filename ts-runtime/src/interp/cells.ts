// Converting between registers and heap Cells without allocating views
// (the scratch-word technique of cell-bits.ts).
import { type Cell, CELL_FALSE, CELL_TRUE, cellFromF64, cellFromInt } from "../cell.ts";
import { classify, HI, KIND_F64, KIND_HANDLE, KIND_INT48, KIND_SMALL_INT, LO, word, word64, wordF64 } from "../cell-bits.ts";
import { Trap, TrapCode } from "../trap.ts";
import type { I64 } from "./i64.ts";

const INT48_MIN = -(2 ** 47);
const INT48_END = 2 ** 47;

/** The integer Cell of an i64, or undefined when it is outside 48 bits (INT_OVERFLOW for the caller, after its earlier checks). */
export function intCell(v: I64): Cell | undefined {
  if (typeof v === "bigint" || v < INT48_MIN || v >= INT48_END) return undefined;
  return cellFromInt(v);
}

export function intOverflow(op: string, v: I64): Trap {
  return new Trap(TrapCode.INT_OVERFLOW, op, `${v} outside [-2^47, 2^47)`);
}

/** The i64 of an integer Cell (SmallInt or Int48); undefined for any other kind. */
export function cellInt(c: Cell): number | undefined {
  word64[0] = c;
  const hi = word[HI]!;
  const lo = word[LO]!;
  if (hi === 0xffff_c000) return (lo << 1) >> 1;
  const k = classify(hi, lo);
  if (k === KIND_SMALL_INT) return (lo << 1) >> 1;
  if (k === KIND_INT48) return (((hi & 0xffff) << 16) >> 16) * 2 ** 32 + lo;
  return undefined;
}

/** The f64 of a float Cell; undefined for any other kind. */
export function cellF64(c: Cell): number | undefined {
  word64[0] = c;
  if (classify(word[HI]!, word[LO]!) !== KIND_F64) return undefined;
  return wordF64[0]!;
}

/** The f64 of a Cell known to be a float (F64Arr elements). */
export function rawF64(c: Cell): number {
  word64[0] = c;
  return wordF64[0]!;
}

export function isHandle(c: Cell): boolean {
  word64[0] = c;
  return classify(word[HI]!, word[LO]!) === KIND_HANDLE;
}

/** The arena of a handle Cell (call after isHandle). */
export function handleArena(c: Cell): number {
  word64[0] = c;
  return (word[HI]! >>> 12) & 0xf;
}

export function boolCell(b: boolean): Cell {
  return b ? CELL_TRUE : CELL_FALSE;
}

export { cellFromF64 };
