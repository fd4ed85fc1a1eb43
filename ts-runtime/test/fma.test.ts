// The interpreter's fma.f64 (ir.md §8.5 op 79): f64.ts `fma` takes an
// error-free fast path (Dekker, Knuth, round to odd) inside its bounds and
// must give, bit for bit, what the exact BigInt `fmaExact` gives. The harder
// generators — ties built for double rounding, cancellation against the
// product — live in compiler3-emit/test/wasmgc-fma.test.ts, which checks
// this same `fma` beside the Wasm one.
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { f64Bits, f64FromBits, fma, fmaExact } from "../src/interp/f64.ts";

const same = (x: number, y: number) => f64Bits(x) === f64Bits(y);
const hex = (x: number) => `${x} (0x${f64Bits(x).toString(16)})`;
const fromFields = (neg: boolean, exp: number, mant: bigint) =>
  f64FromBits((neg ? 1n << 63n : 0n) | (BigInt(exp) << 52n) | (mant & ((1n << 52n) - 1n)));
const mantissa = fc.bigInt({ min: 0n, max: (1n << 52n) - 1n });
/** A normal double with its exponent in [lo, hi]. */
const normal = (lo: number, hi: number) => fc.tuple(fc.boolean(), fc.integer({ min: 1023 + lo, max: 1023 + hi }), mantissa).map(([s, e, m]) => fromFields(s, e, m));
const anyBits = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }).map(f64FromBits);

const agree = (triple: fc.Arbitrary<[number, number, number]>, numRuns: number) =>
  fc.assert(
    fc.property(triple, ([a, b, c]) => {
      const got = fma(a, b, c);
      const want = fmaExact(a, b, c);
      if (!same(got, want)) throw new Error(`fma(${hex(a)}, ${hex(b)}, ${hex(c)}) = ${hex(got)}, want ${hex(want)}`);
    }),
    { numRuns, seed: 12 },
  );

describe("fma's fast path agrees with fmaExact", () => {
  test("operands near 1, c near -a·b (cancellation exposes the product's tail)", () => {
    agree(
      fc.tuple(normal(-3, 3), normal(-3, 3), fc.integer({ min: -8, max: 8 })).map(([a, b, k]): [number, number, number] => [a, b, -f64FromBits(f64Bits(a * b) + BigInt(k))]),
      100_000,
    );
  });
  test("mandelbrot-like operands, |x| in [2^-8, 2)", () => {
    agree(fc.tuple(normal(-8, 0), normal(-8, 0), normal(-8, 1)), 100_000);
  });
  test("every exponent of the fast path's bounds and beyond, and random bits", () => {
    agree(fc.tuple(normal(-460, 460), normal(-460, 460), normal(-910, 910)), 50_000);
    agree(fc.tuple(anyBits, anyBits, anyBits), 50_000);
  });
  test("the round-to-odd step's borrow across the low word", () => {
    // s = tl + ul with a zero low word and an error of the other sign.
    const a = 1 + 2 ** -30;
    const b = 1 + 2 ** -23;
    for (const c of [-(1 + 2 ** -23), -1, -(1 + 2 ** -30), 2 ** -53, -(2 ** -53)]) {
      expect(same(fma(a, b, c), fmaExact(a, b, c)), `fma(${a}, ${b}, ${c})`).toBe(true);
    }
  });
});
