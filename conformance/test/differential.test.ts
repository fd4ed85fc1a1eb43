// Differential property test (issue 2): random operation sequences — with
// frees, collections, scopes, frames, pins, limits, and deliberately stale, forged or
// malformed Cells — run on the TS runtime in-process and on the Go testee over
// the protocol; the two traces must be identical step for step.
//
// VM3_DIFF_RUNS sets the number of sequences (default 5,000);
// `npm run differential:long` runs 100,000.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AbiVector, CellValue, HeapConfig, OpName, Step } from "../protocol/messages.ts";
import { describe as describeOutcome } from "../runner/judge.ts";
import { buildGoTestee } from "../runner/go-testee.ts";
import { ProcessBackend } from "../runner/process-backend.ts";
import { serve } from "../testee/serve.ts";

const REPO = fileURLToPath(new URL("../../", import.meta.url));
const RUNS = Number(process.env.VM3_DIFF_RUNS ?? 5000);
const NAMES = ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k"];

// Patterns a hostile or buggy caller might pass: reserved tags, non-canonical
// NaN / Int48 / bool / null / SmallInt, undefined arenas, extremes.
const ODD_BITS = [
  0xfff8_0000_0000_0000n, 0xfff9_0000_0000_0001n, 0xfffd_0000_0000_0000n, 0xfffe_ffff_ffff_ffffn,
  0x7ff0_0000_0000_0001n, 0x7ff8_0000_0000_0001n, 0xfff0_0000_0000_0000n, 0x8000_0000_0000_0000n,
  0xfffa_0000_0000_0005n, 0xfffa_8000_0000_0000n, 0xfffb_0000_0000_0002n, 0xfffc_0000_0000_0001n,
  0xffff_e000_0000_0000n, 0xffff_f000_0000_0001n, 0xffff_c001_0000_0000n, 0xffff_c000_8000_0000n,
  0xffff_1000_0000_0000n, 0xffff_4fff_ffff_ffffn, 0xffff_d000_0000_0000n, 0xffff_0000_0000_0000n,
];

const arenaName = fc.constantFrom("ARENA_LIST", "ARENA_STRUCT", "ARENA_HOST", "ARENA_STRING", "ARENA_SMALL_INT", "ARENA_MAP", "ARENA_F64_ARR", "ARENA_I64_ARR", "ARENA_SET") satisfies fc.Arbitrary<NonNullable<CellValue["handle"]>["arena"]>;

const cellValue: fc.Arbitrary<CellValue> = fc.oneof(
  { weight: 12, arbitrary: fc.constantFrom(...NAMES).map((ref) => ({ ref })) },
  { weight: 3, arbitrary: fc.record({ ref: fc.constantFrom(...NAMES), generation: fc.integer({ min: 0, max: 4095 }) }).map((forge) => ({ forge })) },
  { weight: 3, arbitrary: fc.record({ arena: arenaName, generation: fc.integer({ min: 0, max: 3 }), slot: fc.integer({ min: 0, max: 6 }) }).map((handle) => ({ handle })) },
  { weight: 2, arbitrary: fc.constantFrom(...ODD_BITS).map((bits) => ({ bits })) },
  { weight: 1, arbitrary: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }).map((bits) => ({ bits })) },
  { weight: 2, arbitrary: fc.bigInt({ min: -(1n << 47n), max: (1n << 47n) - 1n }).map((int) => ({ int })) },
  { weight: 1, arbitrary: fc.double().map((f64) => ({ f64 })) },
  { weight: 1, arbitrary: fc.boolean().map((bool) => ({ bool })) },
  { weight: 2, arbitrary: fc.constant({ null: true }) },
);

// Frame marks and slots: mostly small (so they name open frames and slots),
// some far outside int32 and at the int64 extremes.
const frameInt = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: -1, max: 4 }).map(BigInt) },
  { weight: 1, arbitrary: fc.constantFrom(65536n, 65537n, 2n ** 32n + 1n, 2n ** 53n + 1n, 2n ** 63n - 1n, -(2n ** 63n)) },
);

// Mostly valid indexes and lengths, some just outside, a few extreme.
const smallInt = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 0, max: 2 }).map(BigInt) },
  { weight: 2, arbitrary: fc.integer({ min: -1, max: 6 }).map(BigInt) },
  { weight: 1, arbitrary: fc.constantFrom(2n ** 31n - 1n, 2n ** 31n, 65535n, 65536n, -(2n ** 40n)) },
);

// Map keys: mostly a few small integers (so keys repeat), some any Cell.
const mapKey: fc.Arbitrary<CellValue> = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: -2, max: 3 }).map((n) => ({ int: BigInt(n) })) },
  { weight: 1, arbitrary: fc.constantFrom(1n << 40n, -(1n << 47n)).map((int) => ({ int })) },
  { weight: 2, arbitrary: cellValue },
);

