// fma.f64 (ir.md §8.5 op 79, §8.6) in WasmGC: `vm3.fma_f64` must agree bit for
// bit with ts-runtime's exact `fmaExact` (BigInt based; the interpreter's `fma`
// takes the same fast path as the module and is checked by fma-fast.test.ts). The
// module's slow-path import is bound to that same `fma` and counted, so every
// disagreement is the Wasm fast path's (or the special cases') fault, and the
// counts show how many samples the fast path settled.

import fc from "fast-check";
import { afterAll, describe, expect, test } from "vitest";
import { binaryen, newWasmGcModule } from "../src/wasm/binaryen.ts";
import { FMA_SLOW_IMPORT, installFma } from "../src/wasm/fma.ts";
import { engineValidates, vm3Imports } from "../src/wasmgc/instantiate.ts";
import { f64Bits, f64FromBits, fma as tsFma, fmaExact as fma } from "../../ts-runtime/src/interp/f64.ts";

type Fma = (a: number, b: number, c: number) => number;

// The project compiles without lib "dom" (see instantiate.ts); the slice used here.
interface WasmJsApi {
  instantiate(bytes: Uint8Array, imports: object): Promise<{ instance: { exports: Record<string, unknown> } }>;
}
const wasm = (globalThis as unknown as { WebAssembly: WasmJsApi }).WebAssembly;

const modules: binaryen.Module[] = [];
afterAll(() => {
  for (const m of modules) m.dispose();
});

/** Bit patterns, NaNs canonical (ir.md §8.2: payloads are not observable). */
const same = (x: number, y: number): boolean => f64Bits(x) === f64Bits(y);
const hex = (x: number): string => `${x} (0x${f64Bits(x).toString(16)})`;

/** Operands f64.ts settles without the exact path (the Wasm's special cases). */
const isSpecial = (a: number, b: number, c: number): boolean =>
  !Number.isFinite(a) || !Number.isFinite(b) || a === 0 || b === 0 || !Number.isFinite(c) || c === 0;

async function load(optimise: boolean): Promise<{ fma: Fma; slowCalls: () => number }> {
  const m = newWasmGcModule();
  modules.push(m);
  const call = installFma(m);
  installFma(m); // idempotent: a second install adds nothing
  const f64 = binaryen.f64;
  m.addFunction(
    "fma",
    binaryen.createType([f64, f64, f64]),
    f64,
    [],
    call(m.local.get(0, f64), m.local.get(1, f64), m.local.get(2, f64)),
  );
  m.addFunctionExport("fma", "fma");
  expect(m.validate()).toBe(1);
  if (optimise) {
    m.optimize();
    expect(m.validate()).toBe(1);
  }
  const binary = m.emitBinary();
  expect(engineValidates(binary)).toBe(true);
  let slow = 0;
  // instantiateWasmGc's `extra` would be replaced by its own "vm3" namespace, so the
  // slow path is merged into that namespace here.
  const imports = vm3Imports();
  const { instance } = await wasm.instantiate(binary, {
    [FMA_SLOW_IMPORT.module]: {
      ...imports.vm3,
      [FMA_SLOW_IMPORT.base]: (a: number, b: number, c: number) => {
        slow++;
        return fma(a, b, c);
      },
    },
  });
  return { fma: instance.exports.fma as Fma, slowCalls: () => slow };
}

const P = (e: number) => 2 ** e;
const ULP1 = P(-52);

