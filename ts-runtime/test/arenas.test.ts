// The String, Map, F64Arr and I64Arr arenas and Struct shapes
// (operations.md §3.2, §3.3; arenas.md §2.6): results, traps in check order,
// byte accounting, collection, and the heap's invariants after each step.
import { describe, expect, it } from "vitest";
import {
  Arena,
  type Cell,
  CELL_NULL,
  CELL_TRUE,
  cellFromF64,
  cellFromInt,
  decodeCell,
  Heap,
  makeHandle,
  TrapCode,
} from "../src/index.ts";
import { expectTrap } from "./expect-trap.ts";

const BAD: Cell = 0xfff8_0000_0000_0000n;
const NON_CANONICAL_INT48: Cell = 0xfffa_0000_0000_0005n;

/** Runs f, which must trap with code, and checks that stats did not move. */
function trapsUnchanged(heap: Heap, f: () => unknown, code: TrapCode): void {
  const before = heap.stats();
  expectTrap(f, code);
  expect(heap.stats()).toEqual(before);
  heap.checkInvariants();
}

function bytes(heap: Heap): number {
  return heap.stats().heapBytes;
}

describe("strings", () => {
  it("stores a copy of the bytes, accounted 16 + length", () => {
    const heap = new Heap();
    const raw = new Uint8Array([0, 255, 7]);
    const s = heap.strNew(raw);
    raw[0] = 9;
    expect(heap.strGet(s)).toEqual(new Uint8Array([0, 255, 7]));
    heap.strGet(s)[1] = 1;
    expect(heap.strGet(s)[1]).toBe(255);
    expect(heap.strLen(s)).toBe(3);
    expect(bytes(heap)).toBe(19);
    const t = heap.strNew("h\u00e9");
    expect(heap.strLen(t)).toBe(3);
    expect(heap.strText(t)).toBe("h\u00e9");
    heap.checkInvariants();
  });

  it("concatenates into a new slot and compares by bytes", () => {
    const heap = new Heap();
    const a = heap.strNew("ab");
    const b = heap.strNew("cd");
    const c = heap.strConcat(a, b);
    expect(heap.strText(c)).toBe("abcd");
    expect(c).toBe(makeHandle(Arena.STRING, 0, 2));
    expect(heap.strEq(c, heap.strNew("abcd"))).toBe(true);
    expect(heap.strEq(a, b)).toBe(false);
    expect(heap.strEq(a, heap.strNew("a"))).toBe(false);
    expect(bytes(heap)).toBe(18 + 18 + 20 + 20 + 17);
    heap.checkInvariants();
  });

  it("checks handles in order and changes nothing on a trap", () => {
    const heap = new Heap();
    const s = heap.strNew("x");
    const l = heap.listNew(0);
    trapsUnchanged(heap, () => heap.strLen(BAD), TrapCode.BAD_CELL);
    trapsUnchanged(heap, () => heap.strLen(CELL_NULL), TrapCode.NULL_DEREF);
    trapsUnchanged(heap, () => heap.strLen(cellFromInt(3)), TrapCode.NOT_A_HANDLE);
    trapsUnchanged(heap, () => heap.strConcat(l, BAD), TrapCode.WRONG_ARENA);
    trapsUnchanged(heap, () => heap.strConcat(s, CELL_NULL), TrapCode.NULL_DEREF);
    trapsUnchanged(heap, () => heap.strEq(makeHandle(Arena.STRING, 0, 5), l), TrapCode.STALE_HANDLE);
    heap.free(s);
    trapsUnchanged(heap, () => heap.strGet(s), TrapCode.STALE_HANDLE);
  });

  it("traps OUT_OF_MEMORY at the byte limit and roots concat's operands under AUTO", () => {
    const limited = new Heap({ maxHeapBytes: 40 });
    const a = limited.strNew("0123456789");
    trapsUnchanged(limited, () => limited.strConcat(a, a), TrapCode.OUT_OF_MEMORY);
    const auto = new Heap({ variant: "auto", autoMinThreshold: 2 });
    const x = auto.strNew("x");
    const y = auto.strNew("y");
    const xy = auto.strConcat(x, y);
    expect(auto.stats().collections).toBe(1);
    expect(auto.strText(x) + auto.strText(y) + auto.strText(xy)).toBe("xyxy");
    auto.checkInvariants();
  });
});

