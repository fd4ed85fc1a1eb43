// The WasmGC runtime type layer, end to end: build a module with small
// exported functions over every helper, validate it with binaryen, run it in
// Node's V8 (unoptimised and after binaryen -O), and compare results and
// vm3 trap codes.

import { afterAll, describe, expect, test } from "vitest";
import type { binaryen } from "../src/wasm/binaryen.ts";
import { newWasmGcModule } from "../src/wasm/binaryen.ts";
import { buildRuntimeTypes } from "../src/wasmgc/runtime-types.ts";
import { KIND_MISMATCH } from "../src/wasmgc/cell-ops.ts";
import { buildTestModule } from "./wasmgc-fixture.ts";
import { TrapCode } from "../src/wasm/trap.ts";
import { engineValidates, instantiateWasmGc, trapCodeOf } from "../src/wasmgc/instantiate.ts";

type Exports = Record<string, unknown>;

const modules: binaryen.Module[] = [];
afterAll(() => {
  for (const m of modules) m.dispose();
});

describe.each([
  ["unoptimised", false],
  ["optimised (-O)", true],
])("WasmGC runtime types, %s", (_label, optimise) => {
  let exportsPromise: Promise<Exports> | undefined;
  const load = (): Promise<Exports> => {
    exportsPromise ??= (async () => {
      const m = buildTestModule();
      modules.push(m);
      expect(m.validate()).toBe(1);
      if (optimise) {
        m.optimize();
        expect(m.validate()).toBe(1);
      }
      const binary = m.emitBinary();
      expect(engineValidates(binary)).toBe(true);
      return instantiateWasmGc(binary);
    })();
    return exportsPromise;
  };
  const call = async (name: string, ...args: unknown[]): Promise<unknown> => {
    const e = await load();
    const f = e[name] as ((...a: unknown[]) => unknown) | undefined;
    if (f === undefined) throw new Error(`no export ${name}`);
    return f(...args);
  };
  const trapCode = async (name: string, ...args: unknown[]): Promise<number> => {
    const e = await load();
    const f = e[name] as (...a: unknown[]) => unknown;
    return trapCodeOf(() => f(...args));
  };

  test("i64 boxing follows the canonical integer rule", async () => {
    const edges = [0n, 1n, -1n, 2n ** 30n - 1n, -(2n ** 30n), 2n ** 30n, -(2n ** 30n) - 1n, 2n ** 47n - 1n, -(2n ** 47n), 123456789012n];
    for (const v of edges) {
      expect(await call("box_unbox", v)).toBe(v);
      const small = v >= -(2n ** 30n) && v < 2n ** 30n;
      expect(await call("box_kind", v)).toBe(small ? 0 : 1);
      expect(await call("check_int48", v)).toBe(v);
    }
    for (const v of [2n ** 47n, -(2n ** 47n) - 1n, 2n ** 62n, -(2n ** 63n)]) {
      expect(await trapCode("box_unbox", v)).toBe(TrapCode.INT_OVERFLOW);
      expect(await trapCode("check_int48", v)).toBe(TrapCode.INT_OVERFLOW);
    }
  });

  test("f64 and bool round trips; bools are two singletons", async () => {
    for (const x of [0, -0, 1.5, -1e300, Infinity, -Infinity]) expect(Object.is(await call("f64_round_trip", x), x)).toBe(true);
    expect(Number.isNaN(await call("f64_round_trip", NaN))).toBe(true);
    expect(await call("bool_round_trip", 0)).toBe(0);
    expect(await call("bool_round_trip", 1)).toBe(1);
    expect(await call("bool_round_trip", 42)).toBe(1);
    expect(await call("bool_same_box", 1, 5)).toBe(1);
    expect(await call("bool_same_box", 0, 0)).toBe(1);
    expect(await call("bool_same_box", 0, 1)).toBe(0);
  });

  test("unboxing the wrong kind traps with the spec's codes", async () => {
    expect(KIND_MISMATCH).toBe(14); // WRONG_TYPE in trap.proto

    // kinds: 0 null, 1 i31, 2 I64Box, 3 F64Box, 4 bool, 5 list, 6 shape A
    expect(await call("unbox_i64_of", 1)).toBe(7n);
    expect(await call("unbox_i64_of", 2)).toBe(2n ** 40n);
    expect(await call("unbox_f64_of", 3)).toBe(1.5);
    expect(await call("unbox_bool_of", 4)).toBe(1);
    for (const f of ["unbox_i64_of", "unbox_f64_of", "unbox_bool_of"]) expect(await trapCode(f, 0)).toBe(KIND_MISMATCH);
    for (const k of [3, 4, 5, 6]) expect(await trapCode("unbox_i64_of", k)).toBe(KIND_MISMATCH);
    for (const k of [1, 2, 4, 5, 6]) expect(await trapCode("unbox_f64_of", k)).toBe(KIND_MISMATCH);
    for (const k of [1, 2, 3, 5, 6]) expect(await trapCode("unbox_bool_of", k)).toBe(KIND_MISMATCH);
  });

  test("a Cell used as a list gets the handle check's codes", async () => {
    expect(await call("as_list_len_of", 5)).toBe(0n);
    expect(await trapCode("as_list_len_of", 0)).toBe(TrapCode.NULL_DEREF);
    for (const k of [1, 2, 3, 4]) expect(await trapCode("as_list_len_of", k)).toBe(TrapCode.NOT_A_HANDLE);
    expect(await trapCode("as_list_len_of", 6)).toBe(TrapCode.WRONG_ARENA);
    expect(await call("as_list_or_null_of", 0)).toBe(1);
    expect(await call("as_list_or_null_of", 5)).toBe(0);
    for (const k of [1, 2, 3, 4]) expect(await trapCode("as_list_or_null_of", k)).toBe(TrapCode.NOT_A_HANDLE);
    expect(await trapCode("as_list_or_null_of", 6)).toBe(TrapCode.WRONG_ARENA);
  });

  test("list push (doubling), len, get, set", async () => {
    const sum = (n: bigint, k: bigint) => (k * n * (n - 1n)) / 2n;
    for (const n of [0n, 1n, 3n, 4n, 5n, 100n, 1000n]) {
      expect(await call("list_sum", n, 1n)).toBe(sum(n, 1n));
      expect(await call("list_sum", n, 3_000_000n)).toBe(sum(n, 3_000_000n)); // past i31: I64Boxes
    }
    expect(await call("list_new_len", 0n)).toBe(0n);
    expect(await call("list_new_len", 9n)).toBe(9n);
    expect(await call("list_set_get", 5n, 4n, -(2n ** 40n))).toBe(-(2n ** 40n));
    expect(await trapCode("list_get_at", 3n, 0n)).toBe(KIND_MISMATCH); // a fresh list holds nulls
  });

  test("list traps: OUT_OF_BOUNDS, NULL_DEREF, BAD_ARGUMENT", async () => {
    for (const [len, i] of [
      [0n, 0n],
      [3n, 3n],
      [3n, -1n],
      [3n, 2n ** 32n],
      [3n, -(2n ** 63n)],
    ] as const) {
      expect(await trapCode("list_get_at", len, i)).toBe(TrapCode.OUT_OF_BOUNDS);
      expect(await trapCode("list_set_get", len, i, 1n)).toBe(TrapCode.OUT_OF_BOUNDS);
    }
    expect(await trapCode("null_list_len")).toBe(TrapCode.NULL_DEREF);
    expect(await trapCode("null_list_push")).toBe(TrapCode.NULL_DEREF);
    expect(await trapCode("list_new_len", -1n)).toBe(TrapCode.BAD_ARGUMENT);
    expect(await trapCode("list_new_len", 2n ** 31n)).toBe(TrapCode.BAD_ARGUMENT);
  });

  test("typed lists", async () => {
    expect(await call("f64_list_sum", 10n)).toBe(22.5);
    expect(await call("f64_list_sum", 0n)).toBe(0);
    expect(await call("u8_push_get", 200)).toBe(200);
    expect(await call("u8_push_get", 0x1ff)).toBe(0xff);
  });

  test("struct shapes: recursion, distinct identical layouts, packed bool", async () => {
    expect(await call("node_chain_sum", 0n)).toBe(0n);
    expect(await call("node_chain_sum", 100n)).toBe(5050n);
    expect(await call("shape_tests")).toBe(0b01001);
    expect(await call("string_is_u8array")).toBe(0);
    expect(await call("all_defaults")).toBe(1);
  });
});

test("a field referring to a missing shape is refused", () => {
  const m = newWasmGcModule();
  try {
    expect(() => buildRuntimeTypes(m, [{ name: "X", fields: [{ kind: { shape: 1 } }] }])).toThrow(RangeError);
  } finally {
    m.dispose();
  }
});