/** Hand-picked cases: ties, halfway points, cancellation, tiny and huge results. */
const HARD: [number, number, number][] = [
  // a·b = 2^-53 - 2^-107 rounds to 2^-53 (a tie, to even); next to the odd 1 + 2^-52 the
  // naive a*b+c then ties again and goes up to 1 + 2^-51, the fused sum stays at 1 + 2^-52
  [(1 + P(-27)) * P(-53), 1 - P(-27), 1 + ULP1],
  [(1 + P(-27)) * P(-53), 1 - P(-27), 1],
  [(1 + P(-27)) * P(-53), 1 - P(-27), -(1 + ULP1)],
  // a·b = 2^-53 + 2^-105 exactly, next to 1: just above half an ulp
  [P(-27), P(-26) * (1 + ULP1), 1],
  [P(-27), P(-26) * (1 + ULP1), -1],
  // exact ties: a·b = 2^-53 exactly, ties to even
  [P(-27), P(-26), 1],
  [P(-27), P(-26), 1 + ULP1],
  [P(-27), P(-26), -(1 + ULP1)],
  // (1 + 2^-52)^2 - 1 = 2^-51 + 2^-104: cancellation exposes the product's low part
  [1 + ULP1, 1 + ULP1, -1],
  [1 + ULP1, 1 - ULP1 / 2, -1],
  [1 - ULP1 / 2, 1 - ULP1 / 2, -1],
  // exact cancellation: ±0 results
  [3, 5, -15],
  [-3, 5, 15],
  [0.1, 10, -(0.1 * 10)],
  [1 / 3, 3, -1],
  [2 / 3, 3, -2],
  [Math.PI, Math.E, -(Math.PI * Math.E)],
  // halfway in the final rounding after a first rounding of the product
  [1 + P(-30), 1 + P(-23), -(1 + P(-23))],
  [1 + 3 * P(-29), 1 + P(-24), P(-53)],
  [134217729, 134217729, -18014398509481984],
  [94906267, 94906267, -1],
  // special operands
  [0, 5, -0],
  [-0, 5, 0],
  [-0, 5, -0],
  [0, Infinity, 1],
  [Infinity, 1, -Infinity],
  [Infinity, 1, NaN],
  [NaN, 1, 2],
  [1, 2, Infinity],
  [1, 2, NaN],
  [1, 2, 0],
  [1, 2, -0],
  [-1, 2, 0],
  [1e308, 10, -Infinity],
  // overflow: the product overflows but the sum does not (exact path)
  [1e308, 10, -1e308],
  [1e308, 2, -1e308],
  [P(1023), 2, -P(1023)],
  [Number.MAX_VALUE, 1 + ULP1, -Number.MAX_VALUE],
  [Number.MAX_VALUE, 2, 0.5],
  [-Number.MAX_VALUE, 1.5, -Number.MAX_VALUE],
  // results near and in the subnormal range
  [P(-537), P(-537), 0.5 * P(-1074)],
  [P(-511), P(-512), -P(-1022)],
  [P(-1000), P(-74), P(-1074)],
  [Number.MIN_VALUE, 0.5, Number.MIN_VALUE],
  [Number.MIN_VALUE, 0.5, -0],
  [P(-600), P(-600), -P(-1074)],
  [P(-1022) * 1.5, 1 + ULP1, -P(-1022)],
  [P(-449) * (1 + ULP1), P(-449) * (1 + ULP1), -P(-898)],
  [P(-449) * (1 + ULP1), P(-449) * (1 - ULP1), P(-899)],
  // fast-path boundaries
  [P(-450), P(449), 1],
  [P(450), 1.5, 3],
  [P(-449), P(-449), P(-899)],
  [P(449) * 1.999, P(449) * 1.999, -P(899) * 1.99],
  [1.5, 1.5, P(-900)],
  [1.5, 1.5, P(900)],
  // mandelbrot-like values in [-2, 2]
  [-0.7499999999999999, 0.11000000000000001, -1.2345678901234567],
  [1.9999999999999998, 1.9999999999999998, -3.9999999999999996],
  [-1.9999999999999998, 1.9999999999999998, 3.999999999999999],
  [0.30000000000000004, -0.30000000000000004, 0.09000000000000002],
  [1.0000000000000002, -0.9999999999999999, 1.0000000000000002],
];

/** A double from sign, biased exponent and mantissa fields. */
const fromFields = (sign: boolean, exp: number, mant: bigint): number =>
  f64FromBits((sign ? 1n << 63n : 0n) | (BigInt(exp) << 52n) | (mant & ((1n << 52n) - 1n)));
const mantissa = fc.bigInt({ min: 0n, max: (1n << 52n) - 1n });
/** Doubles from 64 random bits: every exponent, NaNs, infinities, subnormals. */
const fromBits = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }).map(f64FromBits);
/** Mandelbrot-like: |x| in [2^-8, 2), random sign and full mantissa (the kernel's z, c values). */
const mandelValue = fc.tuple(fc.boolean(), fc.integer({ min: 1023 - 8, max: 1023 }), mantissa).map(([s, e, mt]) => fromFields(s, e, mt));
/** A mantissa with a few set bits at random positions: products and sums land on ties. */
const sparseMantissa = fc.array(fc.integer({ min: 0, max: 51 }), { maxLength: 3 }).map((bs) => bs.reduce((x, b) => x | (1n << BigInt(b)), 0n));
const normalIn = (lo: number, hi: number, mt: fc.Arbitrary<bigint>) =>
  fc.tuple(fc.boolean(), fc.integer({ min: 1023 + lo, max: 1023 + hi }), mt).map(([s, e, m]) => fromFields(s, e, m));
