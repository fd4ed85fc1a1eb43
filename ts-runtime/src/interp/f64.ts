// f64 operations of ir.md §8.5/§8.6 that JavaScript lacks: an exactly
// rounded fused multiply-add, the saturating f64 → i64 conversion, bits.
import { fromBig, type I64 } from "./i64.ts";

const buf = new ArrayBuffer(8);
const f64v = new Float64Array(buf);
const u64v = new BigUint64Array(buf);
const u32v = new Uint32Array(buf);
const LE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const HI = LE ? 1 : 0;
const LO = LE ? 0 : 1;

/** The IEEE bit pattern of x; every NaN as the canonical NaN (ir.md §8.9). */
export function f64Bits(x: number): bigint {
  if (x !== x) return 0x7ff8_0000_0000_0000n;
  f64v[0] = x;
  return u64v[0]!;
}

export function f64FromBits(bits: bigint): number {
  u64v[0] = BigInt.asUintN(64, bits);
  return f64v[0]!;
}

const TWO_63 = 2 ** 63;
const MAX_I64 = (1n << 63n) - 1n;
const MIN_I64 = -(1n << 63n);

/** `f64.to.i64`: truncate toward zero, NaN → 0, saturating (Wasm i64.trunc_sat_f64_s). */
export function f64ToI64(x: number): I64 {
  if (x !== x) return 0;
  if (x >= TWO_63) return MAX_I64;
  if (x < -TWO_63) return MIN_I64;
  const t = Math.trunc(x) + 0;
  return Number.isSafeInteger(t) ? t : fromBig(BigInt(t));
}

/** x · 2^n, exact whenever the result is representable (x has at most 54 significant bits). */
function ldexp(x: number, n: number): number {
  while (n > 1023) {
    x *= 2 ** 1023;
    n -= 1023;
    if (!Number.isFinite(x)) return x;
  }
  while (n < -1022) {
    x *= 2 ** -1022;
    n += 1022;
  }
  return x * 2 ** n;
}

/** A finite nonzero double as signed mantissa and exponent: x = m · 2^e. */
function split(x: number): [bigint, number] {
  f64v[0] = x;
  const hi = u32v[HI]!;
  const lo = u32v[LO]!;
  const biased = (hi >>> 20) & 0x7ff;
  let m = BigInt(hi & 0xfffff) * 0x1_0000_0000n + BigInt(lo);
  let e: number;
  if (biased === 0) e = -1074;
  else {
    m += 1n << 52n;
    e = biased - 1075;
  }
  return [hi >>> 31 ? -m : m, e];
}

function bitLength(n: bigint): number {
  return n.toString(2).length;
}

/** N · 2^e (N > 0) rounded to the nearest double, ties to even, with subnormals. */
function roundScaled(n: bigint, e: number): number {
  const len = bitLength(n);
  const lsb = Math.max(e + len - 53, -1074);
  const shift = lsb - e;
  if (shift <= 0) return ldexp(Number(n), e);
  const s = BigInt(shift);
  let q = n >> s;
  const rem = n - (q << s);
  const half = 1n << (s - 1n);
  if (rem > half || (rem === half && (q & 1n) === 1n)) q += 1n;
  return ldexp(Number(q), lsb);
}

/**
 * `fma.f64`: a·b + c with a single rounding (IEEE fusedMultiplyAdd, Go
 * math.FMA), bit for bit as `fmaExact`. Operands away from the ends of the
 * range take the error-free path that the WasmGC and handle-ABI modules
 * carry (compiler3-emit/src/wasm/fma.ts says why it is exact: Dekker's
 * product, Knuth's sum, then Boldo and Melquiond's round-to-odd addition),
 * about twenty double operations; the rest go to `fmaExact`. The test
 * fma-fast.test.ts compares the two on millions of operands.
 */
