// Every trap of every operation, and the order of checks (operations.md §3.1,
// §3.2): the first failing check's trap is the result, and a trapping
// operation changes nothing.
import { beforeEach, describe, expect, it } from "vitest";
import {
  Arena,
  type Cell,
  CELL_NULL,
  CELL_TRUE,
  cellFromF64,
  cellFromInt,
  Heap,
  makeHandle,
  MAX_FIELDS,
  MAX_LENGTH,
  Trap,
  TrapCode,
} from "../src/index.ts";
import { expectTrap } from "./expect-trap.ts";

const BAD: Cell = 0xfff8_0000_0000_0000n;
const NOT_HANDLES: Cell[] = [cellFromF64(1.5), cellFromInt(5), cellFromInt(2 ** 40), CELL_TRUE];

interface World {
  heap: Heap;
  list: Cell;
  struct: Cell;
  host: Cell;
  /** A freed list: its slot is on the free list. */
  staleList: Cell;
  staleStruct: Cell;
  staleHost: Cell;
}

function world(): World {
  const heap = new Heap();
  const staleList = heap.listNew(0);
  const staleStruct = heap.structNew(1);
  const staleHost = heap.hostNew("gone");
  heap.free(staleList);
  heap.free(staleStruct);
  heap.free(staleHost);
  const list = heap.listNew(3); // reuses the freed slot under generation 1
  const struct = heap.structNew(2);
  const host = heap.hostNew("h");
  return { heap, list, struct, host, staleList, staleStruct, staleHost };
}

/** Expects `f` to trap with `code` and leave the heap's counters exactly as they were. */
function expectTrapNoChange(heap: Heap, f: () => unknown, code: TrapCode): void {
  const before = JSON.stringify(heap.stats());
  expectTrap(f, code);
  expect(JSON.stringify(heap.stats())).toBe(before);
  heap.checkInvariants();
}

/** The handle(c, A) ladder for one operation taking its handle first. */
function handleLadder(w: World, wanted: "list" | "struct" | "host", call: (c: Cell) => unknown): void {
  const { heap } = w;
  expectTrapNoChange(heap, () => call(BAD), TrapCode.BAD_CELL);
  expectTrapNoChange(heap, () => call(-1n), TrapCode.BAD_CELL);
  expectTrapNoChange(heap, () => call(CELL_NULL), TrapCode.NULL_DEREF);
  for (const c of NOT_HANDLES) expectTrapNoChange(heap, () => call(c), TrapCode.NOT_A_HANDLE);
  const others = { list: [w.struct, w.host], struct: [w.list, w.host], host: [w.list, w.struct] }[wanted];
  for (const c of others) expectTrapNoChange(heap, () => call(c), TrapCode.WRONG_ARENA);
  // Wrong arena comes before staleness: a stale handle into another arena, and an unimplemented arena.
  expectTrapNoChange(heap, () => call(wanted === "list" ? w.staleStruct : w.staleList), TrapCode.WRONG_ARENA);
  expectTrapNoChange(heap, () => call(makeHandle(Arena.MAP, 0, 0)), TrapCode.WRONG_ARENA);
  const live = w[wanted];
  const stale = { list: w.staleList, struct: w.staleStruct, host: w.staleHost }[wanted];
  const arena = { list: Arena.LIST, struct: Arena.STRUCT, host: Arena.HOST }[wanted];
  expectTrapNoChange(heap, () => call(stale), TrapCode.STALE_HANDLE);
  expectTrapNoChange(heap, () => call(makeHandle(arena, 0, 1000)), TrapCode.STALE_HANDLE); // never existed
  expectTrapNoChange(heap, () => call(makeHandle(arena, 0, 2 ** 32 - 1)), TrapCode.STALE_HANDLE);
  expectTrapNoChange(heap, () => call(makeHandle(arena, 7, Number(live & 0xffff_ffffn))), TrapCode.STALE_HANDLE); // wrong generation
  expectTrapNoChange(heap, () => call(live + (1n << 64n)), TrapCode.BAD_CELL); // aliases a live handle modulo 2^64
}