/** Hard triples: a, b in the fast range; c placed relative to a·b (cancellation, ties, far below or above). */
const hardTriple = fc
  .tuple(
    normalIn(-60, 60, fc.oneof(mantissa, sparseMantissa)),
    normalIn(-60, 60, fc.oneof(mantissa, sparseMantissa)),
    fc.integer({ min: -120, max: 120 }),
    fc.oneof(mantissa, sparseMantissa),
    fc.boolean(),
    fc.integer({ min: 0, max: 3 }),
    fc.integer({ min: -4, max: 4 }),
  )
  .map(([a, b, shift, mc, neg, mode, k]): [number, number, number] => {
    const p = a * b;
    const ep = Math.floor(Math.log2(Math.abs(p)));
    switch (mode) {
      case 0: // c = -fl(a·b) ± a few ulps: the result is the product's tail, cancellation
        return [a, b, -f64FromBits(f64Bits(p) + BigInt(k))];
      case 1: // c = ±2^(ep + shift) · (1.mc): ties once a·b is shifted below c's ulp
        return [a, b, fromFields(neg, Math.min(2046, Math.max(1, 1023 + ep + shift)), mc)];
      case 2: // c = ±2^(ep + 53 + k): a·b sits at c's rounding boundary
        return [a, b, (neg ? -1 : 1) * P(ep + 53 + k)];
      default: // c = ±ulp-scale of a·b
        return [a, b, (neg ? -1 : 1) * P(ep - 52 + k) * (1 + Number(mc) * ULP1)];
    }
  });
/** The exponent of the lowest set bit of a finite nonzero double: x = odd · 2^t. */
const lowBit = (x: number): number => {
  const bits = f64Bits(x);
  const biased = Number((bits >> 52n) & 0x7ffn);
  let m = bits & ((1n << 52n) - 1n);
  let t = biased === 0 ? -1074 : biased - 1075;
  if (biased !== 0) m |= 1n << 52n;
  while ((m & 1n) === 0n) {
    m >>= 1n;
    t++;
  }
  return t;
};
/**
 * Double-rounding triples, the cases round-to-odd exists for. b = fl(y / a) for a
 * sparse y, so uh = fl(a·b) has few significant bits (y or a neighbour) while
 * the product's tail ul is tiny and nonzero; uh = odd · 2^t. c = ±K · 2^(t+1+s)
 * with a 53-bit K: for s = 0, c + uh is exactly halfway between two doubles
 * (ulp 2^(t+1)) and only ul decides the rounding — a naive a*b+c, or a
 * round-to-nearest of tl + ul, gets it wrong; s = ±1 are near misses.
 */
const tieTriple = fc
  .tuple(
    normalIn(-30, 30, mantissa),
    normalIn(-60, 60, sparseMantissa),
    fc.bigInt({ min: 1n << 52n, max: (1n << 53n) - 1n }),
    fc.boolean(),
    fc.constantFrom(0, 0, 0, 0, 1, -1),
  )
  .map(([a, y, big, neg, s]): [number, number, number] => {
    const b = y / a;
    const t = lowBit(a * b);
    return [a, b, (neg ? -1 : 1) * Number(big) * P(t + 1 + s)];
  });
/** Any double: fast-check's own (biased to edges), random bits, or a mandelbrot value. */
const anyDouble = fc.oneof(fc.double(), fromBits, mandelValue);