describe("maps", () => {
  it("sets, overwrites without bytes, and reads 0 for an absent key", () => {
    const heap = new Heap();
    const m = heap.mapNew();
    expect(bytes(heap)).toBe(16);
    heap.mapSet(m, cellFromInt(1), cellFromInt(10));
    heap.mapSet(m, cellFromInt(2 ** 40), cellFromInt(-1));
    expect(bytes(heap)).toBe(48);
    heap.mapSet(m, cellFromInt(1), cellFromInt(11));
    expect(bytes(heap)).toBe(48);
    expect(heap.mapLen(m)).toBe(2);
    expect(heap.mapGet(m, cellFromInt(1))).toBe(cellFromInt(11));
    expect(heap.mapGet(m, cellFromInt(2 ** 40))).toBe(cellFromInt(-1));
    expect(heap.mapGet(m, cellFromInt(3))).toBe(cellFromInt(0));
    expect(heap.mapHas(m, cellFromInt(3))).toBe(false);
    expect(heap.mapHas(m, cellFromInt(1))).toBe(true);
    heap.checkInvariants();
  });

  it("wants integer keys and values: BAD_CELL, then WRONG_TYPE, key first", () => {
    const heap = new Heap();
    const m = heap.mapNew();
    const one = cellFromInt(1);
    trapsUnchanged(heap, () => heap.mapSet(m, cellFromF64(1), one), TrapCode.WRONG_TYPE);
    trapsUnchanged(heap, () => heap.mapSet(m, one, CELL_NULL), TrapCode.WRONG_TYPE);
    trapsUnchanged(heap, () => heap.mapSet(m, one, m), TrapCode.WRONG_TYPE);
    trapsUnchanged(heap, () => heap.mapSet(m, CELL_TRUE, BAD), TrapCode.WRONG_TYPE);
    trapsUnchanged(heap, () => heap.mapSet(m, NON_CANONICAL_INT48, CELL_TRUE), TrapCode.BAD_CELL);
    trapsUnchanged(heap, () => heap.mapGet(m, cellFromF64(0)), TrapCode.WRONG_TYPE);
    trapsUnchanged(heap, () => heap.mapHas(CELL_NULL, cellFromF64(0)), TrapCode.NULL_DEREF);
    const l = heap.listNew(0);
    trapsUnchanged(heap, () => heap.mapLen(l), TrapCode.WRONG_ARENA);
  });

  it("a new key at the byte limit is OUT_OF_MEMORY; AUTO collects first", () => {
    const heap = new Heap({ maxHeapBytes: 32 });
    const m = heap.mapNew();
    heap.mapSet(m, cellFromInt(1), cellFromInt(1));
    trapsUnchanged(heap, () => heap.mapSet(m, cellFromInt(2), cellFromInt(2)), TrapCode.OUT_OF_MEMORY);
    heap.mapSet(m, cellFromInt(1), cellFromInt(5));
    const auto = new Heap({ variant: "auto", maxHeapBytes: 48 });
    auto.listNew(2);
    const n = auto.mapNew();
    auto.mapSet(n, cellFromInt(1), cellFromInt(1));
    expect(auto.stats()).toMatchObject({ collections: 1, slotsFreed: 1, heapBytes: 32 });
    auto.checkInvariants();
  });
});

