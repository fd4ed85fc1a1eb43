// Maps i64 → i64 (ir.md §8.5 ops 41 newmap, 42 map.set.i64.i64, 43
// map.get.i64.i64, 85 map.has.i64, 86 map.len) over `vm3.MapI64` =
// struct { count: mut i32, keys: mut (ref I64Array), values: mut (ref I64Array),
// index: mut (ref I32Array) } (runtime-types.ts).
//
// A compact, insertion-ordered hash table (as CPython's dict, README "Maps"):
// keys[0..count) / values[0..count) hold the entries in insertion order, and
// `index` is an open-addressing table over them — linear probing, a
// power-of-two number of slots, each slot an entry number or -1 (empty). The
// IR has no delete, so there are no tombstones.
//
// Sizes: the entry arrays have capacity C (a power of two, 8 at first) and the
// index has 2C slots, so the load factor count / slots stays ≤ 1/2 and a probe
// sequence always meets an empty slot. When count reaches C the map grows:
// C doubles (array.copy of keys and values) and the index is rebuilt at 2C
// slots. A map holds at most MAX_KEYS = 2^24 keys (operations.md §3.1), so C
// stops at 2^24 and the index at 2^25 slots.
//
// Checks, as operations.md §3.2 map_*: a null map traps NULL_DEREF (the
// `handle(a, Map)` check: a typed (ref null MapI64) can only be null or a
// map); a new key when the map holds MAX_KEYS keys traps OUT_OF_MEMORY. The
// 48-bit range of keys and values (`value(b)`, `value(c)`) is checked by the
// emitter before the call, not here, and so is STALE_HANDLE: a freed map
// (lifetime.ts marks it count -1 with empty arrays) must not reach these.
//
// get and has allocate nothing; set allocates only when it grows the map.
// As in list-ops.ts, every operation is a runtime function the emitter calls.

import { binaryen, i64Const } from "../wasm/binaryen.ts";
import { addHandleCast } from "./handle-check.ts";
import type { RuntimeTypes } from "./runtime-types.ts";
import { TrapCode, addTrapImport, trapIf } from "../wasm/trap.ts";
import { MAX_KEYS } from "../../../ts-runtime/src/map-arena.ts";

/** Entry capacity of a new map (ir.md op 41 allocates one Map slot; the capacity is ours). */
export const MAP_INITIAL_CAPACITY = 8;
/** Index slots per entry of capacity: load factor ≤ 1/2. */
export const MAP_INDEX_PER_ENTRY = 2;
/**
 * The hash is the splitmix64 finalizer (Steele, Lea & Flood, "Fast splittable
 * pseudorandom number generators", OOPSLA 2014; Stafford's Mix13 constants):
 * x ^= x >>> 30; x *= M1; x ^= x >>> 27; x *= M2. The home slot is the TOP bits
 * of x, so the finalizer's last `x ^= x >>> 31` (which leaves them unchanged)
 * is left out. A single multiplication (Fibonacci hashing, x·2^64/φ) was
 * measured first and rejected: keys i·2^16 and i·2^32 clustered (5 and 4 probes
 * per insert at load 1/2, against 1.5 for a uniform hash); this mixer gives
 * 1.5 on sequential, negative, strided, high-bit and 2-bit-code keys alike
 * (test/wasmgc-map.test.ts).
 */
export const MAP_HASH_M1 = 0xbf58_476d_1ce4_e5b9n;
export const MAP_HASH_M2 = 0x94d0_49bb_1331_11ebn;

/** Struct field numbers of vm3.MapI64 (runtime-types.ts `mapOf`). */
const COUNT = 0;
const KEYS = 1;
const VALUES = 2;
const INDEX = 3;

const EMPTY = -1;

export const MAP_OPS = {
  new: "vm3.map_new.i64",
  get: "vm3.map_get.i64",
  set: "vm3.map_set.i64",
  has: "vm3.map_has.i64",
  len: "vm3.map_len.i64",
  grow: "vm3.map_grow.i64",
  asMap: "vm3.as_map.i64",
  asMapOrNull: "vm3.as_map_or_null.i64",
} as const;

/**
 * The home slot of `key` in an index of 2^b slots (1 ≤ b ≤ 31), as the Wasm
 * computes it: the top b bits of the mixed key (see MAP_HASH_M1). Exported for
 * tests.
 */
export function mapHomeSlot(key: bigint, bits: number): number {
  let x = BigInt.asUintN(64, key);
  x ^= x >> 30n;
  x = BigInt.asUintN(64, x * MAP_HASH_M1);
  x ^= x >> 27n;
  x = BigInt.asUintN(64, x * MAP_HASH_M2);
  return Number(x >> BigInt(64 - bits));
}

