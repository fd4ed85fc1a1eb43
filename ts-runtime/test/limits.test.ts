// Limits and variants (arenas.md §2.6, collection.md §4.5, operations.md §3.2 allocate).
import { describe, expect, it } from "vitest";
import { Arena, type Cell, CELL_NULL, cellFromInt, Heap, makeHandle, TrapCode } from "../src/index.ts";
import { expectTrap } from "./expect-trap.ts";

function expectOom(heap: Heap, f: () => unknown): void {
  const before = JSON.stringify(heap.stats());
  expectTrap(f, TrapCode.OUT_OF_MEMORY);
  expect(JSON.stringify(heap.stats())).toBe(before);
  heap.checkInvariants();
}

describe("OUT_OF_MEMORY", () => {
  it("at max_slots_per_arena, per arena, and the heap stays usable", () => {
    const heap = new Heap({ maxSlotsPerArena: 2 });
    const a = heap.structNew(0);
    heap.structNew(0);
    expectOom(heap, () => heap.structNew(0));
    heap.listNew(0);
    heap.listNew(0);
    expectOom(heap, () => heap.listNew(0));
    heap.hostNew(1);
    heap.hostNew(2);
    expectOom(heap, () => heap.hostNew(3));
    heap.free(a);
    expect(heap.structNew(0)).toBe(makeHandle(Arena.STRUCT, 1, 0));
    expect(heap.collect()).toBe(6);
    // Swept in slot order: Struct#0 (now g2) then Struct#1 (now g1) pushed; the top is slot 1.
    expect(heap.structNew(0)).toBe(makeHandle(Arena.STRUCT, 1, 1));
  });

  it("at max_heap_bytes, for list_new, struct_new, host_new and list_push", () => {
    const heap = new Heap({ maxHeapBytes: 100 });
    const s = heap.structNew(4); // 48
    heap.structNew(4); // 96
    expectOom(heap, () => heap.structNew(0));
    expectOom(heap, () => heap.listNew(0));
    expectOom(heap, () => heap.hostNew("x"));
    heap.free(s); // 48
    const l = heap.listNew(0); // 64
    for (let i = 0; i < 4; i++) heap.listPush(l, cellFromInt(i)); // 96
    expectOom(heap, () => heap.listPush(l, CELL_NULL));
    expect(heap.listLen(l)).toBe(4);
    expect(heap.stats().heapBytes).toBe(96);
    heap.pin(l);
    expect(heap.collect()).toBe(1);
    heap.listPush(l, CELL_NULL); // 56 + 8
    expect(heap.stats().heapBytes).toBe(56);
  });

  it("exactly at the limit fits", () => {
    const heap = new Heap({ maxHeapBytes: 48 });
    heap.structNew(4);
    expectOom(heap, () => heap.hostNew(0));
  });
});

