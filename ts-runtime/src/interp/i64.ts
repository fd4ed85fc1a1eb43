// i64 arithmetic of ir.md §8.6 on the interpreter's i64 representation.
//
// Representation (measured, see run.ts header): an i64 register holds a JS
// number when the value is a safe integer (|v| <= 2^53 - 1) and a bigint
// otherwise — canonically, so equal values always have the same
// representation and `===` is i64 equality. Numbers are Smis or unboxed
// doubles in V8, so the common case allocates nothing; a result that leaves
// the safe range is recomputed exactly in bigint and wrapped with
// BigInt.asIntN(64, …), then converted back to a number if it fits.
import { Trap, TrapCode } from "../trap.ts";

export type I64 = number | bigint;

const MAX_SAFE = Number.MAX_SAFE_INTEGER;
const MAX_SAFE_N = BigInt(MAX_SAFE);

/** The canonical representation of a wrapped 64-bit value. */
export function normBig(b: bigint): I64 {
  const w = BigInt.asIntN(64, b);
  return w <= MAX_SAFE_N && w >= -MAX_SAFE_N ? Number(w) : w;
}

/** The canonical representation of any int64 bigint (already in range). */
export function fromBig(b: bigint): I64 {
  return b <= MAX_SAFE_N && b >= -MAX_SAFE_N ? Number(b) : b;
}

export function toBig(a: I64): bigint {
  return typeof a === "bigint" ? a : BigInt(a);
}

export function add(a: I64, b: I64): I64 {
  if (typeof a === "number" && typeof b === "number") {
    const r = a + b;
    if (r <= MAX_SAFE && r >= -MAX_SAFE) return r;
  }
  return normBig(toBig(a) + toBig(b));
}

export function sub(a: I64, b: I64): I64 {
  if (typeof a === "number" && typeof b === "number") {
    const r = a - b;
    if (r <= MAX_SAFE && r >= -MAX_SAFE) return r;
  }
  return normBig(toBig(a) - toBig(b));
}

export function mul(a: I64, b: I64): I64 {
  if (typeof a === "number" && typeof b === "number") {
    // Rounding is monotone: a true product beyond 2^53 - 1 never rounds back
    // into the safe range, so an in-range result is exact. `+ 0` drops -0.
    const r = a * b;
    if (r <= MAX_SAFE && r >= -MAX_SAFE) return r + 0;
  }
  return normBig(toBig(a) * toBig(b));
}

function divByZero(op: string): Trap {
  return new Trap(TrapCode.DIVIDE_BY_ZERO, op, "division by zero");
}

/** Truncating division; MinInt64 / -1 = MinInt64 (wraps). */
export function div(a: I64, b: I64): I64 {
  if (b === 0) throw divByZero("div.i64");
  if (typeof a === "number" && typeof b === "number") {
    // For |a| < 2^53 the rounded quotient never crosses an integer, so
    // truncating it gives the exact truncated quotient.
    return Math.trunc(a / b) + 0;
  }
  return normBig(toBig(a) / toBig(b));
}

/** Remainder with the sign of the dividend; x % -1 = 0. */
export function mod(a: I64, b: I64): I64 {
  if (b === 0) throw divByZero("mod.i64");
  if (typeof a === "number" && typeof b === "number") return (a % b) + 0;
  return fromBig(toBig(a) % toBig(b));
}

export function neg(a: I64): I64 {
  if (typeof a === "number") return 0 - a;
  return normBig(-a);
}

/** An i64 as a list/array index: a number, or -1 (out of bounds everywhere) when it is a bigint. */
export function index(a: I64): number {
  return typeof a === "number" ? a : -1;
}