/**
 * mapHomeSlot as a Wasm i32 expression. `mask` = slots - 1 with slots = 2^b;
 * i32.clz(mask) = 32 - b, so the top b bits of x are (x >>> 32) >>> (32 - b).
 * `scratch` is an i64 local the expression may overwrite (each xor-shift reads
 * x twice: `local.tee` then `local.get`, left operand first). Exported so
 * tests can compare it with mapHomeSlot.
 */
export function mapHomeSlotExpr(
  m: binaryen.Module,
  key: binaryen.ExpressionRef,
  mask: binaryen.ExpressionRef,
  scratch: number,
): binaryen.ExpressionRef {
  const i64 = binaryen.i64;
  const xorShift = (x: binaryen.ExpressionRef, by: bigint) =>
    m.i64.xor(m.local.tee(scratch, x, i64), m.i64.shr_u(m.local.get(scratch, i64), m.i64.const(by)));
  const x1 = m.i64.mul(xorShift(key, 30n), i64Const(m, MAP_HASH_M1));
  const x2 = m.i64.mul(xorShift(x1, 27n), i64Const(m, MAP_HASH_M2));
  return m.i32.shr_u(m.i32.wrap(m.i64.shr_u(x2, m.i64.const(32n))), m.i32.clz(mask));
}

/** Call builders for the i64 → i64 map operations of one module. */
export interface MapOps {
  /** op 41 `newmap` → (ref MapI64): empty, capacity MAP_INITIAL_CAPACITY. */
  newMap(): binaryen.ExpressionRef;
  /** op 43: (ref null MapI64), i64 → i64: the value for key, 0 when absent; NULL_DEREF. */
  get(map: binaryen.ExpressionRef, key: binaryen.ExpressionRef): binaryen.ExpressionRef;
  /** op 42: (ref null MapI64), i64, i64 → none: insert or overwrite; NULL_DEREF, OUT_OF_MEMORY. */
  set(map: binaryen.ExpressionRef, key: binaryen.ExpressionRef, value: binaryen.ExpressionRef): binaryen.ExpressionRef;
  /** op 85: (ref null MapI64), i64 → i32 (0 or 1); NULL_DEREF. */
  has(map: binaryen.ExpressionRef, key: binaryen.ExpressionRef): binaryen.ExpressionRef;
  /** op 86: (ref null MapI64) → i64, the number of keys; NULL_DEREF. */
  len(map: binaryen.ExpressionRef): binaryen.ExpressionRef;
  /** eqref → (ref MapI64): the handle check (NULL_DEREF, NOT_A_HANDLE, WRONG_ARENA). */
  fromCell(cell: binaryen.ExpressionRef): binaryen.ExpressionRef;
  /** eqref → (ref null MapI64): ir.md's unbox.T (op 69), null passes (NOT_A_HANDLE, WRONG_ARENA). */
  fromCellOrNull(cell: binaryen.ExpressionRef): binaryen.ExpressionRef;
}

