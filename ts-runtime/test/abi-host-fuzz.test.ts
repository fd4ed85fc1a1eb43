// Hostile guests (handle-abi.md §10.3): every vm3 import called directly with
// random i64 Cells — live and freed handles, forged arenas, generations and
// slots, reserved tags, invalid patterns, random bits — and random integers
// over the whole i64 / i32 range, on heaps with and without small limits.
// The only allowed outcomes are a result of the import's type or a Trap with
// a code of traps.md; a trap changes nothing (outside AUTO, whose collection
// stays done: there, live slots keep their contents); a completed call
// changes no slot but the one it names (and, when it collected, frees only);
// and the heap's invariants hold after every call.
//
// VM3_ABI_FUZZ_RUNS sets the number of sequences (default 2,000).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { cellArg, type ImportName, LivePeak, type MemoryRef, vm3Imports } from "../src/abi-host/index.ts";
import { wasm } from "../src/abi-host/wasm-api.ts";
import { Arena, type Cell, CELL_NULL, cellFromF64, cellFromInt, Heap, type HeapConfig, makeHandle, Trap, TrapCode, validateCell } from "../src/index.ts";
import { specImports } from "./spec-imports.ts";

const RUNS = Number(process.env.VM3_ABI_FUZZ_RUNS ?? 2000);
const SPEC = specImports();
const NAMES = [...SPEC.keys()] as ImportName[];
const SPEC_CODES = new Set<number>(Object.values(TrapCode).filter((c) => c !== TrapCode.TRAP_NONE));

// Imports that change the slot their first Cell argument names.
const MUTATES_FIRST = new Set<string>([
  "list_set", "list_push", "struct_set", "map_set", "f64arr_set", "f64arr_push", "i64arr_set", "i64arr_push", "free", "pin", "unpin",
]);

/** A Cell argument, resolved against the sequence's pool of results when the call runs. */
type CellArg =
  | { pool: number }
  | { poolOf: number; pool: number }
  | { forgeArena: number; pool: number }
  | { forgeGeneration: number; pool: number }
  | { forgeSlot: number; pool: number }
  | { bits: bigint };

const u64 = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n });
const RESERVED_TAGS = [0xfff8n, 0xfff9n, 0xfffdn, 0xfffen];
const INVALID = [
  0x7ff0_0000_0000_0001n, 0x7ff8_0000_0000_0001n, 0xfffa_0000_0000_0005n, 0xfffb_0000_0000_0002n, 0xfffc_0000_0000_0001n,
  0xffff_e000_0000_0000n, 0xffff_f000_0000_0001n, 0xffff_c001_0000_0000n, 0xffff_c000_8000_0000n,
];
const VALID_SCALARS = [CELL_NULL, cellFromInt(0), cellFromInt(-1), cellFromInt(3), cellFromInt(2 ** 40), cellFromF64(-0), cellFromF64(1.5), cellFromF64(NaN), 0xfffb_0000_0000_0001n];