describe("typed arrays", () => {
  it("F64Arr: zero-filled, float elements only, push adds 8 bytes", () => {
    const heap = new Heap();
    const a = heap.f64arrNew(2);
    expect(heap.f64arrGet(a, 1)).toBe(0n);
    heap.f64arrSet(a, 0, cellFromF64(-0));
    heap.f64arrPush(a, cellFromF64(Number.NaN));
    expect(heap.f64arrLen(a)).toBe(3);
    expect(decodeCell(heap.f64arrGet(a, 2))).toEqual({ kind: "f64", value: Number.NaN });
    expect(bytes(heap)).toBe(40);
    trapsUnchanged(heap, () => heap.f64arrSet(a, 0, cellFromInt(1)), TrapCode.WRONG_TYPE);
    trapsUnchanged(heap, () => heap.f64arrSet(a, 3, cellFromInt(1)), TrapCode.OUT_OF_BOUNDS);
    trapsUnchanged(heap, () => heap.f64arrPush(a, 0x7ff8_0000_0000_0001n), TrapCode.BAD_CELL);
    const i = heap.i64arrNew(0);
    trapsUnchanged(heap, () => heap.f64arrPush(i, cellFromF64(1)), TrapCode.WRONG_ARENA);
    trapsUnchanged(heap, () => heap.f64arrNew(-1), TrapCode.BAD_ARGUMENT);
  });

  it("I64Arr: integer zero, integer elements only, lazy long arrays", () => {
    const heap = new Heap({ maxHeapBytes: 2 ** 35 });
    const a = heap.i64arrNew(2 ** 31 - 1);
    expect(heap.i64arrGet(a, 2 ** 31 - 2)).toBe(cellFromInt(0));
    heap.i64arrSet(a, 5, cellFromInt(2 ** 40));
    expect(heap.i64arrGet(a, 5)).toBe(cellFromInt(2 ** 40));
    expect(heap.i64arrGet(a, 4)).toBe(cellFromInt(0));
    trapsUnchanged(heap, () => heap.i64arrPush(a, cellFromF64(1)), TrapCode.WRONG_TYPE);
    trapsUnchanged(heap, () => heap.i64arrPush(a, cellFromInt(1)), TrapCode.OUT_OF_MEMORY);
    heap.free(a);
    trapsUnchanged(heap, () => heap.i64arrLen(a), TrapCode.STALE_HANDLE);
    heap.checkInvariants();
  });

  it("collection marks typed arrays, maps and strings without scanning them", () => {
    const heap = new Heap();
    const mark = heap.scopeEnter();
    const l = heap.listNew(0);
    heap.scopeRoot(l);
    for (const c of [heap.strNew("k"), heap.mapNew(), heap.f64arrNew(1), heap.i64arrNew(1)]) heap.listPush(l, c);
    heap.strNew("garbage");
    heap.mapNew();
    heap.f64arrNew(0);
    heap.i64arrNew(0);
    expect(heap.collect()).toBe(4);
    expect(heap.stats().arenas.map((a) => [a.arena, a.live, a.total])).toEqual([
      [Arena.STRING, 1, 2], [Arena.LIST, 1, 1], [Arena.MAP, 1, 2], [Arena.STRUCT, 0, 0],
      [Arena.F64_ARR, 1, 2], [Arena.I64_ARR, 1, 2], [Arena.HOST, 0, 0],
    ]);
    heap.scopeExit(mark);
    expect(heap.collect()).toBe(5);
    expect(bytes(heap)).toBe(0);
    heap.checkInvariants();
  });
});

describe("struct shapes", () => {
  it("records the shape given at allocation, 0 by default, per slot reuse", () => {
    const heap = new Heap();
    const s = heap.structNew(2, 7);
    const t = heap.structNew(1);
    expect(heap.structShape(s)).toBe(7);
    expect(heap.structShape(t)).toBe(0);
    heap.free(s);
    expectTrap(() => heap.structShape(s), TrapCode.STALE_HANDLE);
    const u = heap.structNew(0, 2 ** 32 - 1);
    expect(u).toBe(makeHandle(Arena.STRUCT, 1, 0));
    expect(heap.structShape(u)).toBe(2 ** 32 - 1);
    for (let i = 0; i < 100; i++) expect(heap.structShape(heap.structNew(0, i))).toBe(i);
    trapsUnchanged(heap, () => heap.structNew(1, -1), TrapCode.BAD_ARGUMENT);
    trapsUnchanged(heap, () => heap.structNew(1, 2 ** 32), TrapCode.BAD_ARGUMENT);
    const l = heap.listNew(0);
    trapsUnchanged(heap, () => heap.structShape(l), TrapCode.WRONG_ARENA);
    expect(bytes(heap)).toBe(16 + 8 + 16 + 1600 + 16);
  });
});