/** Adds the map runtime functions (`vm3.map_*.i64`, once per module) and returns their call builders. */
export function installMapOps(module: binaryen.Module, types: RuntimeTypes): MapOps {
  const m = module;
  const M = types.mapI64;
  const builders: MapOps = {
    newMap: () => m.call(MAP_OPS.new, [], M.ref),
    get: (map, key) => m.call(MAP_OPS.get, [map, key], binaryen.i64),
    set: (map, key, value) => m.call(MAP_OPS.set, [map, key, value], binaryen.none),
    has: (map, key) => m.call(MAP_OPS.has, [map, key], binaryen.i32),
    len: (map) => m.call(MAP_OPS.len, [map], binaryen.i64),
    fromCell: (cell) => m.call(MAP_OPS.asMap, [cell], M.ref),
    fromCellOrNull: (cell) => m.call(MAP_OPS.asMapOrNull, [cell], M.refNull),
  };
  if (m.getFunction(MAP_OPS.new) !== 0) return builders;
  addTrapImport(m);

  const { i32, i64 } = binaryen;
  const K = types.i64Array; // keys and values
  const X = types.i32Array; // index
  const get = (i: number, t: binaryen.Type) => m.local.get(i, t);
  const countOf = (map: binaryen.ExpressionRef) => m.struct.get(COUNT, map, i32, false);
  const keysOf = (map: binaryen.ExpressionRef) => m.struct.get(KEYS, map, K.ref, false);
  const valuesOf = (map: binaryen.ExpressionRef) => m.struct.get(VALUES, map, K.ref, false);
  const indexOf = (map: binaryen.ExpressionRef) => m.struct.get(INDEX, map, X.ref, false);
  const nullCheck = (map: binaryen.ExpressionRef) => trapIf(m, m.ref.is_null(map), TrapCode.NULL_DEREF);
  const freshIndex = (slots: binaryen.ExpressionRef) => m.array.new(X.heap, slots, m.i32.const(EMPTY));

  const nextSlot = (slot: binaryen.ExpressionRef, mask: binaryen.ExpressionRef) => m.i32.and(m.i32.add(slot, m.i32.const(1)), mask);

  // new() -> (ref MapI64)
  m.addFunction(
    MAP_OPS.new,
    binaryen.none,
    M.ref,
    [],
    m.struct.new(
      [
        m.i32.const(0),
        m.array.new_default(K.heap, m.i32.const(MAP_INITIAL_CAPACITY)),
        m.array.new_default(K.heap, m.i32.const(MAP_INITIAL_CAPACITY)),
        freshIndex(m.i32.const(MAP_INITIAL_CAPACITY * MAP_INDEX_PER_ENTRY)),
      ],
      M.heap,
    ),
  );

  // len(map) -> i64
  m.addFunction(MAP_OPS.len, M.refNull, i64, [], m.block(null, [nullCheck(get(0, M.refNull)), m.i64.extend_u(countOf(get(0, M.refNull)))], i64));

  // get / has: params 0 map, 1 key; locals 2 keys, 3 index, 4 mask, 5 slot, 6 entry, 7 hash scratch.
  // The probe stops at the key's entry or at the first empty slot (there is
  // always one: load ≤ 1/2).
  const lookup = (name: string, result: binaryen.Type, found: (entry: binaryen.ExpressionRef) => binaryen.ExpressionRef, absent: binaryen.ExpressionRef) => {
    const map = () => get(0, M.refNull);
    const key = () => get(1, i64);
    const keys = () => get(2, K.ref);
    const index = () => get(3, X.ref);
    const mask = () => get(4, i32);
    const slot = () => get(5, i32);
    const entry = () => get(6, i32);
    m.addFunction(
      name,
      binaryen.createType([M.refNull, i64]),
      result,
      [K.ref, X.ref, i32, i32, i32, i64], // non-nullable locals: set before their gets in the same block
      m.block(
        null,
        [
          nullCheck(map()),
          m.local.set(2, keysOf(map())),
          m.local.set(3, indexOf(map())),
          m.local.set(4, m.i32.sub(m.array.len(index()), m.i32.const(1))),
          m.local.set(5, mapHomeSlotExpr(m, key(), mask(), 7)),
          m.loop(
            "probe",
            m.block(null, [
              m.local.set(6, m.array.get(index(), slot(), i32, false)),
              m.if(m.i32.eq(entry(), m.i32.const(EMPTY)), m.return(absent)),
              m.if(m.i64.eq(m.array.get(keys(), entry(), i64, false), key()), m.return(found(entry()))),
              m.local.set(5, nextSlot(slot(), mask())),
              m.br("probe"),
            ]),
          ),
          m.unreachable(),
        ],
        result,
      ),
    );
  };
  lookup(MAP_OPS.get, i64, (entry) => m.array.get(valuesOf(get(0, M.refNull)), entry, i64, false), m.i64.const(0n));
  lookup(MAP_OPS.has, i32, () => m.i32.const(1), m.i32.const(0));

  // grow(map): capacity C → 2C, index rebuilt at 2C slots. Capacities are powers of two from
  // MAP_INITIAL_CAPACITY, and set traps at MAX_KEYS = 2^24 keys before it would grow past it.
  // Called by set when count == C. Params 0 map (non-null); locals 1 count, 2 capacity,
  // 3 keys, 4 values, 5 index, 6 mask, 7 entry, 8 slot, 9 hash scratch.
  {
    const map = () => get(0, M.ref);
    const count = () => get(1, i32);
    const capacity = () => get(2, i32);
    const keys = () => get(3, K.ref);
    const values = () => get(4, K.ref);
    const index = () => get(5, X.ref);
    const mask = () => get(6, i32);
    const entry = () => get(7, i32);
    const slot = () => get(8, i32);
    m.addFunction(
      MAP_OPS.grow,
      M.ref,
      binaryen.none,
      [i32, i32, K.ref, K.ref, X.ref, i32, i32, i32, i64],
      m.block(null, [
        m.local.set(1, countOf(map())),
        m.local.set(
          2,
          m.i32.shl(m.array.len(keysOf(map())), m.i32.const(1)),
        ),
        m.local.set(3, m.array.new_default(K.heap, capacity())),
        m.array.copy(keys(), m.i32.const(0), keysOf(map()), m.i32.const(0), count()),
        m.local.set(4, m.array.new_default(K.heap, capacity())),
        m.array.copy(values(), m.i32.const(0), valuesOf(map()), m.i32.const(0), count()),
        m.local.set(5, freshIndex(m.i32.shl(capacity(), m.i32.const(1)))),
        m.local.set(6, m.i32.sub(m.array.len(index()), m.i32.const(1))),
        m.local.set(7, m.i32.const(0)),
        m.loop(
          "rehash",
          m.if(
            m.i32.lt_u(entry(), count()),
            m.block(null, [
              m.local.set(8, mapHomeSlotExpr(m, m.array.get(keys(), entry(), i64, false), mask(), 9)),
              // keys are distinct: only an empty slot is looked for
              m.loop(
                "free",
                m.if(
                  m.i32.ne(m.array.get(index(), slot(), i32, false), m.i32.const(EMPTY)),
                  m.block(null, [m.local.set(8, nextSlot(slot(), mask())), m.br("free")]),
                ),
              ),
              m.array.set(index(), slot(), entry()),
              m.local.set(7, m.i32.add(entry(), m.i32.const(1))),
              m.br("rehash"),
            ]),
          ),
        ),
        m.struct.set(KEYS, map(), keys()),
        m.struct.set(VALUES, map(), values()),
        m.struct.set(INDEX, map(), index()),
      ]),
    );
  }

  // set(map, key, value): params 0 map, 1 key, 2 value; locals 3 keys, 4 index, 5 mask,
  // 6 slot, 7 entry, 8 count, 9 hash scratch.
  {
    const map = () => get(0, M.refNull);
    const key = () => get(1, i64);
    const value = () => get(2, i64);
    const keys = () => get(3, K.ref);
    const index = () => get(4, X.ref);
    const mask = () => get(5, i32);
    const slot = () => get(6, i32);
    const entry = () => get(7, i32);
    const count = () => get(8, i32);
    // fresh expressions each time: a binaryen expression has one parent
    const load = () => [
      m.local.set(3, keysOf(map())),
      m.local.set(4, indexOf(map())),
      m.local.set(5, m.i32.sub(m.array.len(index()), m.i32.const(1))),
      m.local.set(6, mapHomeSlotExpr(m, key(), mask(), 9)),
    ];
    m.addFunction(
      MAP_OPS.set,
      binaryen.createType([M.refNull, i64, i64]),
      binaryen.none,
      [K.ref, X.ref, i32, i32, i32, i32, i64],
      m.block(null, [
        nullCheck(map()),
        ...load(),
        m.block("absent", [
          m.loop(
            "probe",
            m.block(null, [
              m.local.set(7, m.array.get(index(), slot(), i32, false)),
              m.br("absent", m.i32.eq(entry(), m.i32.const(EMPTY))),
              m.if(
                m.i64.eq(m.array.get(keys(), entry(), i64, false), key()),
                m.block(null, [m.array.set(valuesOf(map()), entry(), value()), m.return()]),
              ),
              m.local.set(6, nextSlot(slot(), mask())),
              m.br("probe"),
            ]),
          ),
        ]),
        // a new key, to go into entry `count` and the empty slot `slot`
        m.local.set(8, countOf(map())),
        m.if(
          m.i32.eq(count(), m.array.len(keys())),
          m.block(null, [
            trapIf(m, m.i32.eq(count(), m.i32.const(MAX_KEYS)), TrapCode.OUT_OF_MEMORY),
            m.call(MAP_OPS.grow, [m.ref.as_non_null(map())], binaryen.none),
            // the arrays and the mask changed: find the key's empty slot in the new index
            ...load(),
            m.loop(
              "free",
              m.if(
                m.i32.ne(m.array.get(index(), slot(), i32, false), m.i32.const(EMPTY)),
                m.block(null, [m.local.set(6, nextSlot(slot(), mask())), m.br("free")]),
              ),
            ),
          ]),
        ),
        m.array.set(keys(), count(), key()),
        m.array.set(valuesOf(map()), count(), value()),
        m.array.set(index(), slot(), count()),
        m.struct.set(COUNT, map(), m.i32.add(count(), m.i32.const(1))),
      ]),
    );
  }

  addHandleCast(m, types, M, MAP_OPS.asMap);
  addHandleCast(m, types, M, MAP_OPS.asMapOrNull, true);
  return builders;
}