const cellArb: fc.Arbitrary<CellArg> = fc.oneof(
  { weight: 6, arbitrary: fc.noBias(fc.nat(1 << 16)).map((pool) => ({ pool })) },
  // A pool Cell of one heap arena (live, or stale by now), so the handle checks pass often.
  { weight: 6, arbitrary: fc.record({ poolOf: fc.constantFrom(Arena.STRING, Arena.LIST, Arena.MAP, Arena.STRUCT, Arena.F64_ARR, Arena.I64_ARR, Arena.HOST), pool: fc.noBias(fc.nat(1 << 16)) }) },
  { weight: 2, arbitrary: fc.record({ forgeArena: fc.integer({ min: 0, max: 15 }), pool: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ forgeGeneration: fc.oneof(fc.integer({ min: 0, max: 3 }), fc.constant(4095)), pool: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ forgeSlot: fc.oneof(fc.integer({ min: -1, max: 2 }), fc.constant(2 ** 32 - 1)), pool: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ arena: fc.integer({ min: 0, max: 15 }), generation: fc.integer({ min: 0, max: 2 }), slot: fc.integer({ min: 0, max: 4 }) }).map(({ arena, generation, slot }) => ({ bits: makeHandle(arena, generation, slot) })) },
  { weight: 1, arbitrary: fc.record({ tag: fc.constantFrom(...RESERVED_TAGS), payload: fc.bigInt({ min: 0n, max: (1n << 48n) - 1n }) }).map(({ tag, payload }) => ({ bits: (tag << 48n) | payload })) },
  { weight: 1, arbitrary: fc.constantFrom(...INVALID).map((bits) => ({ bits })) },
  { weight: 2, arbitrary: fc.constantFrom(...VALID_SCALARS).map((bits) => ({ bits })) },
  { weight: 3, arbitrary: fc.integer({ min: -1, max: 3 }).map((i) => ({ bits: cellFromInt(i) })) },
  { weight: 3, arbitrary: fc.double().map((x) => ({ bits: cellFromF64(x) })) },
  { weight: 1, arbitrary: u64.map((bits) => ({ bits })) },
);

// i64 integers: mostly small (valid indexes and lengths), some just outside,
// some extreme. No valid length above 1000: every later call's checks walk
// every slot (the unit tests cover the large ones).
const nArb = fc.oneof(
  { weight: 40, arbitrary: fc.integer({ min: -1, max: 4 }).map(BigInt) },
  { weight: 8, arbitrary: fc.constantFrom(2n ** 31n, 2n ** 32n, 2n ** 32n + 1n, 2n ** 53n, 2n ** 53n + 1n, 2n ** 63n - 1n, -(2n ** 63n), -(2n ** 32n), 65537n) },
  { weight: 1, arbitrary: fc.constantFrom(2n ** 31n - 1n, 1000n) },
  { weight: 4, arbitrary: fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }) },
);

// i32 integers as the engine passes them (signed): small, near the memory's
// end (65536 bytes), extreme.
const iArb = fc.oneof(
  { weight: 40, arbitrary: fc.integer({ min: -1, max: 15 }) },
  { weight: 8, arbitrary: fc.constantFrom(65530, 65535, 65537, 2 ** 31 - 1, -(2 ** 31), -2, 65536 * 2) },
  { weight: 4, arbitrary: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }) },
);

// frame_enter's slot count: small, or outside [0, 2^16] (no big frames, see nArb).
const frameSlotsArb = fc.oneof(
  { weight: 10, arbitrary: fc.integer({ min: -1, max: 6 }) },
  { weight: 2, arbitrary: fc.constantFrom(65537, 2 ** 31 - 1, -(2 ** 31), -2) },
  { weight: 1, arbitrary: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }).filter((n) => n < 0 || n > 1000) },
);

type Arg = { c: CellArg } | { n: bigint } | { i: number } | { f: number };
interface Call {
  name: ImportName;
  args: Arg[];
}

const argArb = (letter: string): fc.Arbitrary<Arg> => {
  switch (letter) {
    case "c": return cellArb.map((c) => ({ c }));
    case "n": return nArb.map((n) => ({ n }));
    case "i": return iArb.map((i) => ({ i }));
    default: return fc.double().map((f) => ({ f }));
  }
};

// The arena an import's first Cell names (its handle check), by name prefix.
const ARENA_OF: [string, number][] = [
  ["list_", Arena.LIST], ["struct_", Arena.STRUCT], ["str_", Arena.STRING], ["host_new_str", Arena.STRING], ["host_get_str", Arena.HOST],
  ["map_", Arena.MAP], ["f64arr_", Arena.F64_ARR], ["i64arr_", Arena.I64_ARR],
];
const intCellArb = fc.integer({ min: -2, max: 3 }).map((i): Arg => ({ c: { bits: cellFromInt(i) } }));
const floatCellArb = fc.double().map((x): Arg => ({ c: { bits: cellFromF64(x) } }));