export function fma(a: number, b: number, c: number): number {
  const aa = Math.abs(a);
  const ab = Math.abs(b);
  const ac = Math.abs(c);
  if (!(aa > FAST_AB_MIN && aa < FAST_AB_MAX && ab > FAST_AB_MIN && ab < FAST_AB_MAX && ac > FAST_C_MIN && ac < FAST_C_MAX)) {
    return fmaExact(a, b, c);
  }
  // TwoProduct: uh + ul = a·b exactly.
  const uh = a * b;
  let t = SPLITTER * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLITTER * b;
  const bh = t - (t - b);
  const bl = b - bh;
  const ul = al * bl - (((uh - ah * bh) - al * bh) - ah * bl);
  // TwoSum(c, uh): th + tl = c + uh exactly.
  const th = c + uh;
  t = th - c;
  const tl = (c - (th - t)) + (uh - t);
  // RoundToOdd(tl + ul): when s = fl(tl + ul) is inexact and even, its odd
  // neighbour on the error's side (s is normal and finite here).
  const s = tl + ul;
  t = s - tl;
  const e = (tl - (s - t)) + (ul - t);
  if (e !== 0) {
    f64v[0] = s;
    const lo = u32v[LO]!;
    if ((lo & 1) === 0) {
      // Same sign: away from zero (+1 on the magnitude's bits), else toward it.
      if (s > 0 === e > 0) {
        u32v[LO] = lo + 1; // even: no carry out of the low word
      } else if (lo !== 0) {
        u32v[LO] = lo - 1;
      } else {
        u32v[LO] = 0xffff_ffff;
        u32v[HI] = u32v[HI]! - 1;
      }
      return th + f64v[0]!;
    }
  }
  return th + s;
}

/** Bounds of fma's error-free path (compiler3-emit/src/wasm/fma.ts FMA_FAST_*). */
const FAST_AB_MIN = 2 ** -450;
const FAST_AB_MAX = 2 ** 450;
const FAST_C_MIN = 2 ** -900;
const FAST_C_MAX = 2 ** 900;

/**
 * `fma.f64` computed exactly, the reference `fma` and the modules' fast
 * paths are checked against. Special operands (zeros, infinities, NaN) are
 * settled by IEEE rules directly; finite nonzero operands are computed
 * exactly: the product and the sum as BigInt multiples of a power of two,
 * then one rounding. When the product is exact in f64 (Dekker's TwoProduct
 * error is 0) the sum `a*b + c` already has one rounding and is returned
 * without BigInt work.
 */
export function fmaExact(a: number, b: number, c: number): number {
  if (!Number.isFinite(a) || !Number.isFinite(b)) return a * b + c;
  if (a === 0 || b === 0) return a * b + c; // exact ±0 product: one rounding
  if (!Number.isFinite(c)) return c; // finite product + ±inf / NaN
  if (c === 0) return a * b; // a·b ± 0 = a·b (nonzero), rounded once
  const p = a * b;
  const aa = Math.abs(a);
  const ab = Math.abs(b);
  // Dekker's split is exact when nothing overflows or underflows: keep both
  // factors and the product well inside the normal range.
  if (aa > 2 ** -450 && aa < 2 ** 450 && ab > 2 ** -450 && ab < 2 ** 450 && twoProductError(a, b, p) === 0) {
    return p + c;
  }
  const [ma, ea] = split(a);
  const [mb, eb] = split(b);
  const [mc, ec] = split(c);
  const mp = ma * mb;
  const ep = ea + eb;
  const emin = Math.min(ep, ec);
  const sum = (mp << BigInt(ep - emin)) + (mc << BigInt(ec - emin));
  if (sum === 0n) return 0; // exact cancellation: +0 under round-to-nearest
  return sum < 0n ? -roundScaled(-sum, emin) : roundScaled(sum, emin);
}

const SPLITTER = 134217729; // 2^27 + 1

/** Dekker/Veltkamp: the exact a·b - p for p = fl(a·b), valid away from overflow and underflow. */
function twoProductError(a: number, b: number, p: number): number {
  let t = SPLITTER * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLITTER * b;
  const bh = t - (t - b);
  const bl = b - bh;
  return al * bl - (((p - ah * bh) - al * bh) - ah * bl);
}
