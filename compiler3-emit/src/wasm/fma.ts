// `fma.f64` (ir.md §8.5 op 79): a·b + c with ONE rounding, bit for bit as
// `fma` in ts-runtime/src/interp/f64.ts (IEEE fusedMultiplyAdd, Go math.FMA).
// Core Wasm has no fused multiply-add, and §8.6 requires an exact emulation
// (mandelbrot depends on it bit for bit).
//
// `vm3.fma_f64` settles the common case in Wasm and leaves the rest to the
// host:
//
// - Fast path, when 2^-450 < |a|, |b| < 2^450 and 2^-900 < |c| < 2^900 — the
//   algorithm of Boldo & Melquiond, "Emulation of FMA and correctly rounded
//   sums: proved algorithms using rounding to odd", IEEE Trans. Computers
//   57(4), 2008 (their Algorithm 5.4, correct for precision p ≥ 5 when nothing
//   underflows or overflows):
//
//     (uh, ul) = TwoProduct(a, b)   uh + ul = a·b exactly (Dekker/Veltkamp, splitter 2^27 + 1)
//     (th, tl) = TwoSum(c, uh)      th + tl = c + uh exactly (Knuth)
//     v        = RoundToOdd(tl + ul)
//     result   = th + v             (round to nearest even)
//
//   Round to odd keeps the information "inexact" in v's last bit, so the final
//   round to nearest cannot double-round. The bounds keep every step exact or
//   normal: the Veltkamp split of |x| < 2^450 cannot overflow, a·b and c stay
//   below 2^900 so no sum overflows, and every intermediate is an integer
//   multiple of 2^-1004 (ulp of a and b ≥ 2^-502, ulp of c ≥ 2^-952), so a
//   nonzero one is ≥ 2^-1004 > 2^-1022: nothing is subnormal, TwoProduct and
//   TwoSum are exact and v's last mantissa bit is a real odd/even bit.
// - Special operands, in f64.ts's order: a or b non-finite → a·b + c; a or b
//   zero → a·b + c (the product ±0 is exact, one rounding); c non-finite → c;
//   c zero → a·b (one rounding of a nonzero product).
// - Everything else (tiny or huge finite operands, where products may
//   underflow or overflow) calls the imported slow path `vm3.fma_slow`, which
//   the JS host binds to f64.ts `fma` (exact BigInt arithmetic).

import { binaryen, i64Const } from "./binaryen.ts";

import { FMA_SLOW_IMPORT } from "./fma-import.ts";

export { FMA_SLOW_IMPORT };
/** Internal names in the module. */
export const FMA_FUNCTION = "vm3.fma_f64";
export const FMA_SLOW_FUNCTION = "vm3.fma_slow";

/** Bounds of the fast path (see above). */
export const FMA_FAST_AB_MIN = 2 ** -450;
export const FMA_FAST_AB_MAX = 2 ** 450;
export const FMA_FAST_C_MIN = 2 ** -900;
export const FMA_FAST_C_MAX = 2 ** 900;

/** Veltkamp's splitter for 53-bit doubles: 2^ceil(53/2) + 1. */
const SPLITTER = 2 ** 27 + 1;