/**
 * Argument k of import `name`: as its letter says, but the first Cell of an
 * arena's operation is often a pool Cell of that arena, and map keys and
 * values and typed-array elements are often of the right kind, so that calls
 * get past the first checks as well as failing each of them.
 */
function argArbFor(name: string, k: number, letter: string): fc.Arbitrary<Arg> {
  if (name === "frame_enter") return frameSlotsArb.map((i): Arg => ({ i }));
  const arena = ARENA_OF.find(([prefix]) => name.startsWith(prefix))?.[1];
  if (letter === "c" && k === 0 && arena !== undefined) {
    return fc.oneof(
      { weight: 3, arbitrary: fc.noBias(fc.nat(1 << 16)).map((pool): Arg => ({ c: { poolOf: arena, pool } })) },
      { weight: 2, arbitrary: argArb(letter) },
    );
  }
  if (letter === "c" && k > 0 && (name.startsWith("map_") || name.startsWith("i64arr_"))) return fc.oneof(intCellArb, argArb(letter));
  if (letter === "c" && k > 0 && name.startsWith("f64arr_")) return fc.oneof(floatCellArb, argArb(letter));
  return argArb(letter);
}

const callArb: fc.Arbitrary<Call> = fc
  .constantFrom(...NAMES)
  .chain((name) => fc.tuple(...SPEC.get(name)!.params.map((p, k) => argArbFor(name, k, p))).map((args): Call => ({ name, args })));

const configArb: fc.Arbitrary<HeapConfig> = fc.record({
  variant: fc.constantFrom("stub", "minimal", "auto"),
  maxSlotsPerArena: fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 6 }) }),
  maxHeapBytes: fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 16, max: 600 }) }),
  autoMinThreshold: fc.constantFrom(0, 1, 2, 5),
}) as fc.Arbitrary<HeapConfig>;

// Before the random calls: one object of each kind, so most calls reach a live slot.
const PRELUDE: Call[] = [
  { name: "list_new", args: [{ n: 2n }] },
  { name: "struct_new", args: [{ n: 2n }, { n: 7n }] },
  { name: "str_new", args: [{ i: 0 }, { i: 3 }] },
  { name: "map_new", args: [] },
  { name: "f64arr_new", args: [{ n: 2n }] },
  { name: "i64arr_new", args: [{ n: 2n }] },
  { name: "host_new_str", args: [{ c: { pool: 4 } }] }, // the String above (pool: null, 1, then these in order)
  { name: "frame_enter", args: [{ i: 2 }] },
];

const MAP_KEYS = [cellFromInt(-1), cellFromInt(0), cellFromInt(1), cellFromInt(3), cellFromInt(2 ** 40)];

/** What the embedder can see of the slot a Cell names: "-" when it names no live slot. */
function slotView(heap: Heap, c: Cell): string {
  let pins: number;
  try {
    pins = heap.pinCount(c);
  } catch {
    return "-";
  }
  const arena = Number((c >> 44n) & 0xfn);
  const cells = (len: number, get: (k: number) => Cell) => Array.from({ length: len }, (_v, k) => get(k).toString(16)).join(",");
  let body: string;
  switch (arena) {
    case Arena.LIST: body = cells(heap.listLen(c), (k) => heap.listGet(c, k)); break;
    case Arena.STRUCT: body = `${heap.structShape(c)}:${cells(heap.structLen(c), (k) => heap.structGet(c, k))}`; break;
    case Arena.STRING: body = Array.from(heap.strGet(c)).join(","); break;
    case Arena.MAP: body = `${heap.mapLen(c)}:${MAP_KEYS.map((k) => heap.mapGet(c, k).toString(16)).join(",")}`; break;
    case Arena.F64_ARR: body = cells(heap.f64arrLen(c), (k) => heap.f64arrGet(c, k)); break;
    case Arena.I64_ARR: body = cells(heap.i64arrLen(c), (k) => heap.i64arrGet(c, k)); break;
    case Arena.HOST: body = String(heap.hostGet(c)); break;
    default: body = "?";
  }
  return `${pins}|${body}`;
}