describe("AUTO", () => {
  it("collects at the safepoint when allocations reach max(auto_min_threshold, live_after)", () => {
    const heap = new Heap({ variant: "auto", autoMinThreshold: 4 });
    for (let i = 0; i < 4; i++) heap.structNew(0);
    expect(heap.stats().collections).toBe(0);
    // The 5th allocation: 4 allocations since the last collection >= max(4, 0): collect first.
    expect(heap.structNew(0)).toBe(makeHandle(Arena.STRUCT, 1, 3));
    expect(heap.stats()).toMatchObject({ collections: 1, slotsFreed: 4 });
  });

  it("doubles: live_after raises the threshold, and the operation's own result is not rooted before it exists", () => {
    const heap = new Heap({ variant: "auto", autoMinThreshold: 2 });
    heap.scopeEnter();
    for (let i = 0; i < 6; i++) heap.scopeRoot(heap.structNew(0));
    // Allocations 1,2 then collect (live 2), 3,4 then collect at 2 >= max(2,2) (live 4), 5,6; next at 4 >= 4.
    expect(heap.stats().collections).toBe(2);
    heap.structNew(0);
    heap.structNew(0);
    expect(heap.stats().collections).toBe(2);
    heap.structNew(0);
    // 4 >= max(2, 4): the two unrooted structs go.
    expect(heap.stats()).toMatchObject({ collections: 3, slotsFreed: 2 });
  });

  it("collects once before OUT_OF_MEMORY; the collection stays done when the allocation still traps", () => {
    const heap = new Heap({ variant: "auto", maxHeapBytes: 96, autoMinThreshold: 1000 });
    heap.structNew(4);
    heap.structNew(4);
    expect(heap.structNew(4)).toBe(makeHandle(Arena.STRUCT, 1, 1));
    expect(heap.stats()).toMatchObject({ collections: 1, slotsFreed: 2, heapBytes: 48 });
    heap.scopeEnter();
    heap.scopeRoot(makeHandle(Arena.STRUCT, 1, 1));
    heap.scopeRoot(heap.structNew(4));
    expectTrap(() => heap.structNew(0), TrapCode.OUT_OF_MEMORY);
    expect(heap.stats()).toMatchObject({ collections: 2, slotsFreed: 2, heapBytes: 96 });
    heap.checkInvariants();
  });

  it("list_push collects with its arguments as roots", () => {
    const heap = new Heap({ variant: "auto", maxHeapBytes: 16 + 16 + 16 + 8, autoMinThreshold: 1000 });
    const list = heap.listNew(0);
    const value = heap.listNew(0);
    heap.structNew(0); // garbage
    heap.listPush(list, value); // 56 of 56
    heap.listPush(list, value); // needs a collection: list and value survive (rooted only as arguments), the struct goes
    expect(heap.stats()).toMatchObject({ collections: 1, slotsFreed: 1, heapBytes: 48 });
    expect(heap.listLen(list)).toBe(2);
    expect(heap.listLen(value)).toBe(0);
    heap.listPush(list, value); // 56 of 56, no collection
    expect(heap.stats().collections).toBe(1);
    expectTrap(() => heap.listPush(list, value), TrapCode.OUT_OF_MEMORY);
    expect(heap.stats().collections).toBe(2);
  });

  it("MINIMAL never collects by itself", () => {
    const heap = new Heap({ autoMinThreshold: 1, maxHeapBytes: 32 });
    heap.structNew(0);
    heap.structNew(0);
    expectTrap(() => heap.structNew(0), TrapCode.OUT_OF_MEMORY);
    expect(heap.stats().collections).toBe(0);
  });
});

describe("STUB", () => {
  it("never reuses a slot, and collect does nothing and is not counted", () => {
    const heap = new Heap({ variant: "stub" });
    const handles: Cell[] = [];
    for (let i = 0; i < 10; i++) {
      const c = heap.structNew(1);
      handles.push(c);
      heap.free(c);
    }
    expect(new Set(handles).size).toBe(10);
    expect(handles.every((c, i) => c === makeHandle(Arena.STRUCT, 0, i))).toBe(true);
    expect(heap.listNew(0)).toBe(makeHandle(Arena.LIST, 0, 0));
    expect(heap.collect()).toBe(0);
    expect(heap.stats()).toMatchObject({ collections: 0, slotsFreed: 10, quarantined: 0, heapBytes: 16 });
    expectTrap(() => heap.free(handles[0]!), TrapCode.STALE_HANDLE);
    heap.checkInvariants();
  });

  it("dead slots count against max_slots_per_arena", () => {
    const heap = new Heap({ variant: "stub", maxSlotsPerArena: 1 });
    heap.free(heap.hostNew(0));
    expectTrap(() => heap.hostNew(0), TrapCode.OUT_OF_MEMORY);
  });
});

describe("HeapConfig", () => {
  it("rejects settings outside their domain", () => {
    expect(() => new Heap({ maxHeapBytes: -1 })).toThrow(RangeError);
    expect(() => new Heap({ maxSlotsPerArena: 1.5 })).toThrow(RangeError);
    expect(() => new Heap({ variant: "fast" as "auto" })).toThrow(RangeError);
  });
});