function step(op: OpName, parts: Partial<Step> = {}): fc.Arbitrary<Step> {
  return fc.constant({ op, ...parts });
}

const bind = fc.constantFrom(...NAMES);

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ n: smallInt, bind }).map(({ n, bind }): Step => ({ op: "LIST_NEW", ints: [n], bind })) },
  { weight: 4, arbitrary: fc.record({ n: smallInt, bind }).map(({ n, bind }): Step => ({ op: "STRUCT_NEW", ints: [n], bind })) },
  { weight: 2, arbitrary: fc.record({ host: fc.string({ maxLength: 4 }), bind }).map(({ host, bind }): Step => ({ op: "HOST_NEW", host, bind })) },
  { weight: 3, arbitrary: fc.record({ c: cellValue, i: smallInt, bind }).map(({ c, i }): Step => ({ op: "LIST_GET", cells: [c], ints: [i], bind: "g" })) },
  { weight: 3, arbitrary: fc.record({ c: cellValue, i: smallInt, bind }).map(({ c, i }): Step => ({ op: "STRUCT_GET", cells: [c], ints: [i], bind: "g" })) },
  { weight: 4, arbitrary: fc.record({ c: cellValue, v: cellValue, i: smallInt }).map(({ c, v, i }): Step => ({ op: "LIST_SET", cells: [c, v], ints: [i] })) },
  { weight: 4, arbitrary: fc.record({ c: cellValue, v: cellValue, i: smallInt }).map(({ c, v, i }): Step => ({ op: "STRUCT_SET", cells: [c, v], ints: [i] })) },
  { weight: 4, arbitrary: fc.record({ c: cellValue, v: cellValue }).map(({ c, v }): Step => ({ op: "LIST_PUSH", cells: [c, v] })) },
  { weight: 1, arbitrary: cellValue.map((c): Step => ({ op: "LIST_LEN", cells: [c] })) },
  { weight: 1, arbitrary: cellValue.map((c): Step => ({ op: "STRUCT_LEN", cells: [c] })) },
  { weight: 1, arbitrary: cellValue.map((c): Step => ({ op: "HOST_GET", cells: [c] })) },
  { weight: 3, arbitrary: cellValue.map((c): Step => ({ op: "FREE", cells: [c] })) },
  { weight: 2, arbitrary: step("COLLECT") },
  { weight: 2, arbitrary: step("SCOPE_ENTER") },
  { weight: 2, arbitrary: cellValue.map((c): Step => ({ op: "SCOPE_ROOT", cells: [c] })) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 3 }).map((m): Step => ({ op: "SCOPE_EXIT", ints: [BigInt(m)] })) },
  { weight: 2, arbitrary: cellValue.map((c): Step => ({ op: "PIN", cells: [c] })) },
  { weight: 2, arbitrary: cellValue.map((c): Step => ({ op: "UNPIN", cells: [c] })) },
  { weight: 1, arbitrary: step("STATS") },
  { weight: 1, arbitrary: fc.record({ i: fc.bigInt({ min: -(1n << 48n), max: 1n << 48n }), bind }).map(({ i, bind }): Step => ({ op: "INT_CELL", ints: [i], bind })) },
  { weight: 1, arbitrary: fc.record({ c: cellValue, bind }).map(({ c, bind }): Step => ({ op: "CELL_CHECK", cells: [c], bind })) },
  // Strings, maps and typed arrays (operations.md §3.2).
  { weight: 2, arbitrary: fc.record({ host: fc.string({ maxLength: 6 }), bind }).map(({ host, bind }): Step => ({ op: "STR_NEW", host, bind })) },
  { weight: 1, arbitrary: cellValue.map((c): Step => ({ op: "STR_LEN", cells: [c] })) },
  { weight: 2, arbitrary: fc.record({ a: cellValue, b: cellValue, bind }).map(({ a, b, bind }): Step => ({ op: "STR_CONCAT", cells: [a, b], bind })) },
  { weight: 1, arbitrary: fc.record({ a: cellValue, b: cellValue }).map(({ a, b }): Step => ({ op: "STR_EQ", cells: [a, b], bind: "g" })) },
  { weight: 1, arbitrary: cellValue.map((c): Step => ({ op: "STR_GET", cells: [c] })) },
  { weight: 2, arbitrary: bind.map((bind): Step => ({ op: "MAP_NEW", bind })) },
  { weight: 4, arbitrary: fc.record({ m: cellValue, k: mapKey, v: cellValue }).map(({ m, k, v }): Step => ({ op: "MAP_SET", cells: [m, k, v] })) },
  { weight: 2, arbitrary: fc.record({ m: cellValue, k: mapKey }).map(({ m, k }): Step => ({ op: "MAP_GET", cells: [m, k], bind: "g" })) },
  { weight: 1, arbitrary: fc.record({ m: cellValue, k: mapKey }).map(({ m, k }): Step => ({ op: "MAP_HAS", cells: [m, k] })) },
  { weight: 1, arbitrary: cellValue.map((c): Step => ({ op: "MAP_LEN", cells: [c] })) },
  ...(["F64ARR", "I64ARR"] as const).flatMap((p) => [
    { weight: 2, arbitrary: fc.record({ n: smallInt, bind }).map(({ n, bind }): Step => ({ op: `${p}_NEW`, ints: [n], bind })) },
    { weight: 1, arbitrary: cellValue.map((c): Step => ({ op: `${p}_LEN`, cells: [c] })) },
    { weight: 2, arbitrary: fc.record({ c: cellValue, i: smallInt }).map(({ c, i }): Step => ({ op: `${p}_GET`, cells: [c], ints: [i], bind: "g" })) },
    { weight: 2, arbitrary: fc.record({ c: cellValue, v: cellValue, i: smallInt }).map(({ c, v, i }): Step => ({ op: `${p}_SET`, cells: [c, v], ints: [i] })) },
    { weight: 3, arbitrary: fc.record({ c: cellValue, v: cellValue }).map(({ c, v }): Step => ({ op: `${p}_PUSH`, cells: [c, v] })) },
  ]),
  // Frames (collection.md §4.6).
  { weight: 3, arbitrary: frameInt.map((n): Step => ({ op: "FRAME_ENTER", ints: [n] })) },
  { weight: 5, arbitrary: fc.record({ m: frameInt, s: frameInt, c: cellValue }).map(({ m, s, c }): Step => ({ op: "FRAME_ROOT", ints: [m, s], cells: [c] })) },
  { weight: 1, arbitrary: frameInt.map((m): Step => ({ op: "FRAME_EXIT", ints: [m] })) },
);