function resolve(a: CellArg, pool: readonly Cell[]): Cell {
  if ("bits" in a) return a.bits;
  if ("poolOf" in a) {
    const of = pool.filter((c) => c >> 44n === (0xffffn << 4n) + BigInt(a.poolOf));
    return of.length === 0 ? pool[a.pool % pool.length]! : of[a.pool % of.length]!;
  }
  const base = pool[a.pool % pool.length]!;
  if (!((base >> 48n) === 0xffffn)) return base; // a scalar in the pool: no fields to forge
  const arena = Number((base >> 44n) & 0xfn), generation = Number((base >> 32n) & 0xfffn), slot = Number(base & 0xffff_ffffn);
  if ("forgeArena" in a) return makeHandle(a.forgeArena, arena === 12 ? 0 : generation, slot);
  if ("forgeGeneration" in a) return makeHandle(arena, a.forgeGeneration, slot);
  if ("forgeSlot" in a) return makeHandle(arena, generation, Math.min(2 ** 32 - 1, Math.max(0, slot + a.forgeSlot)));
  return base;
}

/** Runs one sequence; throws (failing the property) on any disallowed outcome. */
function runSequence(config: HeapConfig, withMemory: boolean, calls: readonly Call[]): void {
  const heap = new Heap(config);
  const memory = new wasm.Memory({ initial: 1 });
  new Uint8Array(memory.buffer).set(new TextEncoder().encode("héllo wörld, a guest's bytes"), 0);
  const ref: MemoryRef = { memory: withMemory ? memory : undefined };
  const peak = new LivePeak(heap);
  const imports = vm3Imports(heap, ref, { peak }).vm3 as unknown as Record<string, (...args: unknown[]) => unknown>;
  const auto = config.variant === "auto";
  const pool: Cell[] = [CELL_NULL, cellFromInt(1)];
  let maxLive = heap.liveSlots();

  let views = pool.map((c) => slotView(heap, c));
  for (const [k, call] of [...PRELUDE, ...calls].entries()) {
    const spec = SPEC.get(call.name)!;
    const cellArgs: Cell[] = [];
    const args = call.args.map((a): unknown => {
      if ("c" in a) {
        const c = resolve(a.c, pool);
        cellArgs.push(c);
        return BigInt.asIntN(64, c); // as the engine passes an i64
      }
      return "n" in a ? a.n : "i" in a ? a.i : a.f;
    });
    const stats = JSON.stringify(heap.stats());
    const where = `call ${k} ${call.name}(${args.map(String).join(", ")})`;
    let result: unknown;
    let trap: Trap | undefined;
    try {
      result = imports[call.name]!(...args);
    } catch (e) {
      if (!(e instanceof Trap)) throw new Error(`${where} threw ${String(e)}`);
      trap = e;
    }
    const collected = JSON.parse(stats).collections !== heap.stats().collections;
    if (trap !== undefined) {
      if (!SPEC_CODES.has(trap.code)) throw new Error(`${where}: trap code ${trap.code} is not in traps.md`);
      if (!auto && JSON.stringify(heap.stats()) !== stats) throw new Error(`${where}: trap ${trap.message} changed the stats`);
    } else {
      checkResult(where, spec.result, result);
      if (spec.result === "c" && typeof result === "bigint" && pool.length < 40) pool.push(cellArg(result));
    }
    // No slot changes but the one the call names; a collection may only free.
    const target = MUTATES_FIRST.has(call.name) && trap === undefined ? cellArgs[0] : undefined;
    const after = pool.map((c) => slotView(heap, c));
    after.forEach((now, j) => {
      if (j >= views.length || now === views[j]) return;
      const c = pool[j]!;
      if (target !== undefined && cellArg(target) === c) return;
      if (now === "-" && collected) return;
      throw new Error(`${where}${trap ? ` (trap ${trap.message})` : ""}: slot of ${c.toString(16)} changed from ${views[j]} to ${now}`);
    });
    views = after;
    heap.checkInvariants();
    maxLive = Math.max(maxLive, heap.liveSlots());
  }
  // The sampled peak is the true peak (sampled here after every call too).
  expect(peak.peak).toBe(maxLive);
}

