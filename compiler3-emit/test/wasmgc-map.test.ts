// Maps i64 → i64 in WasmGC (map-ops.ts; ir.md §8.5 ops 41–43, 85, 86): a
// fixture module exports new/set/get/has/len wrappers; random op sequences
// are compared with a JS Map model (fast-check), unoptimised and after
// binaryen -O, plus growth, the hash's spread, null maps and Cell casts.

import fc from "fast-check";
import { afterAll, describe, expect, test } from "vitest";
import { binaryen, i64Const, newWasmGcModule } from "../src/wasm/binaryen.ts";
import { engineValidates, instantiateWasmGc, trapCodeOf } from "../src/wasmgc/instantiate.ts";
import { MAP_OPS, installMapOps, mapHomeSlot, mapHomeSlotExpr } from "../src/wasmgc/map-ops.ts";
import { buildRuntimeTypes } from "../src/wasmgc/runtime-types.ts";
import { TrapCode } from "../src/wasm/trap.ts";

const INT48_MIN = -(2n ** 47n);
const INT48_MAX = 2n ** 47n - 1n;

interface MapExports {
  new_map(): unknown;
  set(map: unknown, key: bigint, value: bigint): void;
  get(map: unknown, key: bigint): bigint;
  has(map: unknown, key: bigint): number;
  len(map: unknown): bigint;
  /** Sets keys base + i·stride → i for i in [0, n), then returns the sum of get over the same keys. */
  fill_sum(n: bigint, base: bigint, stride: bigint): bigint;
  home_slot(key: bigint, mask: number): number;
  as_map_len(cell: unknown): bigint;
  as_map_or_null_is_null(cell: unknown): number;
  /** 0: an I64Box, 1: an I64Array (another heap type), as a Cell → as_map's trap. */
  as_map_len_of(kind: number): bigint;
  null_get(): bigint;
  null_set(): void;
  null_has(): number;
  null_len(): bigint;
}

const modules: binaryen.Module[] = [];
afterAll(() => {
  for (const m of modules) m.dispose();
});

function buildMapModule(): binaryen.Module {
  const m = newWasmGcModule();
  const t = buildRuntimeTypes(m, []);
  const maps = installMapOps(m, t);
  expect(installMapOps(m, t)).toBeDefined(); // a second install adds nothing (would fail on duplicate names)
  const { i32, i64, eqref, none } = binaryen;
  const M = t.mapI64.refNull;
  const fn = (name: string, params: binaryen.Type[], result: binaryen.Type, vars: binaryen.Type[], body: binaryen.ExpressionRef) => {
    m.addFunction(name, binaryen.createType(params), result, vars, body);
    m.addFunctionExport(name, name);
  };
  const get = (i: number, type: binaryen.Type) => m.local.get(i, type);
  fn("new_map", [], t.mapI64.ref, [], maps.newMap());
  fn("set", [M, i64, i64], none, [], maps.set(get(0, M), get(1, i64), get(2, i64)));
  fn("get", [M, i64], i64, [], maps.get(get(0, M), get(1, i64)));
  fn("has", [M, i64], i32, [], maps.has(get(0, M), get(1, i64)));
  fn("len", [M], i64, [], maps.len(get(0, M)));
  fn("home_slot", [i64, i32], i32, [i64], mapHomeSlotExpr(m, get(0, i64), get(1, i32), 2));
  // fill_sum(n, base, stride): params 0 n, 1 base, 2 stride; locals 3 map, 4 i, 5 sum
  const key = () => m.i64.add(get(1, i64), m.i64.mul(get(4, i64), get(2, i64)));
  const loop = (label: string, body: binaryen.ExpressionRef) =>
    m.block(null, [
      m.local.set(4, m.i64.const(0n)),
      m.loop(
        label,
        m.if(m.i64.lt_s(get(4, i64), get(0, i64)), m.block(null, [body, m.local.set(4, m.i64.add(get(4, i64), m.i64.const(1n))), m.br(label)])),
      ),
    ]);
  fn(
    "fill_sum",
    [i64, i64, i64],
    i64,
    [M, i64, i64],
    m.block(
      null,
      [
        m.local.set(3, maps.newMap()),
        loop("fill", maps.set(get(3, M), key(), get(4, i64))),
        m.local.set(5, m.i64.const(0n)),
        loop("sum", m.local.set(5, m.i64.add(get(5, i64), maps.get(get(3, M), key())))),
        m.if(m.i64.ne(maps.len(get(3, M)), get(0, i64)), m.unreachable()),
        get(5, i64),
      ],
      i64,
    ),
  );
  fn("as_map_len", [eqref], i64, [], maps.len(maps.fromCell(get(0, eqref))));
  fn("as_map_or_null_is_null", [eqref], i32, [], m.ref.is_null(maps.fromCellOrNull(get(0, eqref))));
  fn(
    "as_map_len_of",
    [i32],
    i64,
    [],
    maps.len(
      maps.fromCell(
        m.if(
          m.i32.eqz(get(0, i32)),
          m.struct.new([i64Const(m, 2n ** 40n)], t.i64Box.heap),
          m.array.new_default(t.i64Array.heap, m.i32.const(1)),
        ),
      ),
    ),
  );
  const nul = () => m.ref.null(binaryen.nullref);
  fn("null_get", [], i64, [], maps.get(nul(), m.i64.const(1n)));
  fn("null_set", [], none, [], maps.set(nul(), m.i64.const(1n), m.i64.const(2n)));
  fn("null_has", [], i32, [], maps.has(nul(), m.i64.const(1n)));
  fn("null_len", [], i64, [], maps.len(nul()));
  return m;
}