describe("handle checks, per operation", () => {
  let w: World;
  beforeEach(() => {
    w = world();
  });

  it("list_len / list_get / list_set / list_push", () => {
    handleLadder(w, "list", (c) => w.heap.listLen(c));
    handleLadder(w, "list", (c) => w.heap.listGet(c, 0));
    handleLadder(w, "list", (c) => w.heap.listSet(c, 0, CELL_NULL));
    handleLadder(w, "list", (c) => w.heap.listPush(c, CELL_NULL));
  });

  it("struct_len / struct_get / struct_set", () => {
    handleLadder(w, "struct", (c) => w.heap.structLen(c));
    handleLadder(w, "struct", (c) => w.heap.structGet(c, 0));
    handleLadder(w, "struct", (c) => w.heap.structSet(c, 0, CELL_NULL));
  });

  it("host_get", () => {
    handleLadder(w, "host", (c) => w.heap.hostGet(c));
  });

  it("anyHandle: free / pin / unpin / pinCount accept every heap arena, stale in unimplemented ones", () => {
    const { heap } = w;
    for (const call of [(c: Cell) => heap.free(c), (c: Cell) => heap.pin(c), (c: Cell) => heap.unpin(c), (c: Cell) => heap.pinCount(c)]) {
      expectTrapNoChange(heap, () => call(BAD), TrapCode.BAD_CELL);
      expectTrapNoChange(heap, () => call(CELL_NULL), TrapCode.NULL_DEREF);
      for (const c of NOT_HANDLES) expectTrapNoChange(heap, () => call(c), TrapCode.NOT_A_HANDLE);
      for (const c of [w.staleList, w.staleStruct, w.staleHost, makeHandle(Arena.STRING, 0, 0), makeHandle(Arena.U8_ARR, 3, 9)]) {
        expectTrapNoChange(heap, () => call(c), TrapCode.STALE_HANDLE);
      }
    }
  });
});

describe("index, value and argument checks", () => {
  it("OUT_OF_BOUNDS for list_get/list_set/struct_get/struct_set", () => {
    const { heap, list, struct } = world();
    for (const i of [-1, 3, 4, 2 ** 31, 0.5, NaN, Infinity, -Infinity]) {
      expectTrapNoChange(heap, () => heap.listGet(list, i), TrapCode.OUT_OF_BOUNDS);
      expectTrapNoChange(heap, () => heap.listSet(list, i, CELL_NULL), TrapCode.OUT_OF_BOUNDS);
    }
    for (const i of [-1, 2, 1.5, NaN]) {
      expectTrapNoChange(heap, () => heap.structGet(struct, i), TrapCode.OUT_OF_BOUNDS);
      expectTrapNoChange(heap, () => heap.structSet(struct, i, CELL_NULL), TrapCode.OUT_OF_BOUNDS);
    }
    expect(heap.listGet(list, 2)).toBe(CELL_NULL);
    expect(heap.structGet(struct, 1)).toBe(CELL_NULL);
  });

  it("value(c): BAD_CELL, then STALE_HANDLE; any valid non-handle and live handle is stored", () => {
    const { heap, list, struct, staleStruct, staleHost } = world();
    for (const [v, code] of [[BAD, TrapCode.BAD_CELL], [0xfffa_0000_0000_0001n, TrapCode.BAD_CELL], [2n ** 64n, TrapCode.BAD_CELL], [staleStruct, TrapCode.STALE_HANDLE], [staleHost, TrapCode.STALE_HANDLE], [makeHandle(Arena.CLOSURE, 0, 0), TrapCode.STALE_HANDLE]] as const) {
      expectTrapNoChange(heap, () => heap.listSet(list, 0, v), code);
      expectTrapNoChange(heap, () => heap.structSet(struct, 0, v), code);
      expectTrapNoChange(heap, () => heap.listPush(list, v), code);
      heap.scopeEnter();
      expectTrapNoChange(heap, () => heap.scopeRoot(v), code);
      heap.scopeExit(1);
    }
    for (const v of [CELL_NULL, CELL_TRUE, cellFromInt(-7), cellFromInt(2 ** 46), cellFromF64(NaN), cellFromF64(-Infinity), struct, list]) {
      heap.listSet(list, 0, v);
      expect(heap.listGet(list, 0)).toBe(v);
      heap.structSet(struct, 1, v);
      expect(heap.structGet(struct, 1)).toBe(v);
    }
  });

  it("BAD_ARGUMENT for list_new and struct_new out of domain", () => {
    const heap = new Heap();
    for (const n of [-1, MAX_LENGTH + 1, 1.5, NaN, Infinity]) expectTrapNoChange(heap, () => heap.listNew(n), TrapCode.BAD_ARGUMENT);
    for (const n of [-1, MAX_FIELDS + 1, 0.5, NaN]) expectTrapNoChange(heap, () => heap.structNew(n), TrapCode.BAD_ARGUMENT);
    expect(heap.structLen(heap.structNew(MAX_FIELDS))).toBe(MAX_FIELDS);
    expect(heap.listLen(heap.listNew(0))).toBe(0);
  });

  it("the default byte limit is 2^28 (arenas.md §2.7): list_new(MAX_LENGTH) traps OUT_OF_MEMORY", () => {
    const heap = new Heap();
    expectTrapNoChange(heap, () => heap.listNew(MAX_LENGTH), TrapCode.OUT_OF_MEMORY);
    expectTrapNoChange(heap, () => heap.listNew((2 ** 28 - 16) / 8 + 1), TrapCode.OUT_OF_MEMORY);
    heap.listNew((2 ** 28 - 16) / 8);
    expectTrapNoChange(heap, () => heap.hostNew(0), TrapCode.OUT_OF_MEMORY);
  });

  it("a flood of pinned struct_new(MAX_FIELDS) traps OUT_OF_MEMORY at the default limit after 511 structs (it aborted Node at 2^32)", () => {
    const heap = new Heap();
    let made = 0;
    for (;;) {
      try {
        heap.pin(heap.structNew(MAX_FIELDS));
        made++;
      } catch (e) {
        expect((e as Trap).code).toBe(TrapCode.OUT_OF_MEMORY);
        break;
      }
    }
    expect(made).toBe(Math.floor(2 ** 28 / (16 + 8 * MAX_FIELDS)));
    expect(heap.liveSlots()).toBe(made);
  });

  it("a list of MAX_LENGTH is made lazily, reads null, and push then traps OUT_OF_MEMORY", () => {
    const heap = new Heap({ maxHeapBytes: 2 ** 40 });
    const big = heap.listNew(MAX_LENGTH);
    expect(heap.listLen(big)).toBe(MAX_LENGTH);
    expect(heap.listGet(big, MAX_LENGTH - 1)).toBe(CELL_NULL);
    heap.listSet(big, 1000, CELL_TRUE);
    expect(heap.listGet(big, 1000)).toBe(CELL_TRUE);
    expect(heap.listGet(big, 999)).toBe(CELL_NULL);
    expect(heap.listGet(big, 1001)).toBe(CELL_NULL);
    expect(heap.stats().heapBytes).toBe(16 + 8 * MAX_LENGTH);
    expectTrapNoChange(heap, () => heap.listPush(big, CELL_NULL), TrapCode.OUT_OF_MEMORY);
    expect(heap.collect()).toBe(1);
    expect(heap.stats().heapBytes).toBe(0);
  });
});