/** Adds `vm3.fma_f64` and the `vm3.fma_slow` import (once) and returns the call builder `(a, b, c) → f64`. */
export function installFma(
  module: binaryen.Module,
): (a: binaryen.ExpressionRef, b: binaryen.ExpressionRef, c: binaryen.ExpressionRef) => binaryen.ExpressionRef {
  const m = module;
  const f64 = binaryen.f64;
  const build = (a: binaryen.ExpressionRef, b: binaryen.ExpressionRef, c: binaryen.ExpressionRef) =>
    m.call(FMA_FUNCTION, [a, b, c], f64);
  if (m.getFunction(FMA_FUNCTION) !== 0) return build;
  const f64x3 = binaryen.createType([f64, f64, f64]);
  if (m.getFunction(FMA_SLOW_FUNCTION) === 0) {
    m.addFunctionImport(FMA_SLOW_FUNCTION, FMA_SLOW_IMPORT.module, FMA_SLOW_IMPORT.base, f64x3, f64);
  }

  // params 0 a, 1 b, 2 c; f64 locals 3 uh, 4 ul, 5 th, 6 tl, 7 s, 8 e, 9 t, 10 ah, 11 al, 12 bh, 13 bl; 14 bits(s) i64
  const L = { a: 0, b: 1, c: 2, uh: 3, ul: 4, th: 5, tl: 6, s: 7, e: 8, t: 9, ah: 10, al: 11, bh: 12, bl: 13 } as const;
  const g = (i: number) => m.local.get(i, f64);
  const set = (i: number, v: binaryen.ExpressionRef) => m.local.set(i, v);
  const k = (x: number) => m.f64.const(x);
  const add = (x: binaryen.ExpressionRef, y: binaryen.ExpressionRef) => m.f64.add(x, y);
  const sub = (x: binaryen.ExpressionRef, y: binaryen.ExpressionRef) => m.f64.sub(x, y);
  const mul = (x: binaryen.ExpressionRef, y: binaryen.ExpressionRef) => m.f64.mul(x, y);
  const abs = (i: number) => m.f64.abs(g(i));
  const within = (i: number, lo: number, hi: number) => m.i32.and(m.f64.gt(abs(i), k(lo)), m.f64.lt(abs(i), k(hi)));
  // NaN fails every comparison, so !(|x| < inf) is "x is ±inf or NaN"
  const nonFinite = (i: number) => m.i32.eqz(m.f64.lt(abs(i), k(Infinity)));
  const bits = 14;
  const sBits = () => m.local.get(bits, binaryen.i64);

  const fast = m.block(
    null,
    [
      // TwoProduct: uh = fl(a·b); Veltkamp splits a = ah + al, b = bh + bl into 26-bit halves
      set(L.uh, mul(g(L.a), g(L.b))),
      set(L.t, mul(k(SPLITTER), g(L.a))),
      set(L.ah, sub(g(L.t), sub(g(L.t), g(L.a)))),
      set(L.al, sub(g(L.a), g(L.ah))),
      set(L.t, mul(k(SPLITTER), g(L.b))),
      set(L.bh, sub(g(L.t), sub(g(L.t), g(L.b)))),
      set(L.bl, sub(g(L.b), g(L.bh))),
      // ul = a·b − uh exactly (Dekker)
      set(
        L.ul,
        sub(
          mul(g(L.al), g(L.bl)),
          sub(sub(sub(g(L.uh), mul(g(L.ah), g(L.bh))), mul(g(L.al), g(L.bh))), mul(g(L.ah), g(L.bl))),
        ),
      ),
      // TwoSum(c, uh): th = fl(c + uh), tl = c + uh − th exactly
      set(L.th, add(g(L.c), g(L.uh))),
      set(L.t, sub(g(L.th), g(L.c))),
      set(L.tl, add(sub(g(L.c), sub(g(L.th), g(L.t))), sub(g(L.uh), g(L.t)))),
      // RoundToOdd(tl + ul): s = fl(tl + ul) with TwoSum error e; when inexact (e ≠ 0)
      // and s is even, the odd neighbour on e's side: bits ± 1 (s is normal and finite)
      set(L.s, add(g(L.tl), g(L.ul))),
      set(L.t, sub(g(L.s), g(L.tl))),
      set(L.e, add(sub(g(L.tl), sub(g(L.s), g(L.t))), sub(g(L.ul), g(L.t)))),
      m.local.set(bits, m.i64.reinterpret(g(L.s))),
      m.if(
        m.i32.and(m.f64.ne(g(L.e), k(0)), m.i64.eqz(m.i64.and(sBits(), m.i64.const(1n)))),
        set(
          L.s,
          m.f64.reinterpret(
            m.i64.add(
              sBits(),
              m.select(
                // same sign: away from zero (+1 on the magnitude's bits), else toward zero
                m.i64.ge_s(m.i64.xor(sBits(), m.i64.reinterpret(g(L.e))), m.i64.const(0n)),
                m.i64.const(1n),
                i64Const(m, -1n),
              ),
            ),
          ),
        ),
      ),
      add(g(L.th), g(L.s)),
    ],
    f64,
  );

  const abc = () => add(mul(g(L.a), g(L.b)), g(L.c));
  m.addFunction(
    FMA_FUNCTION,
    f64x3,
    f64,
    [f64, f64, f64, f64, f64, f64, f64, f64, f64, f64, f64, binaryen.i64],
    m.block(
      null,
      [
        m.if(
          m.i32.and(
            m.i32.and(within(L.a, FMA_FAST_AB_MIN, FMA_FAST_AB_MAX), within(L.b, FMA_FAST_AB_MIN, FMA_FAST_AB_MAX)),
            within(L.c, FMA_FAST_C_MIN, FMA_FAST_C_MAX),
          ),
          m.return(fast),
        ),
        m.if(m.i32.or(nonFinite(L.a), nonFinite(L.b)), m.return(abc())),
        m.if(m.i32.or(m.f64.eq(g(L.a), k(0)), m.f64.eq(g(L.b), k(0))), m.return(abc())),
        m.if(nonFinite(L.c), m.return(g(L.c))),
        m.if(m.f64.eq(g(L.c), k(0)), m.return(mul(g(L.a), g(L.b)))),
        m.call(FMA_SLOW_FUNCTION, [g(L.a), g(L.b), g(L.c)], f64),
      ],
      f64,
    ),
  );
  return build;
}