test("the runtime functions are named vm3.map_*", () => {
  const m = buildMapModule();
  modules.push(m);
  for (const name of Object.values(MAP_OPS)) expect(m.getFunction(name), name).not.toBe(0);
});

/** The hash spreads sequential, strided and high-bit keys: linear probing at load 1/2 stays short. */
test("home slots: the Wasm hash is mapHomeSlot, and it spreads the key patterns", async () => {
  const m = buildMapModule();
  modules.push(m);
  expect(m.validate()).toBe(1);
  const e = (await instantiateWasmGc(m.emitBinary())) as unknown as MapExports;
  const keyArb = fc.oneof(fc.bigInt({ min: INT48_MIN, max: INT48_MAX }), fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }));
  fc.assert(
    fc.property(keyArb, fc.integer({ min: 4, max: 31 }), (key, bits) => {
      expect(e.home_slot(key, 2 ** bits - 1)).toBe(mapHomeSlot(key, bits));
    }),
    { numRuns: 2000 },
  );
  // Insert 2^(bits-1) keys of a pattern into 2^bits slots (load 1/2) with linear probing;
  // mean probes per insert stays near the 1.5 of a uniform hash for every pattern, the
  // longest probe short (a single Fibonacci multiplication gave 5.1 for stride 2^16).
  const bits = 17;
  const slots = 2 ** bits;
  const n = slots / 2;
  const patterns: [string, (i: number) => bigint][] = [
    ["sequential", (i) => BigInt(i)],
    ["negative", (i) => -BigInt(i) - 1n],
    ["stride 2^16", (i) => BigInt(i) << 16n],
    ["stride 2^24", (i) => BigInt(i) << 24n],
    ["stride 2^30", (i) => BigInt(i) << 30n],
    ["high bits (i << 31)", (i) => BigInt(i) << 31n],
    ["stride 2^32", (i) => BigInt(i) << 32n],
    ["high bits (i << 40)", (i) => BigInt(i) << 40n],
    ["i·2^32 + i", (i) => (BigInt(i) << 32n) | BigInt(i)],
    ["2-bit nucleotide codes, 8 chars", (i) => BigInt(i) * 4n + 3n],
    ["around -2^47", (i) => INT48_MIN + BigInt(i)],
    ["around 2^47 - 1", (i) => INT48_MAX - BigInt(i)],
  ];
  for (const [name, key] of patterns) {
    const table = new Int32Array(slots).fill(-1);
    let probes = 0;
    let longest = 0;
    for (let i = 0; i < n; i++) {
      let s = mapHomeSlot(key(i), bits);
      let p = 1;
      while (table[s] !== -1) {
        s = (s + 1) & (slots - 1);
        p++;
      }
      table[s] = i;
      probes += p;
      longest = Math.max(longest, p);
    }
    expect(probes / n, `${name}: mean probes`).toBeLessThan(1.7);
    expect(longest, `${name}: longest probe`).toBeLessThan(80);
  }
});