describe("order of checks across arguments", () => {
  it("the first argument's check wins, each argument's checks in order, heap state last", () => {
    const { heap, list, struct, staleList } = world();
    expectTrapNoChange(heap, () => heap.listSet(BAD, -1, BAD), TrapCode.BAD_CELL);
    expectTrapNoChange(heap, () => heap.listSet(staleList, -1, BAD), TrapCode.STALE_HANDLE);
    expectTrapNoChange(heap, () => heap.listSet(list, 99, BAD), TrapCode.OUT_OF_BOUNDS);
    expectTrapNoChange(heap, () => heap.listSet(list, 0, BAD), TrapCode.BAD_CELL);
    expectTrapNoChange(heap, () => heap.structSet(struct, 5, staleList), TrapCode.OUT_OF_BOUNDS);
    expectTrapNoChange(heap, () => heap.structSet(list, 5, BAD), TrapCode.WRONG_ARENA);
    expectTrapNoChange(heap, () => heap.listGet(CELL_NULL, NaN), TrapCode.NULL_DEREF);
    expectTrapNoChange(heap, () => heap.listPush(cellFromInt(1), BAD), TrapCode.NOT_A_HANDLE);
    // scope_root: value(c) comes before the scope-stack check.
    expectTrapNoChange(heap, () => heap.scopeRoot(BAD), TrapCode.BAD_CELL);
    expectTrapNoChange(heap, () => heap.scopeRoot(staleList), TrapCode.STALE_HANDLE);
    expectTrapNoChange(heap, () => heap.scopeRoot(CELL_NULL), TrapCode.SCOPE_MISMATCH);
    // unpin: anyHandle before NOT_PINNED.
    expectTrapNoChange(heap, () => heap.unpin(staleList), TrapCode.STALE_HANDLE);
    expectTrapNoChange(heap, () => heap.unpin(list), TrapCode.NOT_PINNED);
  });

  it("list_push: value(c) before MAX_LENGTH and the byte limit", () => {
    const heap = new Heap({ maxHeapBytes: 16 });
    const list = heap.listNew(0);
    expectTrapNoChange(heap, () => heap.listPush(list, BAD), TrapCode.BAD_CELL);
    expectTrapNoChange(heap, () => heap.listPush(list, CELL_NULL), TrapCode.OUT_OF_MEMORY);
  });

  it("list_new / struct_new: BAD_ARGUMENT before OUT_OF_MEMORY", () => {
    const heap = new Heap({ maxHeapBytes: 8 });
    expectTrapNoChange(heap, () => heap.listNew(-1), TrapCode.BAD_ARGUMENT);
    expectTrapNoChange(heap, () => heap.structNew(70000), TrapCode.BAD_ARGUMENT);
    expectTrapNoChange(heap, () => heap.listNew(0), TrapCode.OUT_OF_MEMORY);
    expectTrapNoChange(heap, () => heap.hostNew(1), TrapCode.OUT_OF_MEMORY);
  });
});