describe.each([
  ["unoptimised", false],
  ["optimised (-O)", true],
])("vm3.fma_f64, %s", (label, optimise) => {
  let loaded: Promise<{ fma: Fma; slowCalls: () => number }> | undefined;
  const get = () => (loaded ??= load(optimise));

  /** Runs `samples` through both implementations; returns the counts. */
  const check = async (arb: fc.Arbitrary<[number, number, number]>, numRuns: number, seed: number) => {
    const { fma: wasmFma, slowCalls } = await get();
    let total = 0;
    let special = 0;
    const slowBefore = slowCalls();
    fc.assert(
      fc.property(arb, ([a, b, c]) => {
        total++;
        if (isSpecial(a, b, c)) special++;
        const got = wasmFma(a, b, c);
        const want = fma(a, b, c);
        if (!same(got, want)) throw new Error(`fma(${hex(a)}, ${hex(b)}, ${hex(c)}) = ${hex(got)}, want ${hex(want)}`);
        // The interpreter's fma takes the same fast path in JS (f64.ts).
        const ts = tsFma(a, b, c);
        if (!same(ts, want)) throw new Error(`f64.ts fma(${hex(a)}, ${hex(b)}, ${hex(c)}) = ${hex(ts)}, want ${hex(want)}`);
      }),
      { numRuns, seed },
    );
    const slow = slowCalls() - slowBefore;
    return { total, special, slow, fast: total - special - slow };
  };
  const report = (name: string, r: { total: number; special: number; slow: number; fast: number }) =>
    console.log(
      `[${label}] ${name}: ${r.total} samples, fast path ${r.fast} (${((100 * r.fast) / r.total).toFixed(1)}%), special ${r.special}, slow import ${r.slow}`,
    );

  test("hand-picked hard cases", async () => {
    const { fma: wasmFma } = await get();
    for (const [a, b, c] of HARD) {
      for (const [x, y, z] of [
        [a, b, c],
        [b, a, c],
        [-a, b, -c],
      ] as const) {
        const got = wasmFma(x, y, z);
        const want = fma(x, y, z);
        expect(same(got, want), `fma(${hex(x)}, ${hex(y)}, ${hex(z)}) = ${hex(got)}, want ${hex(want)}`).toBe(true);
        expect(same(tsFma(x, y, z), want), `f64.ts fma(${hex(x)}, ${hex(y)}, ${hex(z)}) = ${hex(tsFma(x, y, z))}, want ${hex(want)}`).toBe(true);
      }
    }
    // double rounding: fma differs from a*b+c here
    const [a, b] = [(1 + P(-27)) * P(-53), 1 - P(-27)];
    expect(wasmFma(a, b, 1 + ULP1)).toBe(1 + ULP1);
    expect(a * b + (1 + ULP1)).toBe(1 + 2 * ULP1);
    expect(Object.is(wasmFma(3, 5, -15), 0)).toBe(true);
    expect(Object.is(wasmFma(-0, 5, -0), -0)).toBe(true);
    // a·b = 2e308 overflows alone, the fused sum 1e308 does not
    expect(1e308 * 2 - 1e308).toBe(Infinity);
    expect(wasmFma(1e308, 2, -1e308)).toBe(1e308);
  });

  test("mandelbrot iterations: z ← z² + c with fma, bit for bit", async () => {
    const { fma: wasmFma, slowCalls } = await get();
    const slowBefore = slowCalls();
    let steps = 0;
    for (let py = 0; py < 24; py++) {
      for (let px = 0; px < 32; px++) {
        const cr = (2 * px) / 32 - 1.5;
        const ci = (2 * py) / 24 - 1;
        let [zr, zi, wr, wi] = [0, 0, 0, 0];
        for (let i = 0; i < 50 && zr * zr + zi * zi <= 4; i++) {
          // zr' = zr·zr − (zi·zi − cr), zi' = (2·zr)·zi + ci, each with one fma
          const nr = fma(zr, zr, -fma(zi, zi, -cr));
          const ni = fma(2 * zr, zi, ci);
          const mr = wasmFma(wr, wr, -wasmFma(wi, wi, -cr));
          const mi = wasmFma(2 * wr, wi, ci);
          expect(same(mr, nr) && same(mi, ni), `step ${i} at (${cr}, ${ci})`).toBe(true);
          [zr, zi, wr, wi] = [nr, ni, mr, mi];
          steps++;
        }
      }
    }
    expect(steps).toBeGreaterThan(10_000);
    // values stay in the fast range: the slow path is for underflow/overflow only
    expect(slowCalls() - slowBefore).toBe(0);
  });

  test("property: random operands agree bit for bit (≥ 20,000 samples)", async () => {
    const runs = [
      ["fc.double() triples", await check(fc.tuple(fc.double(), fc.double(), fc.double()), 6_000, 1)],
      ["random-bit triples", await check(fc.tuple(fromBits, fromBits, fromBits), 6_000, 2)],
      ["mixed triples", await check(fc.tuple(anyDouble, anyDouble, anyDouble), 6_000, 3)],
      ["mandelbrot-range triples", await check(fc.tuple(mandelValue, mandelValue, mandelValue), 6_000, 4)],
      ["hard triples (cancellation, ties)", await check(hardTriple, 12_000, 5)],
      ["double-rounding triples", await check(tieTriple, 12_000, 6)],
    ] as const;
    for (const [name, r] of runs) report(name, r);
    const total = runs.reduce((n, [, r]) => n + r.total, 0);
    expect(total).toBeGreaterThanOrEqual(20_000);
    const mandel = runs[3][1];
    // every mandelbrot-range triple is nonzero, finite and inside the fast bounds
    expect(mandel.fast / mandel.total).toBeGreaterThan(0.99);
    const hard = runs[4][1];
    expect(hard.fast / hard.total).toBeGreaterThan(0.9);
    const ties = runs[5][1];
    expect(ties.fast / ties.total).toBeGreaterThan(0.9);
  });
});