describe.each([
  ["unoptimised", false],
  ["optimised (-O)", true],
])("vm3.map_*.i64, %s", (label, optimise) => {
  let loaded: Promise<MapExports> | undefined;
  const load = () =>
    (loaded ??= (async () => {
      const m = buildMapModule();
      modules.push(m);
      expect(m.validate()).toBe(1);
      if (optimise) {
        m.optimize();
        expect(m.validate()).toBe(1);
      }
      const binary = m.emitBinary();
      expect(engineValidates(binary)).toBe(true);
      return (await instantiateWasmGc(binary)) as unknown as MapExports;
    })());

  test("an empty map: len 0, absent keys read 0", async () => {
    const e = await load();
    const map = e.new_map();
    expect(e.len(map)).toBe(0n);
    for (const k of [0n, -1n, 1n, INT48_MAX, INT48_MIN]) {
      expect(e.get(map, k)).toBe(0n);
      expect(e.has(map, k)).toBe(0);
    }
  });

  test("edge keys, overwrite, value 0 is present", async () => {
    const e = await load();
    const map = e.new_map();
    const keys = [0n, -1n, 1n, INT48_MAX, INT48_MIN, 2n ** 32n, -(2n ** 32n), 2n ** 40n];
    keys.forEach((k, i) => e.set(map, k, BigInt(i) * 1000n - 3n));
    expect(e.len(map)).toBe(BigInt(keys.length));
    keys.forEach((k, i) => expect(e.get(map, k)).toBe(BigInt(i) * 1000n - 3n));
    e.set(map, INT48_MIN, 7n);
    e.set(map, 0n, 0n);
    expect(e.len(map)).toBe(BigInt(keys.length));
    expect(e.get(map, INT48_MIN)).toBe(7n);
    expect(e.get(map, 0n)).toBe(0n);
    expect(e.has(map, 0n)).toBe(1);
    expect(e.has(map, 2n)).toBe(0);
    // the map stores any i64 (the 48-bit checks are the emitter's)
    e.set(map, 2n ** 62n, -(2n ** 63n));
    expect(e.get(map, 2n ** 62n)).toBe(-(2n ** 63n));
  });

  test("property: random op sequences agree with a JS Map", async () => {
    const e = await load();
    const edge = fc.constantFrom(0n, -1n, 1n, INT48_MAX, INT48_MIN, 2n ** 40n, -(2n ** 40n), 2n ** 24n);
    const key = fc.oneof(edge, fc.bigInt({ min: -20n, max: 40n }), fc.bigInt({ min: INT48_MIN, max: INT48_MAX }));
    const value = fc.oneof(fc.constant(0n), fc.bigInt({ min: INT48_MIN, max: INT48_MAX }));
    const op = fc.oneof(
      fc.record({ op: fc.constant("set" as const), key, value }),
      fc.record({ op: fc.constant("set" as const), key, value }),
      fc.record({ op: fc.constant("get" as const), key }),
      fc.record({ op: fc.constant("has" as const), key }),
      fc.record({ op: fc.constant("len" as const) }),
      // a run of sequential keys from a random base: forces growth
      fc.record({ op: fc.constant("fill" as const), key, count: fc.integer({ min: 1, max: 300 }) }),
    );
    let ops = 0;
    fc.assert(
      fc.property(fc.array(op, { maxLength: 200, size: "max" }), (seq) => {
        const map = e.new_map();
        const model = new Map<bigint, bigint>();
        for (const o of seq) {
          ops++;
          switch (o.op) {
            case "set":
              e.set(map, o.key, o.value);
              model.set(o.key, o.value);
              break;
            case "get":
              expect(e.get(map, o.key)).toBe(model.get(o.key) ?? 0n);
              break;
            case "has":
              expect(e.has(map, o.key)).toBe(model.has(o.key) ? 1 : 0);
              break;
            case "len":
              expect(e.len(map)).toBe(BigInt(model.size));
              break;
            case "fill":
              for (let i = 0; i < o.count; i++) {
                const k = o.key + BigInt(i);
                e.set(map, k, k * 3n);
                model.set(k, k * 3n);
              }
              break;
          }
        }
        expect(e.len(map)).toBe(BigInt(model.size));
        for (const [k, v] of model) {
          expect(e.get(map, k)).toBe(v);
          expect(e.has(map, k)).toBe(1);
        }
      }),
      { numRuns: 300, seed: 42 },
    );
    console.log(`[${label}] map model: 300 sequences, ${ops} ops`);
  });

  test("growth: many sequential and strided keys", async () => {
    const e = await load();
    for (const n of [0, 1, 8, 9, 16, 17, 1000, 5000]) {
      const map = e.new_map();
      for (let i = 0; i < n; i++) e.set(map, BigInt(i), BigInt(i) * 2n + 1n);
      expect(e.len(map)).toBe(BigInt(n));
      for (let i = 0; i < n; i++) expect(e.get(map, BigInt(i))).toBe(BigInt(i) * 2n + 1n);
      expect(e.has(map, BigInt(n))).toBe(0);
      expect(e.has(map, -1n)).toBe(0);
    }
    // keys = base + i·stride, values i: the sum of gets is n(n-1)/2
    const sum = (n: bigint) => (n * (n - 1n)) / 2n;
    for (const [n, base, stride] of [
      [10_000n, 0n, 1n],
      [10_000n, -1n, -1n],
      [10_000n, 0n, 1n << 24n],
      [10_000n, INT48_MIN, 1n << 33n],
      [10_000n, INT48_MAX, -(1n << 20n)],
      [10_000n, 0n, 4n],
    ] as const) {
      expect(e.fill_sum(n, base, stride), `n ${n}, base ${base}, stride ${stride}`).toBe(sum(n));
    }
  });

  test("maps_fill_sum scale: 1,000,000 inserts then gets", async () => {
    const e = await load();
    for (const [name, stride] of [
      ["sequential", 1n],
      ["stride 2^24", 1n << 24n],
    ] as const) {
      const n = 1_000_000n;
      const start = performance.now();
      expect(e.fill_sum(n, 0n, stride)).toBe((n * (n - 1n)) / 2n);
      console.log(`[${label}] fill_sum 1e6 ${name}: ${(performance.now() - start).toFixed(0)} ms`);
    }
  });

  test("null map → NULL_DEREF; Cell casts use the handle check's codes", async () => {
    const e = await load();
    expect(trapCodeOf(() => e.null_get())).toBe(TrapCode.NULL_DEREF);
    expect(trapCodeOf(() => e.null_set())).toBe(TrapCode.NULL_DEREF);
    expect(trapCodeOf(() => e.null_has())).toBe(TrapCode.NULL_DEREF);
    expect(trapCodeOf(() => e.null_len())).toBe(TrapCode.NULL_DEREF);
    // a null passed in from the host
    expect(trapCodeOf(() => e.get(null, 1n))).toBe(TrapCode.NULL_DEREF);
    expect(trapCodeOf(() => e.set(null, 1n, 1n))).toBe(TrapCode.NULL_DEREF);
    expect(trapCodeOf(() => e.has(null, 1n))).toBe(TrapCode.NULL_DEREF);
    expect(trapCodeOf(() => e.len(null))).toBe(TrapCode.NULL_DEREF);

    const map = e.new_map();
    e.set(map, 5n, 6n);
    expect(e.as_map_len(map)).toBe(1n);
    expect(trapCodeOf(() => e.as_map_len(null))).toBe(TrapCode.NULL_DEREF);
    expect(trapCodeOf(() => e.as_map_len(5))).toBe(TrapCode.NOT_A_HANDLE); // an i31
    expect(trapCodeOf(() => e.as_map_len_of(0))).toBe(TrapCode.NOT_A_HANDLE); // an I64Box
    expect(trapCodeOf(() => e.as_map_len_of(1))).toBe(TrapCode.WRONG_ARENA);
    expect(e.as_map_or_null_is_null(null)).toBe(1);
    expect(e.as_map_or_null_is_null(map)).toBe(0);
    expect(trapCodeOf(() => e.as_map_or_null_is_null(5))).toBe(TrapCode.NOT_A_HANDLE);
  });
});
