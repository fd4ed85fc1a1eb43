// f64 and string literals of the text form (ir-text.md §Constants, §Strings).
// An f64 constant is stored as its IEEE-754 bit pattern (ir.md §8.4), so the
// printer and parser work on bits: every pattern, -0 and every NaN included,
// survives print → parse unchanged.

const view = new DataView(new ArrayBuffer(8));

/** The f64 whose bit pattern is `bits` (an int64). */
export function bitsToF64(bits: bigint): number {
  view.setBigInt64(0, bits);
  return view.getFloat64(0);
}

/** The bit pattern of `x`, as int64. (A NaN's payload is whatever the engine gives.) */
export function f64ToBits(x: number): bigint {
  view.setFloat64(0, x);
  return view.getBigInt64(0);
}

/** ir-text.md: `nan` is this pattern; any other NaN is written `nan:0x…`. */
export const CANONICAL_NAN_BITS = 0x7ff8000000000000n;

function isNanBits(bits: bigint): boolean {
  const u = BigInt.asUintN(64, bits);
  return (u & 0x7ff0000000000000n) === 0x7ff0000000000000n && (u & 0x000fffffffffffffn) !== 0n;
}

/**
 * The printer's spelling of an f64 bit pattern: shortest round-trip in the
 * ECMAScript Number::toString layout, `-0`, `inf`, `-inf`, `nan`, `nan:0x…`.
 */
export function formatF64(bits: bigint): string {
  if (isNanBits(bits)) {
    if (BigInt.asUintN(64, bits) === CANONICAL_NAN_BITS) return "nan";
    return `nan:0x${BigInt.asUintN(64, bits).toString(16).padStart(16, "0")}`;
  }
  const x = bitsToF64(bits);
  if (x === Number.POSITIVE_INFINITY) return "inf";
  if (x === Number.NEGATIVE_INFINITY) return "-inf";
  if (Object.is(x, -0)) return "-0";
  return String(x);
}

const DECIMAL = /^-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?$/;

/** Reads an f64 literal to its bit pattern, or returns a message. */
export function parseF64(text: string): bigint | string {
  if (text === "inf") return f64ToBits(Number.POSITIVE_INFINITY);
  if (text === "-inf") return f64ToBits(Number.NEGATIVE_INFINITY);
  if (text === "nan") return CANONICAL_NAN_BITS;
  const m = /^nan:0x([0-9a-fA-F]{16})$/.exec(text);
  if (m !== null) {
    const bits = BigInt.asIntN(64, BigInt(`0x${m[1]}`));
    if (!isNanBits(bits)) return `nan:0x${m[1]} is not a NaN bit pattern`;
    return bits;
  }
  if (text.startsWith("nan:")) return `bad NaN literal "${text}" (want nan:0x and 16 hex digits)`;
  // Number() reads a decimal as the nearest double, ties to even (ECMAScript StringToNumber).
  if (DECIMAL.test(text)) return f64ToBits(Number(text));
  return `bad f64 literal "${text}"`;
}

export const INT64_MIN = -(1n << 63n);
export const INT64_MAX = (1n << 63n) - 1n;

/** Reads a decimal integer `-?[0-9]+` within int64, or returns a message. */
export function parseInt64(text: string): bigint | string {
  if (!/^-?[0-9]+$/.test(text)) return `expected an integer, got "${text}"`;
  const n = BigInt(text);
  if (n < INT64_MIN || n > INT64_MAX) return `integer ${text} is outside int64`;
  return n;
}

/** The printer's string literal: `\\ \" \n \t \r`, `\u{…}` for other C0 and DEL. */
export function quoteString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0;
    if (ch === "\\") out += "\\\\";
    else if (ch === '"') out += '\\"';
    else if (ch === "\n") out += "\\n";
    else if (ch === "\t") out += "\\t";
    else if (ch === "\r") out += "\\r";
    else if (c < 0x20 || c === 0x7f) out += `\\u{${c.toString(16)}}`;
    else out += ch;
  }
  return `${out}"`;
}
