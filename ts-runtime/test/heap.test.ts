// Slots, generations, the free list, collection, scopes and pins
// (arenas.md §2.3–§2.5, collection.md §4.1–§4.4).
import { describe, expect, it } from "vitest";
import { Arena, type Cell, CELL_NULL, cellFromInt, formatCell, Heap, makeHandle, TrapCode } from "../src/index.ts";
import { expectTrap } from "./expect-trap.ts";

const S = (generation: number, slot: number) => makeHandle(Arena.STRUCT, generation, slot);
const L = (generation: number, slot: number) => makeHandle(Arena.LIST, generation, slot);

describe("allocation and the free list", () => {
  it("appends new slots at generation 0, pops the free list last in first out, bumping generations", () => {
    const heap = new Heap();
    const a = heap.structNew(1);
    const b = heap.structNew(1);
    expect([a, b]).toEqual([S(0, 0), S(0, 1)]);
    heap.free(a);
    heap.free(b);
    expect(heap.structNew(1)).toBe(S(1, 1));
    expect(heap.structNew(1)).toBe(S(1, 0));
    expect(heap.structNew(1)).toBe(S(0, 2));
    expect(heap.listNew(0)).toBe(L(0, 0)); // arenas are independent
    expect(heap.hostNew(null)).toBe(makeHandle(Arena.HOST, 0, 0));
    heap.checkInvariants();
  });

  it("a freed handle is stale (G1), also after its slot is reused (G2)", () => {
    const heap = new Heap();
    const a = heap.structNew(2);
    heap.free(a);
    expectTrap(() => heap.structGet(a, 0), TrapCode.STALE_HANDLE);
    expectTrap(() => heap.free(a), TrapCode.STALE_HANDLE);
    const b = heap.structNew(3);
    expect(b).toBe(S(1, 0));
    expectTrap(() => heap.structLen(a), TrapCode.STALE_HANDLE);
    expect(heap.structLen(b)).toBe(3);
  });

  it("accounts bytes per arenas.md §2.6 and counts frees", () => {
    const heap = new Heap();
    const l = heap.listNew(3);
    const s = heap.structNew(5);
    heap.hostNew({ any: "value" });
    expect(heap.stats().heapBytes).toBe(16 + 24 + 16 + 40 + 16);
    heap.listPush(l, CELL_NULL);
    expect(heap.stats().heapBytes).toBe(16 + 32 + 16 + 40 + 16);
    heap.free(l);
    heap.free(s);
    const st = heap.stats();
    expect(st).toEqual({
      arenas: [
        { arena: Arena.STRING, live: 0, total: 0 },
        { arena: Arena.LIST, live: 0, total: 1 },
        { arena: Arena.MAP, live: 0, total: 0 },
        { arena: Arena.STRUCT, live: 0, total: 1 },
        { arena: Arena.F64_ARR, live: 0, total: 0 },
        { arena: Arena.I64_ARR, live: 0, total: 0 },
        { arena: Arena.HOST, live: 1, total: 1 },
      ],
      collections: 0,
      slotsFreed: 2,
      quarantined: 0,
      heapBytes: 16,
      pinned: 0,
      scopeRoots: 0,
      frameRoots: 0,
    });
  });

  it("host values are returned as given", () => {
    const heap = new Heap();
    const v = { n: 1 };
    const h = heap.hostNew(v);
    expect(heap.hostGet(h)).toBe(v);
    expect(heap.hostGet(heap.hostNew(undefined))).toBeUndefined();
  });
});