function checkResult(where: string, type: string, r: unknown): void {
  switch (type) {
    case "c":
      if (typeof r !== "bigint") throw new Error(`${where} gave ${String(r)}, not a Cell`);
      validateCell(cellArg(r));
      return;
    case "n":
      if (typeof r !== "bigint" || r < -(2n ** 63n) || r >= 2n ** 63n) throw new Error(`${where} gave ${String(r)}, not an i64`);
      return;
    case "i":
      if (!Number.isInteger(r) || (r as number) < -(2 ** 31) || (r as number) >= 2 ** 31) throw new Error(`${where} gave ${String(r)}, not an i32`);
      return;
    case "f64":
      if (typeof r !== "number") throw new Error(`${where} gave ${String(r)}, not an f64`);
      return;
    default:
      if (r !== undefined) throw new Error(`${where} gave ${String(r)} for no result`);
  }
}

describe("abi-host: hostile guests", () => {
  it(`${RUNS} random import sequences: only results or spec Traps, nothing else changes, invariants hold`, () => {
    // Traps are the common outcome here; without stack traces they cost far less.
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      fc.assert(
        fc.property(configArb, fc.boolean(), fc.array(callArb, { minLength: 10, maxLength: 80 }), (config, noMemory, calls) => {
          runSequence(config, !noMemory || calls.length % 7 !== 0, calls);
        }),
        { numRuns: RUNS },
      );
    } finally {
      Error.stackTraceLimit = limit;
    }
  }, 3_600_000);

  it("every import is reached with a live handle and traps somewhere (the generator is not vacuous)", () => {
    const outcomes = new Map<string, Set<string>>();
    fc.assert(
      fc.property(configArb, fc.array(callArb, { minLength: 40, maxLength: 80 }), (config, calls) => {
        const heap = new Heap(config);
        const memory = new wasm.Memory({ initial: 1 });
        const imports = vm3Imports(heap, { memory }).vm3 as unknown as Record<string, (...args: unknown[]) => unknown>;
        const pool: Cell[] = [CELL_NULL, cellFromInt(1)];
        for (const call of [...PRELUDE, ...calls]) {
          const args = call.args.map((a) => ("c" in a ? BigInt.asIntN(64, resolve(a.c, pool)) : "n" in a ? a.n : "i" in a ? a.i : a.f));
          let outcome = "ok";
          try {
            const r = imports[call.name]!(...args);
            if (SPEC.get(call.name)!.result === "c" && pool.length < 40) pool.push(cellArg(r as bigint));
          } catch (e) {
            outcome = (e as Trap).code !== undefined ? `trap ${(e as Trap).code}` : "error";
          }
          let set = outcomes.get(call.name);
          if (set === undefined) outcomes.set(call.name, (set = new Set()));
          set.add(outcome);
        }
      }),
      // A fixed seed: this checks the generator, and must not flake.
      { numRuns: 1000, seed: 20261201 },
    );
    for (const name of NAMES) {
      const seen = outcomes.get(name) ?? new Set();
      if (name !== "trap") expect([...seen], `${name} never completed`).toContain("ok");
      if (!["collect", "scope_enter", "fma_slow", "map_new"].includes(name)) expect([...seen].some((o) => o.startsWith("trap")), `${name} never trapped`).toBe(true);
      expect(seen.has("error"), `${name} threw a non-Trap`).toBe(false);
    }
  });
});
