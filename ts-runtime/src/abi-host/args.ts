// Reading the arguments a Wasm guest passes to a `vm3` import (handle-abi.md
// §10.2–§10.3). The engine hands an import its `i64` arguments as signed
// BigInts in [-2^63, 2^63) and its `i32` arguments as signed numbers in
// [-2^31, 2^31); any of those values may arrive.

import type { Cell } from "../cell.ts";

const TWO_64 = 1n << 64n;

/**
 * A Cell argument: the signed i64 as the unsigned 64-bit pattern the heap
 * works on. Only negative values change (+2^64), so a BigInt outside the i64
 * range (which no engine passes) stays outside the pattern range and the
 * heap's own check answers it with BAD_CELL.
 */
export function cellArg(c: bigint): Cell {
  return c < 0n ? c + TWO_64 : c;
}

/**
 * An `n` integer argument (length, index, field, shape, count) as the number
 * the Heap's operations take. Number() is exact up to 2^53 in magnitude and
 * monotone beyond, and every bound the operations check is at most 2^32, so
 * a value outside ±2^53 becomes a number outside every bound on the same
 * side: a huge index stays OUT_OF_BOUNDS, a huge length BAD_ARGUMENT, never
 * wrapped or truncated onto a valid one (handle-abi.md §10.2). A non-BigInt
 * (a JS caller, not an engine) converts the same way; NaN fails every check.
 */
export function intArg(n: bigint): number {
  return Number(n);
}

/** An `i32` argument read as unsigned (§10.2): [-2^31, 0) becomes [2^31, 2^32). */
export function u32Arg(i: number): number {
  return i >>> 0;
}