describe("collection", () => {
  it("sweeps unreachable slots in ascending order, so the next allocations pop them highest first", () => {
    const heap = new Heap();
    for (let i = 0; i < 3; i++) heap.listNew(0);
    expect(heap.collect()).toBe(3);
    expect([heap.listNew(0), heap.listNew(0), heap.listNew(0), heap.listNew(0)]).toEqual([L(1, 2), L(1, 1), L(1, 0), L(0, 3)]);
    const st = heap.stats();
    expect([st.collections, st.slotsFreed, st.heapBytes]).toEqual([1, 3, 64]);
  });

  it("a handle is stale after its slot was collected", () => {
    const heap = new Heap();
    const s = heap.structNew(1);
    heap.collect();
    expectTrap(() => heap.structGet(s, 0), TrapCode.STALE_HANDLE);
  });

  it("keeps what scope roots and pins reach, transitively, and frees cycles", () => {
    const heap = new Heap();
    // A cycle s1 → l1 → s2 → s1, plus a host slot hanging off s2.
    const s1 = heap.structNew(1);
    const l1 = heap.listNew(0);
    const s2 = heap.structNew(2);
    const h = heap.hostNew("x");
    heap.structSet(s1, 0, l1);
    heap.listPush(l1, s2);
    heap.structSet(s2, 0, s1);
    heap.structSet(s2, 1, h);
    const mark = heap.scopeEnter();
    heap.scopeRoot(l1);
    expect(heap.collect()).toBe(0);
    heap.scopeExit(mark);
    heap.pin(s2);
    expect(heap.collect()).toBe(0);
    heap.unpin(s2);
    expect(heap.collect()).toBe(4);
    for (const c of [s1, l1, s2, h]) expectTrap(() => heap.free(c), TrapCode.STALE_HANDLE);
    expect(heap.stats().heapBytes).toBe(0);
    heap.checkInvariants();
  });

  it("collects a chain of a million lists without native recursion", () => {
    const heap = new Heap();
    const N = 1_000_000;
    const mark = heap.scopeEnter();
    let prev: Cell = CELL_NULL;
    for (let i = 0; i < N; i++) {
      const l = heap.listNew(1);
      heap.listSet(l, 0, prev);
      prev = l;
    }
    heap.scopeRoot(prev);
    expect(heap.collect()).toBe(0);
    heap.scopeExit(mark);
    expect(heap.collect()).toBe(N);
    expect(heap.stats().arenas.find((a) => a.arena === Arena.LIST)).toEqual({ arena: Arena.LIST, live: 0, total: N });
  });

  it("a stale Cell stored in a live slot is kept as data and ignored by marking", () => {
    const heap = new Heap();
    const holder = heap.listNew(1);
    const target = heap.structNew(0);
    heap.listSet(holder, 0, target);
    heap.free(target);
    heap.pin(holder);
    expect(heap.collect()).toBe(0);
    expect(heap.listGet(holder, 0)).toBe(target);
    expectTrap(() => heap.structLen(heap.listGet(holder, 0)), TrapCode.STALE_HANDLE);
    // …but it cannot be stored again.
    expectTrap(() => heap.listPush(holder, target), TrapCode.STALE_HANDLE);
  });
});

describe("scopes (collection.md §4.2)", () => {
  it("marks are depths; only the innermost mark closes; exit drops that scope's roots", () => {
    const heap = new Heap();
    expectTrap(() => heap.scopeExit(0), TrapCode.SCOPE_MISMATCH);
    expectTrap(() => heap.scopeExit(1), TrapCode.SCOPE_MISMATCH);
    expectTrap(() => heap.scopeRoot(CELL_NULL), TrapCode.SCOPE_MISMATCH);
    const outer = heap.scopeEnter();
    const a = heap.structNew(0);
    heap.scopeRoot(a);
    const inner = heap.scopeEnter();
    expect([outer, inner]).toEqual([1, 2]);
    const b = heap.structNew(0);
    heap.scopeRoot(b);
    heap.scopeRoot(cellFromInt(3));
    expect(heap.stats().scopeRoots).toBe(3);
    expectTrap(() => heap.scopeExit(outer), TrapCode.SCOPE_MISMATCH);
    expectTrap(() => heap.scopeExit(3), TrapCode.SCOPE_MISMATCH);
    expectTrap(() => heap.scopeExit(1.5), TrapCode.SCOPE_MISMATCH);
    expect(heap.stats().scopeRoots).toBe(3);
    heap.scopeExit(inner);
    expect(heap.stats().scopeRoots).toBe(1);
    expect(heap.collect()).toBe(1);
    expect(heap.structLen(a)).toBe(0);
    expectTrap(() => heap.structLen(b), TrapCode.STALE_HANDLE);
    expect(heap.scopeEnter()).toBe(2);
    heap.scopeExit(2);
    heap.scopeExit(1);
    expect(heap.collect()).toBe(1);
  });

  it("a rooted Cell whose slot is freed stays on the stack, stale", () => {
    const heap = new Heap();
    heap.scopeEnter();
    const a = heap.structNew(0);
    heap.scopeRoot(a);
    heap.free(a);
    expect(heap.stats().scopeRoots).toBe(1);
    expect(heap.collect()).toBe(0);
    heap.checkInvariants();
  });
});

describe("pins (collection.md §4.3)", () => {
  it("counts pins, traps NOT_PINNED at zero, and a pinned slot is a root", () => {
    const heap = new Heap();
    const a = heap.listNew(0);
    heap.pin(a);
    heap.pin(a);
    expect(heap.pinCount(a)).toBe(2);
    expect(heap.stats().pinned).toBe(1);
    expect(heap.collect()).toBe(0);
    heap.unpin(a);
    expect(heap.collect()).toBe(0);
    heap.unpin(a);
    expect(heap.stats().pinned).toBe(0);
    const before = JSON.stringify(heap.stats());
    expectTrap(() => heap.unpin(a), TrapCode.NOT_PINNED);
    expect(JSON.stringify(heap.stats())).toBe(before);
    expect(heap.collect()).toBe(1);
  });

  it("free of a pinned slot drops its pins; unpinning the old handle is STALE_HANDLE", () => {
    const heap = new Heap();
    const a = heap.structNew(0);
    heap.pin(a);
    heap.free(a);
    expect(heap.stats().pinned).toBe(0);
    expectTrap(() => heap.unpin(a), TrapCode.STALE_HANDLE);
    const b = heap.structNew(0);
    expect(formatCell(b)).toBe("Struct#0@g1");
    expect(heap.pinCount(b)).toBe(0);
    heap.checkInvariants();
  });
});
