// Property: random operation sequences with live, stale and forged Cells only
// ever throw Traps, a trap changes no counter (outside AUTO, whose collection
// stays done), and the heap's invariants hold after every step.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Cell, CELL_NULL, cellFromF64, cellFromInt, Heap, type HeapConfig, makeHandle, Trap } from "../src/index.ts";

const OPS = [
  "listNew", "listLen", "listGet", "listSet", "listPush",
  "structNew", "structLen", "structGet", "structSet",
  "hostNew", "hostGet", "free", "collect",
  "scopeEnter", "scopeRoot", "scopeExit", "pin", "unpin", "pinCount",
  "frameEnter", "frameRoot", "frameExit",
] as const;

const intArg = fc.oneof(
  fc.integer({ min: -2, max: 6 }),
  fc.constantFrom(NaN, 0.5, -0, 2 ** 31 - 1, 2 ** 31, 100, Infinity),
);

const forgedCell = fc.oneof(
  fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
  fc.record({ arena: fc.integer({ min: 0, max: 15 }), generation: fc.constantFrom(0, 1, 2, 4095), slot: fc.integer({ min: 0, max: 6 }) })
    .map(({ arena, generation, slot }) => makeHandle(arena, generation, slot)),
  fc.constantFrom(CELL_NULL, cellFromInt(0), cellFromInt(2 ** 40), cellFromF64(NaN)),
  fc.constantFrom(0xfff8_0000_0000_0000n, 0xffff_c001_0000_0000n, 0xfffa_0000_0000_0001n, 0x7ff0_0000_0000_0001n, 0xffff_e000_0000_0000n, -1n, 1n << 64n),
);

/** A Cell argument: mostly one the heap handed out earlier (live or stale by now), sometimes forged. */
const cellArg: fc.Arbitrary<CellArg> = fc.oneof({ weight: 3, arbitrary: fc.nat().map((i) => ({ pool: i })) }, { weight: 1, arbitrary: forgedCell.map((c) => ({ forged: c })) });

type CellArg = { pool: number; forged?: undefined } | { pool?: undefined; forged: Cell };
interface Step {
  op: (typeof OPS)[number];
  a: CellArg;
  b: CellArg;
  i: number;
}

const step: fc.Arbitrary<Step> = fc.record({ op: fc.constantFrom(...OPS), a: cellArg, b: cellArg, i: intArg });

const config: fc.Arbitrary<HeapConfig> = fc.record({
  variant: fc.constantFrom("stub", "minimal", "auto"),
  maxSlotsPerArena: fc.constantFrom(0, 1, 3, 8),
  maxHeapBytes: fc.constantFrom(0, 0, 120, 400),
  autoMinThreshold: fc.constantFrom(0, 1, 2, 5),
}) as fc.Arbitrary<HeapConfig>;

function run(heap: Heap, pool: Cell[], s: Step): void {
  const pick = (arg: CellArg): Cell => (arg.forged !== undefined ? arg.forged : pool[arg.pool % pool.length]!);
  const a = pick(s.a);
  const b = pick(s.b);
  const keep = (c: Cell) => pool.push(c);
  switch (s.op) {
    case "listNew": keep(heap.listNew(s.i)); break;
    case "listLen": heap.listLen(a); break;
    case "listGet": heap.listGet(a, s.i); break;
    case "listSet": heap.listSet(a, s.i, b); break;
    case "listPush": heap.listPush(a, b); break;
    case "structNew": keep(heap.structNew(s.i)); break;
    case "structLen": heap.structLen(a); break;
    case "structGet": heap.structGet(a, s.i); break;
    case "structSet": heap.structSet(a, s.i, b); break;
    case "hostNew": keep(heap.hostNew(s.i)); break;
    case "hostGet": heap.hostGet(a); break;
    case "free": heap.free(a); break;
    case "collect": heap.collect(); break;
    case "scopeEnter": heap.scopeEnter(); break;
    case "scopeRoot": heap.scopeRoot(a); break;
    case "scopeExit": heap.scopeExit(s.i); break;
    case "pin": heap.pin(a); break;
    case "unpin": heap.unpin(a); break;
    case "pinCount": heap.pinCount(a); break;
    case "frameEnter": heap.frameEnter(s.i); break;
    case "frameRoot": heap.frameRoot(Math.abs(s.i) % 3, s.i, a); break;
    case "frameExit": heap.frameExit(s.i); break;
  }
}

describe("fuzz", () => {
  it("only Traps, no change on trap, invariants always hold", () => {
    fc.assert(
      fc.property(config, fc.array(step, { minLength: 20, maxLength: 300, size: "max" }), (cfg, steps) => {
        const heap = new Heap(cfg);
        const pool: Cell[] = [CELL_NULL, cellFromInt(1)];
        for (const s of steps) {
          const before = JSON.stringify(heap.stats());
          try {
            run(heap, pool, s);
          } catch (e) {
            if (!(e instanceof Trap)) throw e;
            if (cfg.variant !== "auto") expect(JSON.stringify(heap.stats())).toBe(before);
          }
          heap.checkInvariants();
        }
      }),
      { numRuns: 1000 },
    );
  });
});