// Limits are small often enough to be hit, and absent often enough that the
// heap grows and collects for real.
const heapArb: fc.Arbitrary<HeapConfig> = fc.record({
  variant: fc.constantFrom("VARIANT_UNSPECIFIED", "STUB", "MINIMAL", "AUTO"),
  maxSlotsPerArena: fc.oneof({ weight: 3, arbitrary: fc.constant(0n) }, { weight: 1, arbitrary: fc.bigInt({ min: 1n, max: 8n }) }),
  maxHeapBytes: fc.oneof({ weight: 3, arbitrary: fc.constant(0n) }, { weight: 1, arbitrary: fc.bigInt({ min: 16n, max: 400n }) }),
  autoMinThreshold: fc.oneof(fc.constant(0n), fc.bigInt({ min: 1n, max: 6n })),
}) as fc.Arbitrary<HeapConfig>;

// Every name is bound before the random steps, so references always resolve
// and each sequence runs to its end: first to an integer, then (where the
// limits allow) to a list, a struct or a host slot, so that most operations
// reach a live object rather than stopping at the first check.
const prelude: Step[] = [
  ...NAMES.map((name, i): Step => ({ op: "INT_CELL", ints: [BigInt(i)], bind: name })),
  { op: "LIST_NEW", ints: [2n], bind: "a" },
  { op: "STRUCT_NEW", ints: [3n], bind: "b" },
  { op: "LIST_NEW", ints: [0n], bind: "c" },
  { op: "STRUCT_NEW", ints: [1n], bind: "d" },
  { op: "HOST_NEW", host: "h", bind: "e" },
  { op: "STR_NEW", host: "s", bind: "h" },
  { op: "MAP_NEW", bind: "i" },
  { op: "F64ARR_NEW", ints: [1n], bind: "j" },
  { op: "I64ARR_NEW", ints: [2n], bind: "k" },
];

const vectorArb: fc.Arbitrary<AbiVector> = fc
  .record({ heap: heapArb, steps: fc.array(stepArb, { minLength: 1, maxLength: 60 }) })
  .map(({ heap, steps }) => ({ name: "differential", heap, steps: [...prelude, ...steps] }));

describe("differential: ts-runtime vs go-host", () => {
  let go: ProcessBackend;

  beforeAll(() => {
    const binary = buildGoTestee(REPO, mkdtempSync(join(tmpdir(), "vm3-diff-")));
    go = new ProcessBackend("go-host", binary, [], 60_000);
  });

  afterAll(async () => {
    await go?.close();
  });

  it(`${RUNS} random operation sequences give identical traces`, async () => {
    await fc.assert(
      fc.asyncProperty(vectorArb, async (vector) => {
        const ts = serve({ vector }).trace!;
        const remote = (await go.serve({ vector })).trace!;
        // A random forge can name a binding that holds no handle: a vector
        // error, which both sides must find at the same step.
        expect(Boolean(remote.error)).toBe(Boolean(ts.error));
        expect((remote.outcomes ?? []).map(describeOutcome)).toEqual((ts.outcomes ?? []).map(describeOutcome));
      }),
      { numRuns: RUNS },
    );
  }, 3_600_000);
});
